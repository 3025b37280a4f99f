/* row.h - the tshark field list and the decoder of one exported row.
 *
 * The field list is the one place that says what we ask tshark for; the
 * decoder turns one row of text fields into typed values. It accepts any
 * input: a row it cannot read is reported as ROW_BAD, never guessed at.
 *
 * Addresses come from the IP header that carries the TCP header: the last
 * ip or ipv6 layer before tcp in frame.protocols, and the matching value
 * of ip.src or ipv6.src (a tunnel, 6in4 or GTP-U, puts several IP headers
 * in one packet, of one family or both). An ICMP error quoting a TCP
 * header is a ROW_ICMP, not a packet of that connection. */
#ifndef ROW_H
#define ROW_H

#include <glib.h>
#include "mptcp_option.h"

enum {
  F_FRAME, F_TIME, F_IP_SRC, F_IP_DST, F_IP6_SRC, F_IP6_DST, F_STREAM,
  F_SPORT, F_DPORT, F_FLAGS, F_SEQ, F_ACK, F_LEN, F_OPTIONS, F_MPTCP_STREAM,
  F_PROTOCOLS,      /* layer order: which IP header carries the TCP one */
  F_HDR_LEN,        /* TCP header length: were its options cut? */
  F_ICMP_TYPE, F_ICMP_CODE, F_ICMP6_TYPE, F_ICMP6_CODE,
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
  gint64 time_ns;           /* capture time, nanoseconds since the epoch;
                               G_MAXINT64 past 2262 (time_clamped) */
  char src[ADDR_MAX], dst[ADDR_MAX];
  guint32 stream;
  guint16 sport, dport, flags;
  guint32 seq, ack, len;    /* raw sequence numbers, payload length */
  gint64 mptcp_stream;      /* Wireshark's mptcp.stream, -1 when absent */
  guint32 tsval;            /* TCP timestamp value, 0 when absent */
  int n_opts;
  MptcpOpt opts[MPTCP_MAX_OPTS];
  gboolean options_cut;     /* the capture holds fewer option bytes than
                               the TCP header has (snap length) */
  gboolean time_clamped;    /* time_ns is G_MAXINT64: the real one is later */
  gboolean is_icmp;         /* ROW_ICMP (below) */
  /* ROW_ICMP: an ICMP or ICMPv6 error quoting the TCP header described
   * above (src, dst, ports, stream are the quoted packet's) */
  guint8 icmp_type, icmp_code, icmp_family;   /* family 4 or 6 */
  char icmp_from[ADDR_MAX]; /* the address that sent the error (router) */
} Row;

typedef enum { ROW_OK, ROW_NOT_TCP, ROW_BAD, ROW_ICMP } RowStatus;

/* Decode one row; fields[i] is the text of field i (NUL-terminated). */
RowStatus row_decode(const char *const *fields, int nfields, Row *row);

/* The last of a field's values (tshark joins several with commas). */
const char *field_last(const char *s);

/* The last of a field's values as an unsigned decimal (or 0x hex) number
 * no larger than max; FALSE when it is not one. */
gboolean field_uint(const char *s, guint64 max, guint64 *out);

/* Parse "SECONDS.FRACTION" into nanoseconds; FALSE when malformed. A time
 * past what nanoseconds in a gint64 hold (April 2262) is G_MAXINT64. */
gboolean parse_epoch_ns(const char *s, gint64 *out);

#endif
