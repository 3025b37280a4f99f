/* peer.h - one connection seen from both of its ends: capture A (the one
 * given first) and capture B. Which connection of B it is, its subflows
 * paired one to one, every packet paired with its copy, which capture sits
 * at the client's end, and how the two clocks compare.
 *
 * Which capture holds the sender of a packet follows from the packet's
 * direction: towards the server, the capture at the client's end. That end
 * is found from the packets themselves, not from the order of the
 * arguments: with B's clock off by c from A's, a packet A sent and B
 * received shows t_B - t_A = delay + c, one B sent and A received shows
 * t_B - t_A = c - delay; so of the two directions, the one whose median
 * t_B - t_A is higher is the one A sent, and half the sum of the two
 * medians estimates c.
 *
 * A one-way delay is the receiver's time less the sender's, B's time taken
 * less the clock offset given (--clock-offset: B's clock minus A's, in
 * seconds; 0 when not given: timestamps as captured). A packet in the
 * sender's capture with no copy at the receiver was lost in the network;
 * one at the receiver with no copy in the sender's capture was missed by
 * the sender's capture. A subflow one capture does not hold at all counts
 * likewise (its packets lost, or missed). */
#ifndef PEER_H
#define PEER_H
#include "capture.h"
#include "pkt_match.h"
#include "tcp_stats.h"

/* estimated clock offsets beyond this are an error without --clock-offset */
#define PEER_FAR_CLOCKS_S 60.0

typedef struct {
  const TcpConn *a, *b;          /* either may be NULL (not in that capture) */
  PktMatch m;                    /* when both */
} PeerSubflow;

typedef struct {
  const Capture *ca, *cb;
  const MptcpConn *ma, *mb;      /* NULL for a plain TCP connection */
  GArray *subflows;              /* PeerSubflow: A's subflows in order, then
                                    B's that have no partner in A */
  gboolean a_is_client;          /* A is the capture at the client's end */
  gint64 offset_ns;              /* B's clock minus A's, as given (else 0) */
  gboolean offset_given;
  gint64 estimate_ns;            /* the offset the packets suggest */
  guint64 matched, negative;     /* delays, and those below 0 */
} Peer;

/* What one direction of one subflow looked like from both ends. */
typedef struct {
  const TcpConn *sender_conn, *receiver_conn;  /* NULL when not captured */
  int sender_end, receiver_end;  /* endpoint indices in those */
  const GArray *pairs;           /* PktPair, NULL when a side is missing */
  gboolean sender_is_a;          /* pairs' .a is the sender's packet */
  const GArray *lost;            /* guint32 indices in sender_conn */
  const GArray *missed;          /* guint32 indices in receiver_conn */
  GArray *own[3];                /* storage when a capture lacks the subflow:
                                    its packets, no packets, no pairs */
} PeerDir;

/* offset_s: the --clock-offset value, or NULL. FALSE with err set (one
 * line naming the captures) when B holds no such connection (code
 * G_FILE_ERROR_NOENT), the captures are the same, or their clocks are far
 * apart and no offset was given. */
gboolean peer_tcp(Peer *p, const Capture *ca, const TcpConn *a,
                  const Capture *cb, const double *offset_s, GError **err);
gboolean peer_mptcp(Peer *p, const Capture *ca, const MptcpConn *a,
                    const Capture *cb, const double *offset_s, GError **err);
void peer_clear(Peer *p);

/* Direction d (TO_SERVER, TO_CLIENT) of subflow pair s; peer_dir_clear()
 * after. */
void peer_dir(const Peer *p, const PeerSubflow *s, int d, PeerDir *out);
void peer_dir_clear(PeerDir *out);
/* The delay of pair x of dir, in nanoseconds. */
gint64 peer_delay(const Peer *p, const PeerDir *dir, const PktPair *x);
/* The sender's and the receiver's packet of pair x. */
const Packet *peer_sent(const PeerDir *dir, const PktPair *x);
const Packet *peer_received(const PeerDir *dir, const PktPair *x);
/* The capture holding the sender of direction d. */
const Capture *peer_sender_capture(const Peer *p, int d);

#endif
