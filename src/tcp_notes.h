/* tcp_notes.h - per-packet TCP-level facts of one connection, for the
 * commands that show packets one by one (export, plots): sequence and
 * acknowledgement numbers relative to each side's ISN (64-bit, unwrapped,
 * the same base as tcp-summary), and whether the packet resent bytes its
 * direction had sent before. Computed on demand, one array per call. */
#ifndef TCP_NOTES_H
#define TCP_NOTES_H
#include "capture.h"

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

#endif
