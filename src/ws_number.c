/* ws_number.c - the replay of Wireshark's tcp.stream and mptcp.stream
 * numbering (see ws_number.h for the rules). The MPTCP part follows the
 * dissector's own bookkeeping: each connection has two "meta" flows (one
 * per direction, each with a token and a key), each TCP direction of a
 * subflow points at one of them, and a global table maps tokens to
 * connections. Where the dissector asserts (an existing connection whose
 * metas both lack a token receives a new token), it throws: the rest of
 * the packet's options are not read and the packet shows no mptcp.stream;
 * so here. */
#include "ws_number.h"
#include "mptcp_crypto.h"
#include "row.h"
#include <string.h>

#define TH_SYN 0x002
#define TH_ACK 0x010

typedef struct {
  gboolean has_token, has_key;
  guint32 token;
  guint8 version;
} Meta;

typedef struct {
  guint32 id;                   /* mptcp.stream */
  Meta meta[2];
} Analysis;

typedef struct { Analysis *a; int i; } MetaRef;   /* a NULL: none yet */

struct WsConv {
  guint32 stream;
  char *key;
  gboolean base_set[2];
  guint32 base[2];              /* per flow */
  Analysis *analysis;
  MetaRef meta[2];              /* per flow */
  gint64 first_shown;
  gboolean current;             /* still its pair's latest */
  gpointer user;
};

struct WsNum {
  GHashTable *current;          /* key -> WsConv*: the pair's latest */
  GPtrArray *convs, *analyses;  /* every one made, for freeing */
  GHashTable *tokens;           /* token -> Analysis* */
};

WsNum *wsnum_new(void)
{
  WsNum *n = g_new0(WsNum, 1);
  n->current = g_hash_table_new(g_str_hash, g_str_equal);
  n->convs = g_ptr_array_new();
  n->analyses = g_ptr_array_new_with_free_func(g_free);
  n->tokens = g_hash_table_new(g_direct_hash, g_direct_equal);
  return n;
}

static void conv_free(gpointer p)
{
  WsConv *c = p;
  g_free(c->key);
  g_free(c);
}

void wsnum_free(WsNum *n)
{
  if (!n)
    return;
  for (guint i = 0; i < n->convs->len; i++)
    conv_free(g_ptr_array_index(n->convs, i));
  g_ptr_array_free(n->convs, TRUE);
  g_ptr_array_free(n->analyses, TRUE);
  g_hash_table_destroy(n->current);
  g_hash_table_destroy(n->tokens);
  g_free(n);
}

char *wsnum_key(const char *src, guint16 sport, const char *dst,
                guint16 dport, int *flow)
{
  int c = strcmp(src, dst);
  gboolean src_first = c < 0 || (c == 0 && sport <= dport);
  *flow = src_first ? 0 : 1;
  return src_first ? g_strdup_printf("%s\t%u\t%s\t%u", src, sport, dst, dport)
                   : g_strdup_printf("%s\t%u\t%s\t%u", dst, dport, src, sport);
}

