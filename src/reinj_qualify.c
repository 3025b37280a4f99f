/* reinj_qualify.c - the verdict on each reinjection (see reinj_qualify.h):
 * its copy at the receiver through the packet pairs, the other copies of
 * its bytes through the receiver's packet notes, sorted by DSN. */
#include "reinj_qualify.h"
#include "iset.h"
#include <string.h>

const char *verdict_name(Verdict v)
{
  static const char *const names[] = { "useful", "redundant", "delivered",
                                       "lost" };
  return names[v];
}

typedef struct {                 /* a packet's bytes at the receiver */
  guint64 start, end;            /* relative DSNs, the sender's base */
  gint64 time_ns;
  const Packet *p;
} Arrival;

typedef struct {
  GHashTable *copy;              /* sender's Packet* -> receiver's Packet* */
  GArray *arrivals;              /* Arrival, by start */
  guint64 longest;               /* the longest arrival */
} Receiver;

static gint by_start(gconstpointer a, gconstpointer b)
{
  guint64 x = ((const Arrival *)a)->start, y = ((const Arrival *)b)->start;
  return x < y ? -1 : x > y;
}

static void map_copies(const Peer *p, int d, GHashTable *copy)
{
  for (guint i = 0; i < p->subflows->len; i++) {
    PeerDir dir;
    peer_dir(p, &g_array_index(p->subflows, PeerSubflow, i), d, &dir);
    for (guint k = 0; k < dir.pairs->len; k++) {
      const PktPair *x = &g_array_index(dir.pairs, PktPair, k);
      g_hash_table_insert(copy, (gpointer)peer_sent(&dir, x),
                          (gpointer)peer_received(&dir, x));
    }
    peer_dir_clear(&dir);
  }
}

/* the note of packet q of connection m's analysis */
static const PacketNote *note_of(const MptcpAnalysis *an, const Packet *q)
{
  for (guint k = 0; k < an->conn->subflows->len; k++) {
    const TcpConn *t = g_ptr_array_index(an->conn->subflows, k);
    const Packet *first = &g_array_index(t->packets, Packet, 0);
    if (t->packets->len && q >= first && q < first + t->packets->len)
      return &an->notes[k][q - first];
  }
  return NULL;
}

/* How far the receiver's relative DSNs lie below the sender's (0 when
 * both captures hold the key): from the first pair whose two notes map. */
static gint64 dsn_shift(const MptcpAnalysis *snd, const MptcpAnalysis *rcv,
                        int d, GHashTable *copy)
{
  GHashTableIter it;
  gpointer k, v;
  if (snd->dir[d].dsn_from_key && rcv->dir[d].dsn_from_key)
    return 0;
  g_hash_table_iter_init(&it, copy);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    const PacketNote *a = note_of(snd, k), *b = note_of(rcv, v);
    if (a && b && (a->flags & b->flags & NOTE_MAPPED))
      return (gint64)(a->dsn - b->dsn);
  }
  return 0;
}

static void receiver_init(Receiver *r, const Peer *p, int d,
                          const MptcpAnalysis *snd, const MptcpAnalysis *rcv)
{
  memset(r, 0, sizeof *r);
  r->copy = g_hash_table_new(g_direct_hash, g_direct_equal);
  r->arrivals = g_array_new(FALSE, FALSE, sizeof(Arrival));
  map_copies(p, d, r->copy);
  gint64 shift = dsn_shift(snd, rcv, d, r->copy);
  for (guint k = 0; k < rcv->conn->subflows->len; k++) {
    const TcpConn *t = g_ptr_array_index(rcv->conn->subflows, k);
    for (guint i = 0; i < t->packets->len; i++) {
      const Packet *q = &g_array_index(t->packets, Packet, i);
      const PacketNote *n = &rcv->notes[k][i];
      if (!(n->flags & NOTE_MAPPED) || mptcp_dir(t, q) != d)
        continue;
      Arrival a = { n->dsn + shift, n->dsn + shift + n->mapped, q->time_ns, q };
      g_array_append_val(r->arrivals, a);
      r->longest = MAX(r->longest, n->mapped);
    }
  }
  g_array_sort(r->arrivals, by_start);
}

static void receiver_clear(Receiver *r)
{
  g_hash_table_destroy(r->copy);
  g_array_free(r->arrivals, TRUE);
}

static gint by_time(gconstpointer a, gconstpointer b)
{
  gint64 x = ((const Arrival *)a)->time_ns, y = ((const Arrival *)b)->time_ns;
  return x < y ? -1 : x > y;
}

