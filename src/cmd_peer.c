/* cmd_peer.c - opening a connection's two ends for the two-capture
 * commands (see cmd_peer.h). */
#include "cmd_peer.h"

/* Open the two ends for the command's stream argument. */
gboolean cmd_open_peer(Session *s, const CmdArgs *a, gboolean tcp,
                       const char *other, Capture **cb, Peer *p)
{
  double offset = 0;
  GError *err = NULL;
  const char *arg = a->argv[0];
  const TcpConn *t = NULL;
  const MptcpConn *m = NULL;
  if (!cmd_opt_double(a, "--clock-offset", &offset))
    return FALSE;
  if (tcp ? !(t = tcp_arg(s->cap, arg)) : !(m = mptcp_arg(s->cap, arg)))
    return FALSE;
  if (!(*cb = cmd_peer_capture(s, other)))
    return FALSE;
  const double *given = cmd_flag(a, "--clock-offset") ? &offset : NULL;
  gboolean ok = tcp ? peer_tcp(p, s->cap, t, *cb, given, &err)
                    : peer_mptcp(p, s->cap, m, *cb, given, &err);
  if (!ok) {
    report_error("%s", err->message);
    g_error_free(err);
    peer_clear(p);
    capture_free(*cb);
    *cb = NULL;
  }
  return ok;
}

