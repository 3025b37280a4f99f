/* row.c - decode one row of tshark's tab-separated field export.
 *
 * tshark joins several values of one field with ',' (a tunnelled or quoted
 * packet has two IP headers). For TCP fields we keep the last value; for
 * addresses, the value of the IP header just before the TCP one, found in
 * frame.protocols (see row.h). */
#include "row.h"
#include <string.h>
#include <stdlib.h>

const char *const row_field_names[N_FIELDS] = {
  "frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ipv6.src",
  "ipv6.dst", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags",
  "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.options", "mptcp.stream",
  "frame.protocols", "tcp.hdr_len", "icmp.type", "icmp.code", "icmpv6.type",
  "icmpv6.code",
};

const char *field_last(const char *s)
{
  const char *c = strrchr(s, ',');
  return c ? c + 1 : s;
}

/* A hand-written loop: this runs ten times per packet. */
gboolean field_uint(const char *s, guint64 max, guint64 *out)
{
  guint64 v = 0;
  s = field_last(s);
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
  const gint64 max_sec = G_MAXINT64 / 1000000000;
  gint64 sec = 0, ns = 0;
  gboolean over = FALSE;
  int digits = 0;
  if (!g_ascii_isdigit(*s))
    return FALSE;
  for (; g_ascii_isdigit(*s); s++) {
    if (!over && sec > (max_sec - (*s - '0')) / 10)
      over = TRUE;
    if (!over)
      sec = sec * 10 + (*s - '0');
  }
  if (*s == '.')
    for (s++; g_ascii_isdigit(*s); s++)
      if (digits < 9) { ns = ns * 10 + (*s - '0'); digits++; }
  if (*s != '\0')
    return FALSE;
  for (; digits < 9; digits++)
    ns *= 10;
  if (over || sec > (G_MAXINT64 - ns) / 1000000000)
    *out = G_MAXINT64;
  else
    *out = sec * 1000000000 + ns;
  return TRUE;
}

/* Which IP headers matter, from frame.protocols ("eth:ethertype:ip:icmp:
 * ip:tcp:mptcp"): the one carrying the (last) TCP header, and the one
 * that sent an ICMP error quoting it; family 0 when there is none. index
 * counts the headers of that family before it (0 = the first), which is
 * its value's position in ip.src or ipv6.src. */
typedef struct {
  int family, index;
  int icmp_family, icmp_index;
} Layers;

static void find_layers(const char *protos, Layers *l)
{
  int n[2] = { 0, 0 }, fam = 0, idx = 0;
  int icmp_fam = 0, icmp_idx = 0;
  memset(l, 0, sizeof *l);
  for (const char *p = protos; *p; ) {
    gsize len = strcspn(p, ":");
    if (len == 2 && strncmp(p, "ip", 2) == 0) {
      fam = 4; idx = n[0]++;
    } else if (len == 4 && strncmp(p, "ipv6", 4) == 0) {
      fam = 6; idx = n[1]++;
    } else if ((len == 4 && strncmp(p, "icmp", 4) == 0) ||
               (len == 6 && strncmp(p, "icmpv6", 6) == 0)) {
      icmp_fam = fam; icmp_idx = idx;
    } else if (len == 3 && strncmp(p, "tcp", 3) == 0) {
      l->family = fam; l->index = idx;
      l->icmp_family = icmp_fam; l->icmp_index = icmp_idx;
    }
    p += len + (p[len] == ':');
  }
}

/* Copy value number idx (0-based) of a ','-joined field; FALSE if none. */
static gboolean nth_value(const char *s, int idx, char *out)
{
  for (; idx > 0 && s; idx--)
    if ((s = strchr(s, ',')))
      s++;
  if (!s)
    return FALSE;
  gsize n = strcspn(s, ",");
  if (n == 0 || n >= ADDR_MAX)
    return FALSE;
  memcpy(out, s, n);
  out[n] = '\0';
  return TRUE;
}

/* The address of one end: from the IP header the layers name, else (no
 * frame.protocols) the last IPv4 value, else the last IPv6 one. */
static gboolean copy_addr(const char *v4, const char *v6, const Layers *l,
                          char *out)
{
  if (l->family)
    return nth_value(l->family == 4 ? v4 : v6, l->index, out);
  const char *s = field_last(*v4 ? v4 : v6);
  size_t n = strlen(s);
  if (n == 0 || n >= ADDR_MAX)
    return FALSE;
  memcpy(out, s, n + 1);
  return TRUE;
}

