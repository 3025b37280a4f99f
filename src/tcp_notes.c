/* tcp_notes.c - relative numbers and retransmissions, packet by packet. */
#include "tcp_notes.h"

void tcp_note_walk_init(TcpNoteWalk *w, const TcpConn *t)
{
  w->t = t;
  w->next = 0;
  for (int e = 0; e < 2; e++) {
    seqtrack_init(&w->seq[e], t, e);
    w->ack[e] = w->seq[e];           /* acks are unwrapped on their own */
    iset_init(&w->sent[e]);
  }
}

void tcp_note_next(TcpNoteWalk *w, TcpNote *n)
{
  const Packet *p = &g_array_index(w->t->packets, Packet, w->next++);
  *n = (TcpNote){ 0 };
  n->seq = seqtrack_rel(&w->seq[p->src], p->seq);
  if (p->tcp_flags & TCP_ACK) {
    n->ack = seqtrack_rel(&w->ack[1 - p->src], p->ack);
    n->flags |= TNOTE_ACK;
  }
  if (p->len) {
    n->fresh = (guint32)iset_add(&w->sent[p->src], n->seq, n->seq + p->len);
    if (n->fresh < p->len)
      n->flags |= TNOTE_RETRANS;
  }
}

void tcp_note_walk_clear(TcpNoteWalk *w)
{
  for (int e = 0; e < 2; e++)
    iset_clear(&w->sent[e]);
}

TcpNote *tcp_notes(const TcpConn *t)
{
  TcpNoteWalk w;
  TcpNote *notes = g_new0(TcpNote, t->packets->len);
  tcp_note_walk_init(&w, t);
  for (guint i = 0; i < t->packets->len; i++)
    tcp_note_next(&w, &notes[i]);
  tcp_note_walk_clear(&w);
  return notes;
}
