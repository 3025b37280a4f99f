/* range_check.h - check one range's rows against the numbering replay.
 *
 * Each range's tshark starts from nothing, so its rows are replayed
 * (ws_number.h) from an empty state too, and every row must get the
 * tcp.stream and mptcp.stream that tshark gave it; the first row that does
 * not is kept as the reason to read the capture in one pass instead. For
 * the ranges after the first, the rows the global replay needs are logged:
 * per local stream its first row, its first row per direction with a known
 * segment length and with an ACK (they set the base sequence numbers), its
 * SYNs, its MP_CAPABLE and MP_JOIN rows, and its first rows with any MPTCP
 * option and with one other than those two. The other rows cannot change
 * the numbering once those are replayed (range_merge.c). */
#ifndef RANGE_CHECK_H
#define RANGE_CHECK_H
#include <glib.h>
#include "ws_number.h"

typedef struct {
  guint32 stream;               /* local tcp.stream */
  guint8 flow, has_seglen, n_opts;
  guint16 flags;
  guint32 seq, ack;
  NumOpt *opts;                 /* owned, or NULL */
} LogRow;

typedef struct {
  WsNum *num;                   /* the replay from the range's start */
  GPtrArray *streams;           /* local tcp.stream -> StreamSeen* */
  GArray *log;                  /* LogRow, or NULL when not logging */
  guint64 rows;                 /* rows seen */
  char *disagree;               /* the first disagreement, or NULL */
} RangeCheck;

void range_check_init(RangeCheck *rc, gboolean log_rows);
void range_check_clear(RangeCheck *rc);
/* One row as tshark exported it (RowFieldsCallback's arguments). */
void range_check_row(RangeCheck *rc, const char *const *fields, int nfields);

/* The replay's conversation of a local tcp.stream (its key names the
 * pair for the global replay), or NULL. */
WsConv *range_check_conv(const RangeCheck *rc, guint32 stream);

#endif