/* The numbers every row has: frame, stream, ports. */
static gboolean decode_ids(const char *const *f, Row *r)
{
  guint64 v[4];
  static const int idx[4] = { F_FRAME, F_STREAM, F_SPORT, F_DPORT };
  static const guint64 max[4] = { G_MAXUINT32, G_MAXUINT32, 65535, 65535 };
  for (int i = 0; i < 4; i++)
    if (!field_uint(f[idx[i]], max[i], &v[i]))
      return FALSE;
  r->frame = (guint32)v[0];
  r->stream = (guint32)v[1];
  r->sport = (guint16)v[2];
  r->dport = (guint16)v[3];
  return TRUE;
}

/* The numbers of a packet's own TCP header. */
static gboolean decode_numbers(const char *const *f, Row *r)
{
  guint64 v[4];
  static const int idx[4] = { F_FLAGS, F_SEQ, F_ACK, F_LEN };
  static const guint64 max[4] = { 0xffff, G_MAXUINT32, G_MAXUINT32,
                                  G_MAXUINT32 };
  for (int i = 0; i < 4; i++)
    if (!field_uint(f[idx[i]], max[i], &v[i]))
      return FALSE;
  r->flags = (guint16)v[0];
  r->seq = (guint32)v[1];
  r->ack = (guint32)v[2];
  r->len = (guint32)v[3];
  return TRUE;
}

/* tcp.options holds the bytes the capture kept ("<MISSING>" when a snap
 * length cut them all); tcp.hdr_len says how many the header has. */
static gboolean decode_options(const char *hex, const char *hdr_len, Row *r)
{
  guint8 bytes[64];
  guint64 hl = 0;
  gboolean know_hl = *hdr_len && field_uint(hdr_len, 60, &hl);
  r->n_opts = 0;
  r->tsval = 0;
  hex = field_last(hex);
  if (strcmp(hex, "<MISSING>") == 0) {
    r->options_cut = !know_hl || hl > 20;
    return TRUE;
  }
  int n = *hex ? hex_to_bytes(hex, bytes, sizeof bytes) : 0;
  if (n < 0)
    return FALSE;
  r->options_cut = know_hl && (guint64)n + 20 < hl;
  r->n_opts = mptcp_options_parse(bytes, n, r->opts, MPTCP_MAX_OPTS);
  tcp_option_tsval(bytes, n, &r->tsval);
  return TRUE;
}

/* An ICMP or ICMPv6 error quoting a TCP header: its type, code and the
 * address that sent it. */
static RowStatus decode_icmp(const char *const *f, const Layers *l, Row *r)
{
  guint64 type, code;
  int v6 = l->icmp_family == 6;
  if (!field_uint(f[v6 ? F_ICMP6_TYPE : F_ICMP_TYPE], 255, &type) ||
      !field_uint(f[v6 ? F_ICMP6_CODE : F_ICMP_CODE], 255, &code) ||
      !nth_value(f[v6 ? F_IP6_SRC : F_IP_SRC], l->icmp_index, r->icmp_from))
    return ROW_BAD;
  r->icmp_type = (guint8)type;
  r->icmp_code = (guint8)code;
  r->icmp_family = v6 ? 6 : 4;
  r->is_icmp = TRUE;
  return ROW_ICMP;
}

RowStatus row_decode(const char *const *f, int nfields, Row *r)
{
  guint64 ms;
  Layers l;
  if (nfields != N_FIELDS)
    return ROW_BAD;
  if (!*f[F_STREAM])
    return ROW_NOT_TCP;
  r->is_icmp = r->options_cut = FALSE;
  r->n_opts = 0;
  r->mptcp_stream = -1;
  find_layers(f[F_PROTOCOLS], &l);
  if (!decode_ids(f, r) || !parse_epoch_ns(f[F_TIME], &r->time_ns) ||
      !copy_addr(f[F_IP_SRC], f[F_IP6_SRC], &l, r->src) ||
      !copy_addr(f[F_IP_DST], f[F_IP6_DST], &l, r->dst))
    return ROW_BAD;
  r->time_clamped = r->time_ns == G_MAXINT64;
  if (l.icmp_family)
    return decode_icmp(f, &l, r);
  if (!decode_numbers(f, r))
    return ROW_BAD;
  if (*f[F_MPTCP_STREAM]) {
    if (!field_uint(f[F_MPTCP_STREAM], G_MAXUINT32, &ms))
      return ROW_BAD;
    r->mptcp_stream = (gint64)ms;
  }
  return decode_options(f[F_OPTIONS], f[F_HDR_LEN], r) ? ROW_OK : ROW_BAD;
}
