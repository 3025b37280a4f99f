/* peer_figures.h - what a connection's two captures say together, per
 * direction and per subflow of capture A's connection (mptcp-summary
 * --peer): packets and payload bytes lost in the network, the one-way
 * delays, application bytes as first sent (the sender's capture) and as
 * first delivered (the receiver's capture: they differ by the data lost
 * on one subflow and delivered by another), and head-of-line blocking at
 * the receiver. */
#ifndef PEER_FIGURES_H
#define PEER_FIGURES_H
#include "hol.h"
#include "peer.h"

typedef struct {
  gboolean present;            /* the subflow is in both captures */
  guint64 lost_packets, lost_bytes, missed_packets;
  guint64 sent_app, delivered_app;
  DelayStats owd;
  WeightedStats hol;
} PeerSubFigures;

typedef struct {
  PeerSubFigures *sub;         /* per subflow of A's connection */
  PeerSubFigures total;        /* the whole direction, all subflows */
  guint64 hol_unreadable;
  const Capture *sender, *receiver;
} PeerFigures;

/* The packets' part (losses, delays) of both directions. */
void peer_figures_begin(const Peer *p, PeerFigures out[2]);
/* One end's part: an is the analysis of p->ma (is_b FALSE) or p->mb, with
 * ANALYSE_CARRIERS; the ends can be analysed one after the other. */
void peer_figures_add(const Peer *p, const MptcpAnalysis *an, gboolean is_b,
                      PeerFigures out[2]);
void peer_figures_clear(PeerFigures f[2]);

#endif
