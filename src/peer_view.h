/* peer_view.h - mptcp-summary --peer: the figures from both ends of the
 * connection (peer_figures.h) added to the summary, as JSON members and
 * as text under each direction. */
#ifndef PEER_VIEW_H
#define PEER_VIEW_H
#include "cmd_peer.h"
#include "json_out.h"
#include "peer_figures.h"

typedef struct {
  Capture *cb;                 /* the other end's capture */
  Peer p;
  MptcpAnalysis *an_a;         /* the first end's analysis (its figures) */
  PeerFigures f[2];
} PeerView;

/* The connection a->argv[0] and its other end in --peer's capture. */
gboolean peer_view_open(Session *s, const CmdArgs *a, PeerView *v);
void peer_view_clear(PeerView *v);

void json_peer_head(JsonBuilder *b, const PeerView *v);
void json_peer_direction(JsonBuilder *b, const PeerView *v, int d);
void json_peer_subflow(JsonBuilder *b, const PeerView *v, int d, guint k);
void print_peer_head(const PeerView *v);
void print_peer_direction(const PeerView *v, int d);

#endif
