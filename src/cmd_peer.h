/* cmd_peer.h - what the two-capture commands (owd, qualify-reinjections,
 * mptcp-summary --peer) share: opening the connection's other end from
 * the command's arguments ([CAPTURE1] STREAM CAPTURE2, --clock-offset). */
#ifndef CMD_PEER_H
#define CMD_PEER_H
#include "commands.h"
#include "peer.h"

/* The stream a->argv[0] of the loaded capture (TCP when tcp, else MPTCP)
 * and its other end in capture `other`; FALSE (error reported) when it
 * cannot be had. On success *cb and p are the caller's to free
 * (capture_free, peer_clear). */
gboolean cmd_open_peer(Session *s, const CmdArgs *a, gboolean tcp,
                       const char *other, Capture **cb, Peer *p);

#endif
