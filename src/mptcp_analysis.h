/* mptcp_analysis.h - the data-level view of one MPTCP connection: every
 * DSS mapping turned into a 64-bit data sequence range relative to the
 * sender's IDSN, every payload byte attributed through its subflow's
 * mappings, and from that, per direction: bytes on the wire, application
 * bytes (distinct data-level bytes), which subflow carried each first,
 * retransmissions (same subflow) and reinjections (another subflow).
 *
 * Directions are MPTCP-level: TO_SERVER is data sent by the host that
 * opened the connection, whichever way each subflow was opened. */
#ifndef MPTCP_ANALYSIS_H
#define MPTCP_ANALYSIS_H
#include "capture.h"
#include "carrier.h"
#include "tcp_stats.h"

/* What the analysis decided about one packet, when asked (ANALYSE_NOTES). */
#define NOTE_MAPPED     0x01  /* dsn: DSN of its first mapped payload byte */
#define NOTE_DATA_ACK   0x02  /* data_ack: the data ACK it carried */
#define NOTE_RETRANS    0x04  /* resent bytes its own subflow sent before */
#define NOTE_REINJECTED 0x08  /* carried bytes first sent on another subflow */
#define NOTE_DATA_FIN   0x10  /* carried the DATA_FIN of its direction */

typedef struct {
  guint64 dsn;          /* relative DSN of its first mapped payload byte */
  guint64 data_ack;     /* relative data ACK, for the other direction */
  guint32 mapped;       /* payload bytes whose DSN is known */
  guint32 fresh;        /* data-level bytes it was the first to carry */
  guint32 reinjection;  /* index + 1 in its direction's reinjections */
  guint8 flags;         /* NOTE_* */
} PacketNote;

/* What mptcp_analyse_with() keeps beyond the figures */
#define ANALYSE_NOTES    0x01  /* a PacketNote per packet */
#define ANALYSE_CARRIERS 0x02  /* the first carrier of every data byte */

typedef struct {
  guint32 frame;               /* the resending packet */
  guint32 tcp_stream;
  guint64 dsn_start;           /* relative data sequence number */
  guint64 length;
  gint64 time_ns;
  GArray *orig_frames;         /* guint32, first sendings of those bytes;
                                  0: not captured, known from the subflow's
                                  sequence numbers */
  GArray *orig_streams;        /* guint32, their tcp.streams */
  gint64 orig_time_ns;         /* earliest captured original, or -1 */
} Reinjection;

typedef struct {
  guint64 packets, throughput_bytes, application_bytes;
  guint64 retransmitted_bytes;     /* resent on this subflow (TCP level) */
  guint64 reinjected_bytes, reinjections;  /* first sent on another one */
  guint64 unmapped_bytes;          /* payload no mapping covered */
  guint64 inferred_bytes;          /* of application_bytes, placed without
                                      a captured packet */
  guint64 span_bytes;              /* the most it can have carried: its
                                      sequence span, from its own sequence
                                      numbers and its peer's ACKs */
} SubflowFigures;

typedef struct {                   /* a value no other evidence supports */
  guint32 frame;
  const char *field;               /* "dsn", "data_ack", "data_fin" */
  guint64 value;                   /* as sent */
} Outlier;

typedef struct {
  gint64 first_ns, last_ns;        /* whole connection, both directions */
  gint64 first_data_ns, last_data_ns;
  guint64 packets, throughput_bytes, application_bytes;
  guint64 inferred_bytes;          /* placed without a captured mapping:
                                      missed by the capture, or unmapped */
  guint64 unmapped_bytes;          /* payload whose mapping was not seen */
  guint64 unattributed_bytes;      /* application bytes no packet showed */
  guint64 dsn_max;                 /* highest relative DSN end seen */
  guint64 data_acked;              /* highest data ACK, relative */
  gboolean dsn_from_key;           /* FALSE: relative to the lowest DSN */
  gboolean data_fin;
  gboolean data_fin_inferred;      /* not captured: a data ACK covers it */
  guint64 data_fin_dsn;
  gint64 data_fin_ns;
  gboolean fallback;               /* no DSS mapping after the handshake:
                                      the subflow's bytes in order */
  guint32 infinite_mapping_frame;  /* a DSS infinite mapping, 0 if none */
  GArray *outliers;                /* Outlier: left out of the figures */
  SubflowFigures *sub;             /* per subflow, as MptcpConn.subflows */
  GPtrArray *reinjections;         /* Reinjection*, capture order */
  /* ANALYSE_CARRIERS: who first carried each byte of [1, end), when;
   * inferred bytes (frame 0) carry the time of the evidence that placed
   * them (the packet after a hole, the ACK covering a tail). */
  Carriers carriers;
} MptcpDir;

typedef struct {
  const MptcpConn *conn;
  MptcpDir dir[2];                 /* TO_SERVER, TO_CLIENT */
  /* ANALYSE_NOTES: notes[k][i] is about packet i of subflow k */
  PacketNote **notes;
} MptcpAnalysis;

MptcpAnalysis *mptcp_analyse(const MptcpConn *m);
/* The same, keeping what `keep` (ANALYSE_*) asks for. */
MptcpAnalysis *mptcp_analyse_with(const MptcpConn *m, guint keep);
void mptcp_analysis_free(MptcpAnalysis *a);
/* Free the first carriers kept (ANALYSE_CARRIERS), keeping the figures. */
void mptcp_analysis_drop_carriers(MptcpAnalysis *a);

/* MPTCP-level direction of a packet of subflow t */
static inline int mptcp_dir(const TcpConn *t, const Packet *p)
{ return pkt_to_server(t, p) == t->towards_server ? TO_SERVER : TO_CLIENT; }

#endif
