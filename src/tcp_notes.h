/* tcp_notes.h - per-packet TCP-level facts of one connection, for the
 * commands that show packets one by one (export, plots): sequence and
 * acknowledgement numbers relative to each side's ISN (64-bit, unwrapped,
 * the same base as tcp-summary), and whether the packet resent bytes its
 * direction had sent before. Computed on demand: one array per call, or
 * one packet at a time with a TcpNoteWalk. */
#ifndef TCP_NOTES_H
#define TCP_NOTES_H
#include "capture.h"
#include "seqtrack.h"

#define TNOTE_ACK     0x01  /* ack holds a relative acknowledgement number */
#define TNOTE_RETRANS 0x02  /* some payload bytes were sent before */

typedef struct {
  guint64 seq;       /* relative sequence number of the first payload byte */
  guint64 ack;       /* relative acknowledgement number (TNOTE_ACK) */
  guint32 fresh;     /* payload bytes not sent before in this direction */
  guint8 flags;      /* TNOTE_* */
} TcpNote;

/* A note per packet of t, in the order of t->packets; g_free() it. */
TcpNote *tcp_notes(const TcpConn *t);

/* The same one packet at a time, for a reader that goes through t's
 * packets in order (export): no array, only the walk's state. */
typedef struct {
  const TcpConn *t;
  guint next;                /* index of the packet the next note is for */
  SeqTrack seq[2], ack[2];
  ISet sent[2];              /* sequence ranges each endpoint sent */
} TcpNoteWalk;

void tcp_note_walk_init(TcpNoteWalk *w, const TcpConn *t);
/* The note of packet w->next, then w->next++. */
void tcp_note_next(TcpNoteWalk *w, TcpNote *n);
void tcp_note_walk_clear(TcpNoteWalk *w);

#endif
