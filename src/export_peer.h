/* export_peer.h - export's columns from the other end's capture (--peer):
 * for each packet, its copy there (peer.h pairs them), that copy's time,
 * the one-way delay, and whether the network lost it. One ExportPeer per
 * exported TCP connection, made before the rows are written; a
 * connection the other capture does not hold gets empty columns. */
#ifndef EXPORT_PEER_H
#define EXPORT_PEER_H
#include "capture.h"
#include "peer.h"

typedef struct {
  gboolean compared;           /* its connection is in the other capture
                                  (this subflow there or not) */
  const TcpConn *b;            /* the connection's copy there, or NULL */
  guint32 *copy;               /* per packet: index + 1 of its copy, 0 none */
  gboolean sent_here[2];       /* per endpoint: this capture holds the
                                  sender of what that endpoint sends */
  gint64 offset_ns;            /* the other clock minus this one */
} ExportPeer;

/* One ExportPeer per connection of conns (TcpConn*) of capture ca; FALSE
 * (err set) when the captures cannot be compared (the same capture, clocks
 * far apart without offset_s). */
ExportPeer *export_peer_make(const GPtrArray *conns, const Capture *ca,
                             const Capture *cb, const double *offset_s,
                             GError **err);
void export_peer_free(ExportPeer *ep, guint n);

#endif
