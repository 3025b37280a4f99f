/* seqtrack.c - finding the initial sequence number of a direction. */
#include "seqtrack.h"

void seqtrack_init(SeqTrack *s, const TcpConn *t, int endpoint)
{
  const Packet *first = NULL, *mapped = NULL;
  s->from_syn = FALSE;
  s->last = 1;
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    if (p->src != endpoint)
      continue;
    if (p->tcp_flags & TCP_SYN) {
      s->isn = p->seq;
      s->from_syn = TRUE;
      return;
    }
    if (!first)
      first = p;
    if (!mapped && p->len && (p->dss_flags & DSS_MAP) && p->data_len)
      mapped = p;
  }
  if (mapped)
    s->isn = mapped->seq - mapped->ssn;
  else
    s->isn = first ? first->seq - 1 : 0;
}
