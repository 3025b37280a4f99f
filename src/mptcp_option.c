/* mptcp_option.c - decode MPTCP options from a TCP option area.
 * Layouts from RFC 6824 (v0) and RFC 8684 (v1), section 3 of each. */
#include "mptcp_option.h"
#include <string.h>

/* hex digit values, -1 for anything else */
static const signed char hex_value[256] = {
  ['0'] = 0, ['1'] = 1, ['2'] = 2, ['3'] = 3, ['4'] = 4, ['5'] = 5,
  ['6'] = 6, ['7'] = 7, ['8'] = 8, ['9'] = 9,
  ['a'] = 10, ['b'] = 11, ['c'] = 12, ['d'] = 13, ['e'] = 14, ['f'] = 15,
  ['A'] = 10, ['B'] = 11, ['C'] = 12, ['D'] = 13, ['E'] = 14, ['F'] = 15,
};

static int hex_digit(char c)
{
  unsigned char u = (unsigned char)c;
  return (u >= '0' && u <= '9') || hex_value[u] ? hex_value[u] : -1;
}

int hex_to_bytes(const char *hex, guint8 *out, int max)
{
  int n = 0;
  while (hex[0] && hex[1]) {
    if (hex[0] == ':') { hex++; continue; }
    int hi = hex_digit(hex[0]), lo = hex_digit(hex[1]);
    if (hi < 0 || lo < 0 || n >= max)
      return -1;
    out[n++] = (guint8)(hi << 4 | lo);
    hex += 2;
  }
  return hex[0] ? -1 : n;
}

static guint64 be_uint(const guint8 *p, int bytes)
{
  guint64 v = 0;
  for (int i = 0; i < bytes; i++)
    v = v << 8 | p[i];
  return v;
}

static gboolean parse_capable(const guint8 *o, int len, MptcpOpt *m)
{
  m->version = o[2] & 0x0f;
  m->flags = o[3];
  if (len >= 12) { m->has_send_key = 1; m->send_key = be_uint(o + 4, 8); }
  if (len >= 20) { m->has_recv_key = 1; m->recv_key = be_uint(o + 12, 8); }
  if (len >= 22) { m->has_data_len = 1; m->data_len = (guint16)be_uint(o + 20, 2); }
  return len == 4 || len == 12 || len == 20 || len == 22 || len == 24;
}

static gboolean parse_join(const guint8 *o, int len, MptcpOpt *m)
{
  m->flags = o[2] & 0x0f;
  m->addr_id = o[3];
  if (len == 12) { m->has_token = 1; m->token = (guint32)be_uint(o + 4, 4); }
  return len == 12 || len == 16 || len == 24;
}

static gboolean parse_dss(const guint8 *o, int len, MptcpOpt *m)
{
  int off = 4;
  m->flags = o[3];
  if (m->flags & DSS_ACK) {
    int n = (m->flags & DSS_ACK8) ? 8 : 4;
    if (off + n > len) return FALSE;
    m->data_ack = be_uint(o + off, n);
    off += n;
  }
  if (m->flags & DSS_MAP) {
    int n = (m->flags & DSS_DSN8) ? 8 : 4;
    if (off + n + 6 > len) return FALSE;
    m->dsn = be_uint(o + off, n);
    m->ssn = (guint32)be_uint(o + off + n, 4);
    m->data_len = (guint16)be_uint(o + off + n + 4, 2);
    off += n + 6;
  }
  return len == off || len == off + 2;   /* + optional checksum */
}

static gboolean parse_add_addr(const guint8 *o, int len, MptcpOpt *m)
{
  int nib = o[2] & 0x0f, alen;
  m->addr_id = o[3];
  if (nib == 4 || nib == 6) {            /* v0: low nibble is IPVer */
    m->version = 0;
    m->family = (guint8)nib;
    alen = nib == 4 ? 4 : 16;
    if (len != 4 + alen && len != 6 + alen) return FALSE;
  } else {                               /* v1: low nibble holds E flag */
    m->version = 1;
    m->flags = (guint8)nib;
    if (len == 8 || len == 10 || len == 16 || len == 18) alen = 4;
    else if (len == 20 || len == 22 || len == 28 || len == 30) alen = 16;
    else return FALSE;
    m->family = alen == 4 ? 4 : 6;
  }
  memcpy(m->addr, o + 4, (size_t)alen);
  if ((len - 4 - alen) % 8 == 2) {       /* a port follows the address */
    m->has_port = 1;
    m->port = (guint16)be_uint(o + 4 + alen, 2);
  }
  return TRUE;
}

static gboolean parse_one(const guint8 *o, int len, MptcpOpt *m)
{
  memset(m, 0, sizeof *m);
  if (len < 3) return FALSE;
  m->subtype = o[2] >> 4;
  m->len = (guint8)len;
  if (m->subtype == MPTCP_REMOVE_ADDR) {
    for (int i = 3; i < len && m->n_removed < MPTCP_MAX_REMOVE; i++)
      m->removed[m->n_removed++] = o[i];
    return TRUE;
  }
  if (m->subtype == MPTCP_PRIO) {
    m->flags = o[2] & 0x0f;
    if (len >= 4) m->addr_id = o[3];
    return TRUE;
  }
  if (len < 4) return FALSE;
  switch (m->subtype) {
  case MPTCP_CAPABLE:  return parse_capable(o, len, m);
  case MPTCP_JOIN:     return parse_join(o, len, m);
  case MPTCP_DSS:      return parse_dss(o, len, m);
  case MPTCP_ADD_ADDR: return parse_add_addr(o, len, m);
  case MPTCP_FAIL:
    if (len != 12) return FALSE;
    m->dsn = be_uint(o + 4, 8);
    return TRUE;
  case MPTCP_FASTCLOSE:
    if (len != 12) return FALSE;
    m->send_key = be_uint(o + 4, 8);
    return TRUE;
  case MPTCP_TCPRST:
    m->flags = o[2] & 0x0f;
    m->reason = o[3];
    return TRUE;
  default:
    return FALSE;
  }
}

gboolean tcp_option_tsval(const guint8 *opt, int len, guint32 *tsval)
{
  int i = 0;
  while (i < len && opt[i] != 0) {
    if (opt[i] == 1) { i++; continue; }
    if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len)
      return FALSE;
    if (opt[i] == 8 && opt[i + 1] == 10) {
      *tsval = (guint32)be_uint(opt + i + 2, 4);
      return TRUE;
    }
    i += opt[i + 1];
  }
  return FALSE;
}

int mptcp_options_parse(const guint8 *opt, int len, MptcpOpt *out, int max)
{
  int i = 0, n = 0;
  while (i < len) {
    int kind = opt[i];
    if (kind == 0) break;                       /* end of option list */
    if (kind == 1) { i++; continue; }           /* NOP */
    if (i + 1 >= len) break;
    int olen = opt[i + 1];
    if (olen < 2 || i + olen > len) break;      /* malformed: stop */
    if (kind == 30 && n < max && parse_one(opt + i, olen, &out[n]))
      n++;
    i += olen;
  }
  return n;
}

gboolean mptcp_opt_valid(const MptcpOpt *o)
{
  const guint8 flags01[] = { o->has_send_key, o->has_recv_key, o->has_token,
                             o->has_port, o->has_data_len };
  for (gsize i = 0; i < sizeof flags01; i++)
    if (flags01[i] > 1)
      return FALSE;
  return o->subtype < MPTCP_SUBTYPES && o->n_removed <= MPTCP_MAX_REMOVE &&
         (o->family == 0 || o->family == 4 || o->family == 6) &&
         o->version <= 0x0f;
}