static int nibble(char c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Byte i of the hex text (n bytes long), -1 if not hex. */
static int byte_at(const char *hex, int i)
{
  int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
  return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
}

static guint64 be_at(const char *hex, int at, int bytes)
{
  guint64 v = 0;
  for (int b = 0; b < bytes; b++)
    v = v << 8 | (guint64)byte_at(hex, at + b);
  return v;
}

int wsnum_options(const char *hex, NumOpt *out, int max)
{
  size_t chars = strlen(hex);
  int len = (int)(chars / 2), i = 0, n = 0;
  if (chars % 2 || chars > 2 * 64)
    return -1;
  for (size_t c = 0; c < chars; c++)
    if (nibble(hex[c]) < 0)
      return -1;
  while (i < len && byte_at(hex, i) != 0) {       /* 0: end of options */
    int kind = byte_at(hex, i);
    if (kind == 1) { i++; continue; }             /* NOP */
    int olen = i + 1 < len ? byte_at(hex, i + 1) : 0;
    if (olen < 2 || i + olen > len)
      break;                                      /* malformed: tshark stops */
    if (kind == 30 && olen >= 3 && n < max) {
      NumOpt *m = &out[n++];
      memset(m, 0, sizeof *m);
      m->subtype = (guint8)(byte_at(hex, i + 2) >> 4);
      m->len = (guint8)olen;
      m->version = (guint8)(byte_at(hex, i + 2) & 0x0f);
      if (m->subtype <= 1 && olen >= 8)
        m->token = (guint32)be_at(hex, i + 4, 4);
      if (m->subtype == 0 && olen >= 12)
        m->send_key = be_at(hex, i + 4, 8);
      if (m->subtype == 0 && olen >= 20)
        m->recv_key = be_at(hex, i + 12, 8);
    }
    i += olen;
  }
  return n;
}

static WsConv *conv_new(WsNum *n, const char *key)
{
  WsConv *c = g_new0(WsConv, 1);
  c->stream = n->convs->len;
  c->key = g_strdup(key);
  c->first_shown = -1;
  c->current = TRUE;
  g_ptr_array_add(n->convs, c);
  WsConv *old = g_hash_table_lookup(n->current, key);
  if (old)
    old->current = FALSE;
  g_hash_table_replace(n->current, c->key, c);
  return c;
}

/* ---- TCP ---- */

static WsConv *tcp_conv(WsNum *n, const NumInput *in)
{
  WsConv *c = in->hint && in->hint->current ? in->hint
             : g_hash_table_lookup(n->current, in->key);
  int f = in->flow;
  guint16 sa = in->flags & (TH_SYN | TH_ACK);
  if (!c)
    c = conv_new(n, in->key);
  if (sa == TH_SYN && c->base_set[f] && in->seq != c->base[f])
    c = conv_new(n, in->key);                   /* port pair reused */
  if (sa == (TH_SYN | TH_ACK) && c->base_set[f] && in->seq != c->base[f])
    c->base[f] = in->seq;
  if (in->has_seglen) {
    if (!c->base_set[f]) {
      c->base[f] = (in->flags & TH_SYN) ? in->seq : in->seq - 1;
      c->base_set[f] = TRUE;
    }
    if (!c->base_set[1 - f] && (in->flags & TH_ACK)) {
      c->base[1 - f] = in->ack - 1;
      c->base_set[1 - f] = TRUE;
    }
  }
  return c;
}

/* ---- MPTCP ---- */

static Meta *meta_of(MetaRef r)
{
  return r.a ? &r.a->meta[r.i] : NULL;
}

static Analysis *alloc_analysis(WsNum *n, WsConv *c, int fwd)
{
  Analysis *a = g_new0(Analysis, 1);
  a->id = n->analyses->len;
  g_ptr_array_add(n->analyses, a);
  c->analysis = a;
  c->meta[fwd] = (MetaRef){ a, 0 };
  c->meta[1 - fwd] = (MetaRef){ a, 1 };
  return a;
}

/* The connection a token names, made if it is new. FALSE: the dissector's
 * assertion fails (see the top of this file). */
static gboolean from_token(WsNum *n, WsConv *c, int fwd, int flow,
                           guint32 token, Analysis **out)
{
  Analysis *a = c->analysis;
  Meta *m = meta_of(c->meta[flow]);
  if (m && m->has_token) {
    *out = a;
    return TRUE;
  }
  Analysis *known = g_hash_table_lookup(n->tokens, GUINT_TO_POINTER(token));
  if (known) {
    a = known;
    c->analysis = a;
  } else {
    if (!a) {
      a = alloc_analysis(n, c, fwd);
    } else {
      int free_i = a->meta[0].has_token ? 1 : a->meta[1].has_token ? 0 : -1;
      if (free_i < 0)
        return FALSE;
      c->meta[flow] = (MetaRef){ a, free_i };
    }
    m = meta_of(c->meta[flow]);
    m->token = token;
    m->has_token = TRUE;
    g_hash_table_insert(n->tokens, GUINT_TO_POINTER(token), a);
  }
  int i = (c->meta[flow].a == a && c->meta[flow].i == 0) ? 0 : 1;
  if (flow != fwd)
    i = 1 - i;
  c->meta[fwd] = (MetaRef){ a, i };
  c->meta[1 - fwd] = (MetaRef){ a, 1 - i };
  *out = a;
  return TRUE;
}

static gboolean from_key(WsNum *n, WsConv *c, int fwd, int flow,
                         guint8 version, guint64 key, Analysis **out)
{
  Meta *m = meta_of(c->meta[flow]);
  guint32 token = 0;
  guint64 idsn;
  if (m && m->has_key) {
    *out = c->analysis;
    return TRUE;
  }
  if (version == 0 || version == 1)
    mptcp_key_derive(version, key, &token, &idsn);
  if (!from_token(n, c, fwd, flow, token, out))
    return FALSE;
  m = meta_of(c->meta[flow]);
  m->version = version;
  m->has_key = TRUE;
  return TRUE;
}

/* One option; FALSE when the dissector would throw. */
static gboolean mptcp_option(WsNum *n, WsConv *c, int fwd, const NumOpt *o,
                             Analysis **a)
{
  int rev = 1 - fwd;
  *a = c->analysis;
  if (!*a && o->subtype > 1)
    *a = alloc_analysis(n, c, fwd);
  if (o->subtype == 0 && (o->len == 12 || o->len == 20 || o->len == 22 ||
                          o->len == 24)) {
    if (!from_key(n, c, fwd, fwd, o->version, o->send_key, a))
      return FALSE;
    Meta *rm = meta_of(c->meta[rev]);
    if (o->len >= 20 && !(rm && rm->has_key) &&
        !from_key(n, c, fwd, rev, o->version, o->recv_key, a))
      return FALSE;
  } else if (o->subtype == 1) {
    if (o->len != 12 && !*a)
      *a = alloc_analysis(n, c, fwd);
    if (o->len == 12) {
      if (!from_token(n, c, fwd, rev, o->token, a))
        return FALSE;
      if (meta_of(c->meta[fwd])->version == 1) {   /* v1: keys swap sides */
        MetaRef t = c->meta[fwd];
        c->meta[fwd] = c->meta[rev];
        c->meta[rev] = t;
      }
    }
  }
  return TRUE;
}

WsConv *wsnum_packet(WsNum *n, const NumInput *in, gint64 *shown)
{
  WsConv *c = tcp_conv(n, in);
  Analysis *a = NULL;
  *shown = -1;
  if (in->n_opts == 0)
    return c;
  for (int i = 0; i < in->n_opts; i++)
    if (!mptcp_option(n, c, in->flow, &in->opts[i], &a))
      return c;
  if (c->analysis) {
    *shown = c->analysis->id;
    if (c->first_shown < 0)
      c->first_shown = *shown;
  }
  return c;
}

guint wsnum_conv_count(const WsNum *n) { return n->convs->len; }
WsConv *wsnum_conv(const WsNum *n, guint i) { return g_ptr_array_index(n->convs, i); }
guint32 wsconv_stream(const WsConv *c) { return c->stream; }
gint64 wsconv_first_shown(const WsConv *c) { return c->first_shown; }
const char *wsconv_key(const WsConv *c) { return c->key; }
gpointer *wsconv_user(WsConv *c) { return &c->user; }
