/* tcp_stats.h - per-direction counts of one TCP connection, computed from
 * its packets on demand (they are cheap, and nothing is stored twice). */
#ifndef TCP_STATS_H
#define TCP_STATS_H
#include "capture.h"

enum { TO_SERVER = 0, TO_CLIENT = 1 };

typedef struct {
  guint64 packets[2], bytes[2];     /* indexed by TO_SERVER / TO_CLIENT */
  gboolean syn, synack, fin[2], rst[2];
  gint64 first_ns, last_ns;         /* earliest and latest packet times */
  guint64 options_cut;              /* packets with PKT_OPTIONS_CUT */
} TcpStats;

void tcp_stats(const TcpConn *t, TcpStats *s);
/* direction of a packet: TO_SERVER or TO_CLIENT */
static inline int pkt_dir(const TcpConn *t, const Packet *p)
{ return pkt_to_server(t, p) ? TO_SERVER : TO_CLIENT; }

#endif
