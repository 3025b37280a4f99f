/* tcp_stats.c - packets, payload bytes, flags and times per direction. */
#include "tcp_stats.h"
#include <string.h>

void tcp_stats(const TcpConn *t, TcpStats *s)
{
  memset(s, 0, sizeof *s);
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    int d = pkt_dir(t, p);
    s->packets[d]++;
    s->bytes[d] += p->len;
    if (p->tcp_flags & TCP_SYN) {
      if (p->tcp_flags & TCP_ACK) s->synack = TRUE;
      else s->syn = TRUE;
    }
    if (p->tcp_flags & TCP_FIN) s->fin[d] = TRUE;
    if (p->tcp_flags & TCP_RST) s->rst[d] = TRUE;
    if (p->mptcp_subtypes & PKT_OPTIONS_CUT) s->options_cut++;
    if (i == 0 || p->time_ns < s->first_ns) s->first_ns = p->time_ns;
    if (i == 0 || p->time_ns > s->last_ns) s->last_ns = p->time_ns;
  }
}