/* When every byte of [start, end) had arrived by copies other than
 * `skip`; FALSE when some byte never did. */
static gboolean complete_without(const Receiver *r, guint64 start, guint64 end,
                                 const Packet *skip, gint64 *when)
{
  guint lo = 0, hi = r->arrivals->len;
  guint64 from = start > r->longest ? start - r->longest : 0;
  while (lo < hi) {                  /* the first arrival starting >= from */
    guint mid = lo + (hi - lo) / 2;
    if (g_array_index(r->arrivals, Arrival, mid).start < from) lo = mid + 1;
    else hi = mid;
  }
  GArray *over = g_array_new(FALSE, FALSE, sizeof(Arrival));
  for (guint i = lo; i < r->arrivals->len; i++) {
    const Arrival *a = &g_array_index(r->arrivals, Arrival, i);
    if (a->start >= end)
      break;
    if (a->end > start && a->p != skip)
      g_array_append_val(over, *a);
  }
  g_array_sort(over, by_time);
  ISet got;
  iset_init(&got);
  gboolean done = FALSE;
  for (guint i = 0; i < over->len && !done; i++) {
    const Arrival *a = &g_array_index(over, Arrival, i);
    iset_add(&got, MAX(a->start, start), MIN(a->end, end));
    if (got.covered >= end - start) {
      done = TRUE;
      *when = a->time_ns;
    }
  }
  iset_clear(&got);
  g_array_free(over, TRUE);
  return done;
}

/* the sender's packet of frame f on tcp.stream s of connection m */
static const Packet *find_packet(const MptcpConn *m, guint32 stream, guint32 f)
{
  for (guint k = 0; k < m->subflows->len; k++) {
    const TcpConn *t = g_ptr_array_index(m->subflows, k);
    if (t->stream != stream)
      continue;
    guint lo = 0, hi = t->packets->len;     /* packets are in frame order */
    while (lo < hi) {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index(t->packets, Packet, mid).frame < f) lo = mid + 1;
      else hi = mid;
    }
    if (lo < t->packets->len && g_array_index(t->packets, Packet, lo).frame == f)
      return &g_array_index(t->packets, Packet, lo);
  }
  return NULL;
}

/* TRUE when a captured original of r never reached the receiver */
static gboolean original_lost(const MptcpConn *m, const Reinjection *r,
                              const Receiver *rc)
{
  for (guint i = 0; i < r->orig_frames->len; i++) {
    guint32 f = g_array_index(r->orig_frames, guint32, i);
    const Packet *o = f ? find_packet(m, g_array_index(r->orig_streams, guint32, i), f)
                        : NULL;
    if (o && !g_hash_table_contains(rc->copy, o))
      return TRUE;
  }
  return FALSE;
}

static void judge(Qualified *q, const MptcpConn *m, const Receiver *rc)
{
  const Reinjection *r = q->r;
  const Packet *sent = find_packet(m, r->tcp_stream, r->frame);
  const Packet *got = sent ? g_hash_table_lookup(rc->copy, sent) : NULL;
  gint64 others = 0;
  if (!got) {
    q->verdict = V_LOST;
    return;
  }
  q->received_frame = got->frame;
  gboolean complete = complete_without(rc, r->dsn_start,
                                       r->dsn_start + r->length, got, &others);
  q->have_gain = complete;
  q->gain_ns = complete ? others - got->time_ns : 0;
  if (!complete || (original_lost(m, r, rc) && others > got->time_ns))
    q->verdict = V_DELIVERED;
  else
    q->verdict = others > got->time_ns ? V_USEFUL : V_REDUNDANT;
}

GArray *reinj_qualify(const Peer *p, const MptcpAnalysis *an_a,
                      const MptcpAnalysis *an_b)
{
  GArray *out = g_array_new(FALSE, FALSE, sizeof(Qualified));
  for (int d = 0; d < 2; d++) {
    gboolean a_sends = (d == TO_SERVER) == p->a_is_client;
    const MptcpAnalysis *snd = a_sends ? an_a : an_b, *rcv = a_sends ? an_b : an_a;
    Receiver rc;
    receiver_init(&rc, p, d, snd, rcv);
    for (guint i = 0; i < snd->dir[d].reinjections->len; i++) {
      Qualified q = { g_ptr_array_index(snd->dir[d].reinjections, i), d,
                      peer_sender_capture(p, d), 0, V_LOST, FALSE, 0 };
      judge(&q, snd->conn, &rc);
      g_array_append_val(out, q);
    }
    receiver_clear(&rc);
  }
  return out;
}
