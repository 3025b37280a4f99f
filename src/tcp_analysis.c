/* tcp_analysis.c - unique bytes are the size of the union of the sequence
 * ranges a direction carried; everything else it carried is retransmitted. */
#include "tcp_analysis.h"
#include "seqtrack.h"
#include <string.h>

void tcp_summarise(const TcpConn *t, TcpDirSummary out[2])
{
  SeqTrack seq[2];
  ISet sets[2];
  memset(out, 0, 2 * sizeof *out);
  for (int e = 0; e < 2; e++) {
    seqtrack_init(&seq[e], t, e);
    iset_init(&sets[e]);
  }
  for (int d = 0; d < 2; d++)
    out[d].syn_ns = out[d].fin_ns = -1;
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    TcpDirSummary *o = &out[pkt_dir(t, p)];
    /* earliest and latest: capture times need not increase */
    if (o->packets++ == 0 || p->time_ns < o->first_ns)
      o->first_ns = p->time_ns;
    if (o->packets == 1 || p->time_ns > o->last_ns)
      o->last_ns = p->time_ns;
    if ((p->tcp_flags & TCP_SYN) && o->syn_ns < 0) o->syn_ns = p->time_ns;
    if ((p->tcp_flags & TCP_FIN) && o->fin_ns < 0) o->fin_ns = p->time_ns;
    o->syn |= (p->tcp_flags & TCP_SYN) != 0;
    o->fin |= (p->tcp_flags & TCP_FIN) != 0;
    o->rst |= (p->tcp_flags & TCP_RST) != 0;
    if (!p->len)
      continue;
    if (o->data_packets++ == 0 || p->time_ns < o->first_data_ns)
      o->first_data_ns = p->time_ns;
    if (o->data_packets == 1 || p->time_ns > o->last_data_ns)
      o->last_data_ns = p->time_ns;
    guint64 start = seqtrack_rel(&seq[p->src], p->seq);
    o->payload_bytes += p->len;
    o->unique_bytes += iset_add(&sets[p->src], start, start + p->len);
  }
  for (int d = 0; d < 2; d++) {
    int e = d == TO_SERVER ? t->client : conn_server(t);
    out[d].retransmitted_bytes = out[d].payload_bytes - out[d].unique_bytes;
    out[d].isn_from_syn = seq[e].from_syn;
    iset_clear(&sets[e]);
  }
}

void tcp_handshake(const TcpConn *t, TcpHandshake *h)
{
  *h = (TcpHandshake){ -1, -1, -1, -1, -1 };
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    guint16 f = p->tcp_flags;
    if ((f & (TCP_SYN | TCP_ACK)) == TCP_SYN && h->syn_ns < 0)
      h->syn_ns = p->time_ns;
    else if ((f & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) && h->synack_ns < 0)
      h->synack_ns = p->time_ns;
    else if (!(f & TCP_SYN) && (f & TCP_ACK) && h->synack_ns >= 0 &&
             h->ack_ns < 0 && pkt_to_server(t, p))
      h->ack_ns = p->time_ns;
    if ((f & TCP_FIN) && h->first_fin_ns < 0)
      h->first_fin_ns = p->time_ns;
    if ((f & TCP_RST) && h->rst_ns < 0)
      h->rst_ns = p->time_ns;
  }
}
