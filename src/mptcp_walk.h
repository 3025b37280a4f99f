/* mptcp_walk.h - the state shared by the three passes of the data-level
 * analysis of one MPTCP connection (internal to mptcp_analysis.c,
 * mptcp_scan.c and mptcp_place.c):
 *
 * 1. the scan (mptcp_scan.c) reads every packet once to learn what the
 *    TCP level proves: each subflow direction's sequence span (from its
 *    own sequence numbers and its peer's valid ACKs), where the data
 *    sequence space starts when no key is known, and which DSS mappings
 *    no other evidence corroborates (outliers, left out);
 * 2. the walk (mptcp_analysis.c) attributes every payload byte to its
 *    data sequence number and records who carried each byte first;
 * 3. the placement (mptcp_place.c) decides where the data space ends (from
 *    mappings, DATA_FIN and data ACKs that the subflows' spans can carry)
 *    and places the bytes the capture missed, never crediting a subflow
 *    with more than its span leaves room for. */
#ifndef MPTCP_WALK_H
#define MPTCP_WALK_H
#include "mptcp_analysis.h"
#include "mapping_set.h"
#include "seqtrack.h"

/* a mapping of unbounded length (RFC 8684 3.3.1, fallback) */
#define MAP_INFINITE ((guint64)1 << 62)

typedef struct {             /* one direction of one subflow */
  int dir;                   /* its MPTCP direction: TO_SERVER, TO_CLIENT */
  SeqTrack seq;
  ISet sent;                 /* subflow sequence ranges seen (payload) */
  MappingSet maps;
  guint64 hi_seq, hi_dsn;    /* highest mapped sequence end seen, its DSN */
  gboolean hi_known;
  guint64 unmapped;          /* payload bytes without a known mapping */
  /* from the scan: what the TCP level proves */
  guint64 lo, hi;            /* span [lo, hi) its bytes lie in */
  guint64 acked;             /* highest valid ACK of the peer, relative */
  gint64 acked_ns;
  gboolean options_cut;      /* some packet's TCP options were cut */
  guint64 budget;            /* bytes it may be credited without a packet */
} SubDir;

typedef struct {             /* bytes the capture missed, placed at the end */
  int dir;
  guint32 sub;
  guint64 len, dsn_a, dsn_b; /* candidates: after the previous mapping, */
  gboolean has_b;            /* or before the next one */
  gint64 time_ns;            /* when the evidence for it was seen */
  gboolean exact;            /* the DSN moved on by exactly its size */
} Hole;

typedef struct { guint64 value; guint32 frame; } Raise;

typedef struct {             /* data sequence state of one direction */
  gboolean init, ack_init;
  guint64 base, last, ack_last;
  Carriers carriers;
  GArray *acks;              /* Raise: every data ACK above the previous */
  gboolean fallback;         /* no DSS mapping: the subflow's bytes in order */
} DsnState;

typedef struct { guint32 sub, idx; const Packet *p; } Ref;

typedef struct {
  MptcpAnalysis *a;
  SubDir *sd;                /* [subflow * 2 + endpoint] */
  DsnState ds[2];
  GArray *refs;              /* Ref: every packet, in frame order */
  GHashTable *rejected;      /* Packet* whose mapping is an outlier */
  GArray *holes;             /* Hole */
  guint keep;                /* ANALYSE_* */
  PacketNote *note;          /* the current packet's, or scratch */
  PacketNote scratch;
} Walk;

static inline SubDir *walk_subdir(Walk *w, guint32 sub, int endpoint)
{ return &w->sd[sub * 2 + endpoint]; }

/* The endpoint of subflow t that sends MPTCP direction d's data. */
static inline int sending_endpoint(const TcpConn *t, int d)
{ return (d == TO_SERVER) == t->towards_server ? t->client : conn_server(t); }

/* Subflow k's direction that carries MPTCP direction d. */
static inline SubDir *walk_subdir_of(Walk *w, guint32 k, int d)
{
  const TcpConn *t = g_ptr_array_index(w->a->conn->subflows, k);
  return walk_subdir(w, k, sending_endpoint(t, d));
}

/* A DSN (ack FALSE) or data ACK (TRUE) as sent, 4 or 8 bytes, unwrapped
 * near the last one of its kind and made relative to the direction's base
 * (mptcp_scan.c). 4-byte values jumping more than 2^30 do not move the
 * reference point, so one absurd value cannot shift the ones after it. */
guint64 dsn_rel(DsnState *ds, guint64 raw, gboolean is8, gboolean ack);
void mptcp_scan(Walk *w);                               /* pass 1 */
void mptcp_outlier(MptcpDir *D, guint32 frame, const char *field,
                   guint64 value);
void mptcp_place(Walk *w);                              /* pass 3 */
/* Credit subflow k, direction d, with the bytes of [start, end) that no
 * packet carried yet, within its budget, as inferred on evidence seen at
 * time_ns; returns how many. */
guint64 mptcp_credit(Walk *w, int d, guint32 k, guint64 start, guint64 end,
                     gint64 time_ns);

#endif
