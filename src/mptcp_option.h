/* mptcp_option.h - decode the MPTCP options (TCP option kind 30) found in
 * the raw bytes of a TCP header's option area.
 *
 * tshark exports the option area as one hex string (tcp.options); decoding it
 * here keeps each option's fields together, which tshark's per-field export
 * does not do when one packet carries two MPTCP options. The contract:
 * mptcp_options_parse() never reads past the bytes it is given, accepts any
 * input, and returns how many MPTCP options it stored (at most
 * MPTCP_MAX_OPTS); malformed options are skipped, not guessed at. */
#ifndef MPTCP_OPTION_H
#define MPTCP_OPTION_H

#include <glib.h>

enum {
  MPTCP_CAPABLE = 0, MPTCP_JOIN = 1, MPTCP_DSS = 2, MPTCP_ADD_ADDR = 3,
  MPTCP_REMOVE_ADDR = 4, MPTCP_PRIO = 5, MPTCP_FAIL = 6,
  MPTCP_FASTCLOSE = 7, MPTCP_TCPRST = 8, MPTCP_SUBTYPES = 9
};

/* DSS flags, RFC 8684 section 3.3 */
#define DSS_ACK      0x01
#define DSS_ACK8     0x02
#define DSS_MAP      0x04
#define DSS_DSN8     0x08
#define DSS_FIN      0x10

#define MPTCP_MAX_OPTS 4
#define MPTCP_MAX_REMOVE 8

typedef struct {
  guint8 subtype;
  guint8 len;          /* option length byte */
  guint8 version;      /* MP_CAPABLE; ADD_ADDR: 0 for v0 layout, 1 for v1 */
  guint8 flags;        /* MP_CAPABLE/DSS/MP_JOIN/MP_PRIO/MP_TCPRST flags */
  guint8 addr_id;      /* MP_JOIN, ADD_ADDR, MP_PRIO (v0) */
  guint8 has_send_key, has_recv_key, has_token, has_port, has_data_len;
  guint8 family;       /* ADD_ADDR: 4 or 6 */
  guint8 n_removed;    /* REMOVE_ADDR */
  guint8 removed[MPTCP_MAX_REMOVE];
  guint8 reason;       /* MP_TCPRST */
  guint16 port;        /* ADD_ADDR */
  guint16 data_len;    /* DSS mapping length, MP_CAPABLE v1 data length */
  guint32 token;       /* MP_JOIN SYN: receiver's token */
  guint32 ssn;         /* DSS subflow sequence number (relative) */
  guint64 send_key;    /* MP_CAPABLE sender key; MP_FASTCLOSE receiver key */
  guint64 recv_key;    /* MP_CAPABLE receiver key */
  guint64 data_ack;    /* DSS data ACK, 4 or 8 bytes as sent */
  guint64 dsn;         /* DSS DSN, 4 or 8 bytes as sent; MP_FAIL DSN */
  guint8 addr[16];     /* ADD_ADDR address */
} MptcpOpt;

/* Decode hex text (as tshark prints tcp.options) into bytes; returns the
 * byte count, or -1 when the text is not an even run of hex digits. */
int hex_to_bytes(const char *hex, guint8 *out, int max);

/* Parse a TCP option area; returns the number of MPTCP options stored. */
int mptcp_options_parse(const guint8 *opt, int len, MptcpOpt *out, int max);
/* TRUE when o could have come out of mptcp_options_parse(): every count
 * and enumeration in range (for records read back from a file). */
gboolean mptcp_opt_valid(const MptcpOpt *o);
/* The TSval of the TCP timestamps option (kind 8) in an option area;
 * FALSE when there is none. */
gboolean tcp_option_tsval(const guint8 *opt, int len, guint32 *tsval);

#endif
