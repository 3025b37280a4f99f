/* conn_map.h - which connection of a second capture is this connection:
 * the candidates, scored on the evidence that survives the path.
 *
 * Evidence for two TCP connections: the ISN of each side (from the SYN and
 * the SYN/ACK: equal, different, or not in both captures), packets in
 * common (same raw sequence and acknowledgement numbers, length and flags:
 * what a NAT leaves alone), the 4-tuple (which a NAT rewrites), the time
 * the two lifetimes overlap (capture clocks may differ) and the packet
 * counts. For MPTCP connections, the keys (and so the tokens) of each side,
 * then the subflows, paired one to one.
 *
 * A candidate is a match only on shared evidence: an equal ISN, equal keys,
 * or at least two packets in common. A 4-tuple alone (reused after a close,
 * or a look-alike) never makes a match; different ISNs on both sides rule a
 * candidate out.
 *
 * Scores (higher is better): an equal ISN 40 per side; packets in common up
 * to 40 (their share of the smaller connection); equal keys 100 (50 for
 * one); the 4-tuple 5 per equal address or port; overlapping lifetimes up
 * to 5; similar packet counts up to 5. An MPTCP candidate adds the scores
 * of its paired subflows. */
#ifndef CONN_MAP_H
#define CONN_MAP_H
#include "capture.h"
#include "pkt_match.h"

typedef enum { EV_UNKNOWN = -1, EV_DIFFERENT = 0, EV_EQUAL = 1 } Evidence;

typedef struct {
  const TcpConn *b;
  double score;
  gboolean match;
  Evidence isn[2];               /* [0] client's, [1] server's */
  gboolean tuple[4];             /* client ip, client port, server ip, port */
  guint shared;                  /* packets in common */
  double overlap;                /* shared part of the shorter lifetime */
  guint packets[2];              /* [0] in A, [1] in B */
} TcpCandidate;

typedef struct { const TcpConn *a, *b; double score; } SubflowPair;

typedef struct {
  const MptcpConn *b;
  double score;
  gboolean match;
  Evidence key[2];               /* [0] client's, [1] server's */
  GArray *subflows;              /* SubflowPair, one per subflow of A's,
                                    in its order; b NULL when none fits */
} MptcpCandidate;

/* Every TCP connection of cb with any evidence, best first. */
GArray *conn_map_tcp(const TcpConn *a, const Capture *cb);
/* Every MPTCP connection of cb with any evidence, best first. */
GArray *conn_map_mptcp(const MptcpConn *a, const Capture *cb);
void conn_map_mptcp_free(GArray *candidates);
/* The evidence between two TCP connections (sa, sb: their pkt_sigs()). */
void conn_evidence(const TcpConn *a, const PktSigs *sa, const TcpConn *b,
                   const PktSigs *sb, TcpCandidate *c);

#endif
