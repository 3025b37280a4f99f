/* tcp_analysis.h - per-direction figures of one TCP connection for
 * tcp-summary: payload, unique and retransmitted bytes, times. */
#ifndef TCP_ANALYSIS_H
#define TCP_ANALYSIS_H
#include "capture.h"
#include "tcp_stats.h"

typedef struct {
  guint64 packets, payload_bytes, unique_bytes, retransmitted_bytes;
  guint64 data_packets;
  gint64 first_ns, last_ns;          /* packets in this direction */
  gint64 first_data_ns, last_data_ns;
  gboolean syn, fin, rst, isn_from_syn;
  gint64 syn_ns, fin_ns;             /* -1 when not seen */
} TcpDirSummary;

/* out[TO_SERVER], out[TO_CLIENT] */
void tcp_summarise(const TcpConn *t, TcpDirSummary out[2]);

typedef struct {               /* capture times, -1 when not seen */
  gint64 syn_ns, synack_ns, ack_ns;   /* the three-way handshake */
  gint64 first_fin_ns, rst_ns;        /* the teardown */
} TcpHandshake;

void tcp_handshake(const TcpConn *t, TcpHandshake *h);

#endif
