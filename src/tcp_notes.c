/* tcp_notes.c - relative numbers and retransmissions, packet by packet. */
#include "tcp_notes.h"
#include "seqtrack.h"

TcpNote *tcp_notes(const TcpConn *t)
{
  SeqTrack seq[2], ack[2];
  ISet sent[2];
  TcpNote *notes = g_new0(TcpNote, t->packets->len);
  for (int e = 0; e < 2; e++) {
    seqtrack_init(&seq[e], t, e);
    ack[e] = seq[e];                 /* acks are unwrapped on their own */
    iset_init(&sent[e]);
  }
  for (guint i = 0; i < t->packets->len; i++) {
    const Packet *p = &g_array_index(t->packets, Packet, i);
    TcpNote *n = &notes[i];
    n->seq = seqtrack_rel(&seq[p->src], p->seq);
    if (p->tcp_flags & TCP_ACK) {
      n->ack = seqtrack_rel(&ack[1 - p->src], p->ack);
      n->flags |= TNOTE_ACK;
    }
    if (p->len) {
      n->fresh = (guint32)iset_add(&sent[p->src], n->seq, n->seq + p->len);
      if (n->fresh < p->len)
        n->flags |= TNOTE_RETRANS;
    }
  }
  for (int e = 0; e < 2; e++)
    iset_clear(&sent[e]);
  return notes;
}
