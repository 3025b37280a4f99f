/* range_check.c - a range's rows against the numbering replay (see
 * range_check.h). Rows are read leniently here (a row quoted in an ICMP
 * error has no tcp.len, and still counts for the numbering), from the same
 * text fields the row decoder gets. */
#include "range_check.h"
#include "row.h"
#include <stdlib.h>
#include <string.h>

#define SEEN_SEGLEN 0x01         /* << flow */
#define SEEN_ACK    0x04         /* << flow */
#define SEEN_MPTCP  0x10
#define SEEN_OTHER  0x20         /* an MPTCP option other than CAPABLE/JOIN */

typedef struct {
  WsConv *conv;
  char *addr[2];                /* the pair's endpoints, in wsnum_key order */
  guint16 port[2];
  guint8 seen;
} StreamSeen;

static void seen_free(gpointer p)
{
  StreamSeen *s = p;
  if (s) {
    g_free(s->addr[0]);
    g_free(s->addr[1]);
  }
  g_free(s);
}

void range_check_init(RangeCheck *rc, gboolean log_rows)
{
  memset(rc, 0, sizeof *rc);
  rc->num = wsnum_new();
  rc->streams = g_ptr_array_new_with_free_func(seen_free);
  rc->log = log_rows ? g_array_new(FALSE, FALSE, sizeof(LogRow)) : NULL;
}

void range_check_clear(RangeCheck *rc)
{
  if (rc->log) {
    for (guint i = 0; i < rc->log->len; i++)
      g_free(g_array_index(rc->log, LogRow, i).opts);
    g_array_free(rc->log, TRUE);
  }
  g_ptr_array_free(rc->streams, TRUE);
  wsnum_free(rc->num);
  g_free(rc->disagree);
  memset(rc, 0, sizeof *rc);
}

WsConv *range_check_conv(const RangeCheck *rc, guint32 stream)
{
  StreamSeen *s = stream < rc->streams->len
                  ? g_ptr_array_index(rc->streams, stream) : NULL;
  return s ? s->conv : NULL;
}

/* Keep the first reason (msg is taken). */
static void disagree(RangeCheck *rc, char *msg)
{
  if (!rc->disagree)
    rc->disagree = msg;
  else
    g_free(msg);
}

typedef struct {
  guint32 stream;
  gint64 mptcp;
  const char *src, *dst;
  guint16 sport, dport;
  NumInput in;
  NumOpt opts[NUM_MAX_OPTS];
} Parsed;

/* A header quoted in an ICMP error has no tcp.len and no tcp.seq_raw:
 * its sequence number matters only to a SYN, which must then have it. */
static gboolean parse(const char *const *f, Parsed *p)
{
  guint64 v[6] = { 0 };
  static const int idx[6] = { F_STREAM, F_SPORT, F_DPORT, F_FLAGS, F_SEQ,
                              F_ACK };
  static const guint64 max[6] = { G_MAXUINT32, 65535, 65535, 0xffff,
                                  G_MAXUINT32, G_MAXUINT32 };
  for (int i = 0; i < 6; i++)
    if (!field_uint(f[idx[i]], max[i], &v[i]) &&
        !(idx[i] == F_SEQ && !*f[F_SEQ] && !*f[F_LEN] && !(v[3] & 0x002)))
      return FALSE;
  p->stream = (guint32)v[0];
  p->sport = (guint16)v[1];
  p->dport = (guint16)v[2];
  p->in.flags = (guint16)v[3];
  p->in.seq = (guint32)v[4];
  p->in.ack = (guint32)v[5];
  p->in.has_seglen = *f[F_LEN] != '\0';
  p->src = field_last(*f[F_IP_SRC] ? f[F_IP_SRC] : f[F_IP6_SRC]);
  p->dst = field_last(*f[F_IP_DST] ? f[F_IP_DST] : f[F_IP6_DST]);
  if (!*p->src || !*p->dst)
    return FALSE;
  guint64 ms;
  p->mptcp = -1;
  if (*f[F_MPTCP_STREAM]) {
    if (!field_uint(f[F_MPTCP_STREAM], G_MAXUINT32, &ms))
      return FALSE;
    p->mptcp = (gint64)ms;
  }
  p->in.n_opts = wsnum_options(field_last(f[F_OPTIONS]), p->opts,
                               NUM_MAX_OPTS);
  p->in.opts = p->opts;
  return p->in.n_opts >= 0;
}

