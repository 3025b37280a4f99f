/* pkt_match.h - the same TCP connection seen in two captures: which packet
 * of one is which packet of the other.
 *
 * A packet is recognised by what a normal path leaves unchanged: its raw
 * sequence and acknowledgement numbers, payload length, TCP flags, TCP
 * timestamp value and MPTCP DSS fields; never by addresses or ports, so a
 * NAT does not get in the way. Packets of one direction of capture A are
 * paired with those of the same direction in capture B; copies that look
 * identical (a retransmission without timestamps) pair in order, and
 * where one capture holds more copies than the other, the copies chosen
 * are those whose time difference lies closest to the direction's usual
 * one. Where either capture cut a packet's TCP options, the packet is
 * recognised by its TCP header alone. A packet of A with no copy in B is
 * "only in A", and conversely.
 *
 * Contract: pkt_match() accepts any two connections (unrelated ones simply
 * share no packet) and fills one PktDir per direction of ta (by ta's
 * endpoint index). Indices are into ta->packets and tb->packets. */
#ifndef PKT_MATCH_H
#define PKT_MATCH_H
#include "capture.h"

typedef struct { guint32 a, b; } PktPair;

typedef struct {
  int b_endpoint;        /* tb's endpoint that sends what ta's endpoint does */
  GArray *pairs;         /* PktPair, in the order of ta's packets */
  GArray *only_a;        /* guint32: ta's packets with no copy in tb */
  GArray *only_b;        /* guint32: tb's packets with no copy in ta */
} PktDir;

typedef struct {
  PktDir dir[2];         /* by ta's endpoint that sent the packets */
} PktMatch;

void pkt_match(const TcpConn *ta, const TcpConn *tb, PktMatch *out);
void pkt_match_clear(PktMatch *m);

/* The sorted TCP header signatures of a connection's packets (those that
 * say which connection they belong to: not a RST of seq 0, ack 0), to
 * count packets in common cheaply, without pairing them. */
typedef struct { guint64 *sig; guint n; } PktSigs;
void pkt_sigs(const TcpConn *t, PktSigs *out);
void pkt_sigs_clear(PktSigs *s);
/* How many packets two connections have in common; for scoring
 * candidate connections. */
guint pkt_shared(const PktSigs *a, const PktSigs *b);

#endif
