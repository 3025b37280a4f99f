/* row.c - decode one row of tshark's tab-separated field export.
 *
 * tshark joins several values of one field with ',' (a tunnelled or quoted
 * packet has two IP headers); we keep the last value, the innermost header,
 * which is the one the TCP fields describe. */
#include "row.h"
#include <string.h>
#include <stdlib.h>

const char *const row_field_names[N_FIELDS] = {
  "frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ipv6.src",
  "ipv6.dst", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags",
  "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.options", "mptcp.stream",
};

static const char *last_value(const char *s)
{
  const char *c = strrchr(s, ',');
  return c ? c + 1 : s;
}

/* Unsigned decimal (or 0x hex) number no larger than max: the last of a
 * field's values. A hand-written loop: this runs ten times per packet. */
static gboolean parse_uint(const char *s, guint64 max, guint64 *out)
{
  guint64 v = 0;
  s = last_value(s);
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    char *end;
    if (!g_ascii_isxdigit(s[2]))
      return FALSE;
    v = g_ascii_strtoull(s + 2, &end, 16);
    if (*end != '\0' || v > max)
      return FALSE;
    *out = v;
    return TRUE;
  }
  if (!g_ascii_isdigit(*s))
    return FALSE;
  for (; g_ascii_isdigit(*s); s++) {
    if (v > (max - (guint64)(*s - '0')) / 10)
      return FALSE;
    v = v * 10 + (guint64)(*s - '0');
  }
  if (*s != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean parse_epoch_ns(const char *s, gint64 *out)
{
  gint64 sec = 0, ns = 0;
  int digits = 0;
  if (!g_ascii_isdigit(*s))
    return FALSE;
  for (; g_ascii_isdigit(*s); s++) {
    if (sec > G_MAXINT64 / 10 / 1000000000) return FALSE;
    sec = sec * 10 + (*s - '0');
  }
  if (*s == '.')
    for (s++; g_ascii_isdigit(*s); s++)
      if (digits < 9) { ns = ns * 10 + (*s - '0'); digits++; }
  if (*s != '\0')
    return FALSE;
  for (; digits < 9; digits++)
    ns *= 10;
  *out = sec * 1000000000 + ns;
  return TRUE;
}

static gboolean copy_addr(const char *v4, const char *v6, char *out)
{
  const char *s = last_value(*v4 ? v4 : v6);
  size_t n = strlen(s);
  if (n == 0 || n >= ADDR_MAX)
    return FALSE;
  memcpy(out, s, n + 1);
  return TRUE;
}

static gboolean decode_numbers(const char *const *f, Row *r)
{
  guint64 v[8];
  static const int idx[8] = { F_FRAME, F_STREAM, F_SPORT, F_DPORT,
                              F_FLAGS, F_SEQ, F_ACK, F_LEN };
  static const guint64 max[8] = { G_MAXUINT32, G_MAXUINT32, 65535, 65535,
                                  0xffff, G_MAXUINT32, G_MAXUINT32,
                                  G_MAXUINT32 };
  for (int i = 0; i < 8; i++)
    if (!parse_uint(f[idx[i]], max[i], &v[i]))
      return FALSE;
  r->frame = (guint32)v[0];
  r->stream = (guint32)v[1];
  r->sport = (guint16)v[2];
  r->dport = (guint16)v[3];
  r->flags = (guint16)v[4];
  r->seq = (guint32)v[5];
  r->ack = (guint32)v[6];
  r->len = (guint32)v[7];
  return TRUE;
}

static gboolean decode_options(const char *hex, Row *r)
{
  guint8 bytes[64];
  r->n_opts = 0;
  r->tsval = 0;
  hex = last_value(hex);
  if (!*hex)
    return TRUE;
  int n = hex_to_bytes(hex, bytes, sizeof bytes);
  if (n < 0)
    return FALSE;
  r->n_opts = mptcp_options_parse(bytes, n, r->opts, MPTCP_MAX_OPTS);
  tcp_option_tsval(bytes, n, &r->tsval);
  return TRUE;
}

RowStatus row_decode(const char *const *f, int nfields, Row *r)
{
  guint64 ms;
  if (nfields != N_FIELDS)
    return ROW_BAD;
  if (!*f[F_STREAM])
    return ROW_NOT_TCP;
  if (!decode_numbers(f, r) || !parse_epoch_ns(f[F_TIME], &r->time_ns))
    return ROW_BAD;
  if (!copy_addr(f[F_IP_SRC], f[F_IP6_SRC], r->src) ||
      !copy_addr(f[F_IP_DST], f[F_IP6_DST], r->dst))
    return ROW_BAD;
  r->mptcp_stream = -1;
  if (*f[F_MPTCP_STREAM]) {
    if (!parse_uint(f[F_MPTCP_STREAM], G_MAXUINT32, &ms))
      return ROW_BAD;
    r->mptcp_stream = (gint64)ms;
  }
  return decode_options(f[F_OPTIONS], r) ? ROW_OK : ROW_BAD;
}
