/* row.h - the tshark field list and the decoder of one exported row.
 *
 * The field list is the one place that says what we ask tshark for; the
 * decoder turns one row of text fields into typed values. It accepts any
 * input: a row it cannot read is reported as ROW_BAD, never guessed at. */
#ifndef ROW_H
#define ROW_H

#include <glib.h>
#include "mptcp_option.h"

enum {
  F_FRAME, F_TIME, F_IP_SRC, F_IP_DST, F_IP6_SRC, F_IP6_DST, F_STREAM,
  F_SPORT, F_DPORT, F_FLAGS, F_SEQ, F_ACK, F_LEN, F_OPTIONS, F_MPTCP_STREAM,
  N_FIELDS
};

/* tshark field names, indexed by the F_ constants */
extern const char *const row_field_names[N_FIELDS];

#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_PSH 0x008
#define TCP_ACK 0x010

#define ADDR_MAX 48  /* an IPv6 address in text, with room to spare */

typedef struct {
  guint32 frame;
  gint64 time_ns;           /* capture time, nanoseconds since the epoch */
  char src[ADDR_MAX], dst[ADDR_MAX];
  guint32 stream;
  guint16 sport, dport, flags;
  guint32 seq, ack, len;    /* raw sequence numbers, payload length */
  gint64 mptcp_stream;      /* Wireshark's mptcp.stream, -1 when absent */
  guint32 tsval;            /* TCP timestamp value, 0 when absent */
  int n_opts;
  MptcpOpt opts[MPTCP_MAX_OPTS];
} Row;

typedef enum { ROW_OK, ROW_NOT_TCP, ROW_BAD } RowStatus;

/* Decode one row; fields[i] is the text of field i (NUL-terminated). */
RowStatus row_decode(const char *const *fields, int nfields, Row *row);

/* Parse "SECONDS.FRACTION" into nanoseconds; FALSE when malformed. */
gboolean parse_epoch_ns(const char *s, gint64 *out);

#endif