/* ---- the replay ---- */

/* The stream's record; the pair and direction of the row (p->in.key,
 * p->in.flow, p->in.hint). */
static StreamSeen *stream_of(RangeCheck *rc, Parsed *p, char **key_owned)
{
  StreamSeen *s = p->stream < rc->streams->len
                  ? g_ptr_array_index(rc->streams, p->stream) : NULL;
  *key_owned = NULL;
  for (int f = 0; s && f < 2; f++)
    if (p->sport == s->port[f] && p->dport == s->port[1 - f] &&
        strcmp(p->src, s->addr[f]) == 0 && strcmp(p->dst, s->addr[1 - f]) == 0) {
      p->in.key = wsconv_key(s->conv);
      p->in.flow = f;
      p->in.hint = s->conv;
      return s;
    }
  *key_owned = wsnum_key(p->src, p->sport, p->dst, p->dport, &p->in.flow);
  p->in.key = *key_owned;
  p->in.hint = NULL;
  return s;
}

static void remember(RangeCheck *rc, const Parsed *p, WsConv *c)
{
  while (rc->streams->len <= p->stream)
    g_ptr_array_add(rc->streams, NULL);
  StreamSeen *s = g_new0(StreamSeen, 1);
  int f = p->in.flow;
  s->conv = c;
  s->addr[f] = g_strdup(p->src);
  s->port[f] = p->sport;
  s->addr[1 - f] = g_strdup(p->dst);
  s->port[1 - f] = p->dport;
  g_ptr_array_index(rc->streams, p->stream) = s;
}

static gboolean wanted(StreamSeen *s, const Parsed *p, gboolean first)
{
  int f = p->in.flow;
  guint8 was = s->seen;
  gboolean cap_join = FALSE, other = FALSE;
  for (int i = 0; i < p->in.n_opts; i++) {
    cap_join |= p->opts[i].subtype <= 1;
    other |= p->opts[i].subtype > 1;
  }
  if (p->in.has_seglen)
    s->seen |= SEEN_SEGLEN << f;
  if (p->in.has_seglen && (p->in.flags & 0x010))
    s->seen |= SEEN_ACK << f;
  if (p->in.n_opts)
    s->seen |= SEEN_MPTCP;
  if (other)
    s->seen |= SEEN_OTHER;
  return first || (p->in.flags & 0x002) || cap_join || s->seen != was;
}

static void log_row(RangeCheck *rc, const Parsed *p)
{
  LogRow r = { p->stream, (guint8)p->in.flow, (guint8)p->in.has_seglen,
               (guint8)p->in.n_opts, p->in.flags, p->in.seq, p->in.ack,
               NULL };
  if (p->in.n_opts)
    r.opts = g_memdup2(p->opts, sizeof(NumOpt) * (gsize)p->in.n_opts);
  g_array_append_val(rc->log, r);
}

void range_check_row(RangeCheck *rc, const char *const *fields, int nfields)
{
  Parsed p;
  char *key = NULL;
  rc->rows++;
  if (rc->disagree)
    return;
  if (nfields != N_FIELDS) {
    disagree(rc, g_strdup_printf("row %" G_GUINT64_FORMAT ": %d fields",
                                 rc->rows, nfields));
    return;
  }
  if (!*fields[F_STREAM])
    return;                                     /* not TCP */
  if (!parse(fields, &p)) {
    disagree(rc, g_strdup_printf("row %" G_GUINT64_FORMAT ": unreadable",
                                 rc->rows));
    return;
  }
  StreamSeen *s = stream_of(rc, &p, &key);
  gint64 shown;
  WsConv *c = wsnum_packet(rc->num, &p.in, &shown);
  g_free(key);
  if (wsconv_stream(c) != p.stream || shown != p.mptcp) {
    disagree(rc, g_strdup_printf("row %" G_GUINT64_FORMAT ": tcp.stream %u "
                                 "mptcp.stream %" G_GINT64_FORMAT ", replayed "
                                 "%u and %" G_GINT64_FORMAT, rc->rows,
                                 p.stream, p.mptcp, wsconv_stream(c), shown));
    return;
  }
  gboolean first = s == NULL;
  if (first) {
    remember(rc, &p, c);
    s = g_ptr_array_index(rc->streams, p.stream);
  }
  if (wanted(s, &p, first) && rc->log)
    log_row(rc, &p);
}
