/* mptcp_analysis.c - walk the packets of all subflows of one MPTCP
 * connection in capture order, rebuilding data sequence numbers.
 *
 * - DSNs: 8-byte values as they are; 4-byte values extended from the
 *   sender's IDSN and unwrapped like TCP sequence numbers; relative to the
 *   IDSN (first data byte = 1). Without the key, relative to the first DSN
 *   seen. DATA_FIN takes the last number of its mapping.
 * - Mappings are kept per subflow direction (SSN -> DSN), so a segment that
 *   carries no mapping of its own is attributed by an earlier one.
 * - A payload byte whose DSN was first carried by another subflow is
 *   reinjected; by the same subflow, retransmitted.
 * - Bytes a capture missed (a hole in the subflow sequence space, after
 *   which the DSN has advanced by exactly the hole's size) are counted as
 *   carried by that subflow, as "inferred". */
#include "mptcp_analysis.h"
#include "carrier.h"
#include "seqtrack.h"
#include <string.h>

typedef struct { guint64 ssn, dsn, len; } Mapping;

typedef struct {             /* one direction of one subflow */
  SeqTrack seq;
  ISet sent;                 /* subflow sequence ranges seen */
  GArray *maps;              /* Mapping, sorted by ssn */
  guint64 hi_seq, hi_dsn;    /* highest sequence end seen, its DSN */
  gboolean hi_known, fin;
  guint64 acked;             /* highest ACK from the peer, relative */
  gint64 acked_ns;           /* when that ACK was seen */
} SubDir;

typedef struct {             /* bytes the capture missed, placed at the end */
  int dir;
  guint32 sub;
  guint64 len, dsn_a, dsn_b; /* candidates: after the previous mapping, */
  gboolean has_b;            /* or before the next one */
  gint64 time_ns;            /* when the evidence for it was seen */
} Hole;

typedef struct {             /* data sequence state of one direction */
  gboolean init, ack_init;
  guint64 base, last, ack_last;
  Carriers carriers;
} DsnState;

typedef struct {
  MptcpAnalysis *a;
  SubDir *sd;                /* [subflow * 2 + endpoint] */
  DsnState ds[2];
  GArray *holes;             /* Hole */
  guint keep;                /* ANALYSE_* */
  PacketNote *note;          /* the current packet's, or scratch */
  PacketNote scratch;
} Walk;

typedef struct { guint32 sub, idx; const Packet *p; } Ref;

static void reinjection_free(gpointer p)
{
  Reinjection *r = p;
  g_array_free(r->orig_frames, TRUE);
  g_array_free(r->orig_streams, TRUE);
  g_free(r);
}

static guint mapping_floor(const GArray *maps, guint64 ssn)
{
  guint lo = 0, hi = maps->len;          /* first index with ssn > key */
  while (lo < hi) {
    guint mid = (lo + hi) / 2;
    if (g_array_index(maps, Mapping, mid).ssn <= ssn) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static void mapping_add(GArray *maps, Mapping m)
{
  guint i = mapping_floor(maps, m.ssn);
  if (i > 0) {
    Mapping *prev = &g_array_index(maps, Mapping, i - 1);
    if (prev->ssn == m.ssn && prev->dsn == m.dsn) {
      prev->len = MAX(prev->len, m.len);
      return;
    }
  }
  g_array_insert_val(maps, i, m);
}

static const Mapping *mapping_find(const GArray *maps, guint64 pos)
{
  guint i = mapping_floor(maps, pos);
  for (guint k = 0; k < 16 && i > 0; k++, i--) {
    const Mapping *m = &g_array_index(maps, Mapping, i - 1);
    if (pos < m->ssn + m->len)
      return m;
  }
  return NULL;
}

/* A DSN (ack FALSE) or data ACK (TRUE) as sent, 4 or 8 bytes, relative to
 * the direction's IDSN; 4-byte values are unwrapped near the last one. */
static guint64 dsn_rel(DsnState *ds, guint64 raw, gboolean is8, gboolean ack)
{
  gboolean *init = ack ? &ds->ack_init : &ds->init;
  guint64 *last = ack ? &ds->ack_last : &ds->last;
  if (!ds->init && !ack) {                  /* no key: first DSN seen is 1 */
    ds->base = raw - 1;
    ds->last = raw;
    ds->init = TRUE;
  }
  if (!*init) {
    *last = ds->base;
    *init = ds->init;
  }
  *last = is8 ? raw : unwrap32(*last, (guint32)raw);
  return *last - ds->base;
}

static void take_mapping(Walk *w, int d, SubDir *s, const Packet *p)
{
  MptcpDir *D = &w->a->dir[d];
  DsnState *ds = &w->ds[d];
  guint64 rel, len = p->data_len;
  if (p->dss_flags & DSS_IMPLICIT) {
    if (!ds->init)
      return;
    rel = 1;
  } else {
    rel = dsn_rel(ds, p->dsn, (p->dss_flags & DSS_DSN8) != 0, FALSE);
  }
  if ((p->dss_flags & DSS_FIN) && len > 0) {
    w->note->flags |= NOTE_DATA_FIN;
    if (!D->data_fin) {
      D->data_fin = TRUE;
      D->data_fin_dsn = rel + len - 1;
      D->data_fin_ns = p->time_ns;
    }
    len--;
  }
  if (len == 0)
    return;
  D->dsn_max = MAX(D->dsn_max, rel + len);
  Mapping m = { unwrap32(s->seq.last, p->ssn), rel, len };
  mapping_add(s->maps, m);
}

static void take_data_ack(Walk *w, int d, const Packet *p)
{
  int data_dir = 1 - d;                      /* it acknowledges the other way */
  DsnState *ds = &w->ds[data_dir];
  if (!(p->dss_flags & DSS_ACK) || !ds->init)
    return;
  guint64 rel = dsn_rel(ds, p->data_ack, (p->dss_flags & DSS_ACK8) != 0, TRUE);
  w->note->data_ack = rel;
  w->note->flags |= NOTE_DATA_ACK;
  if (rel < G_MAXUINT64 / 2)
    w->a->dir[data_dir].data_acked = MAX(w->a->dir[data_dir].data_acked, rel);
}

typedef struct {             /* the packet being attributed */
  const MptcpConn *m;
  guint32 sub;
  Reinjection *rec;
  guint64 reinjected;
} Seen;

static void on_seen(const CarrierRange *orig, guint64 overlap, void *user)
{
  Seen *s = user;
  if (orig->subflow == s->sub)
    return;
  if (!s->rec) {
    s->rec = g_new0(Reinjection, 1);
    s->rec->orig_frames = g_array_new(FALSE, FALSE, sizeof(guint32));
    s->rec->orig_streams = g_array_new(FALSE, FALSE, sizeof(guint32));
    s->rec->orig_time_ns = -1;
  }
  const TcpConn *t = g_ptr_array_index(s->m->subflows, orig->subflow);
  GArray *f = s->rec->orig_frames;
  if (!f->len || g_array_index(f, guint32, f->len - 1) != orig->frame) {
    g_array_append_val(f, orig->frame);
    g_array_append_val(s->rec->orig_streams, t->stream);
  }
  if (orig->frame && (s->rec->orig_time_ns < 0 ||
                      orig->time_ns < s->rec->orig_time_ns))
    s->rec->orig_time_ns = orig->time_ns;
  s->reinjected += overlap;
}

/* Credit subflow k with the bytes of [start, end) no packet carried yet,
 * as inferred (not captured), on evidence seen at time_ns; returns how
 * many. */
static guint64 credit(Walk *w, int d, guint32 k, guint64 start, guint64 end,
                      gint64 time_ns)
{
  MptcpDir *D = &w->a->dir[d];
  guint64 n = carrier_add(&w->ds[d].carriers, start, end, k, 0, time_ns,
                          NULL, NULL);
  D->sub[k].application_bytes += n;
  D->inferred_bytes += n;
  return n;
}

/* Bytes between the highest sequence seen and this segment were missed by
 * the capture. If the DSN moved on by exactly as much, they are ours now;
 * else they are placed at the end, where the DSN space shows the gap. */
static void infer_missed(Walk *w, int d, guint32 k, SubDir *s, guint64 seg,
                         guint64 dsn, gboolean exact, gint64 time_ns)
{
  if (!s->hi_known || seg <= s->hi_seq)
    return;
  guint64 len = seg - s->hi_seq;
  if (exact && dsn > s->hi_dsn && dsn - s->hi_dsn == len) {
    credit(w, d, k, s->hi_dsn, dsn, time_ns);
    return;
  }
  Hole h = { d, k, len, s->hi_dsn, dsn - len, dsn >= len, time_ns };
  g_array_append_val(w->holes, h);
}

/* Payload whose mapping the capture missed: its DSN is guessed by
 * extending the subflow's previous mapping (Linux maps consecutive
 * segments contiguously), and it is placed only at the end, in data
 * sequence space that no captured mapping accounts for. */
static void unmapped(Walk *w, int d, guint32 k, SubDir *s, guint64 seg,
                     guint64 pos, guint64 end, gint64 time_ns)
{
  MptcpDir *D = &w->a->dir[d];
  guint i = mapping_floor(s->maps, pos);
  D->sub[k].unmapped_bytes += end - pos;
  D->unmapped_bytes += end - pos;
  if (i == 0)
    return;
  const Mapping *m = &g_array_index(s->maps, Mapping, i - 1);
  guint64 dsn = m->dsn + (pos - m->ssn);
  if (pos == seg)
    infer_missed(w, d, k, s, seg, dsn, FALSE, time_ns);
  Hole h = { d, k, end - pos, dsn, 0, FALSE, time_ns };
  g_array_append_val(w->holes, h);
  if (end >= s->hi_seq) {
    s->hi_seq = end;
    s->hi_dsn = dsn + (end - pos);
    s->hi_known = TRUE;
  }
}

static void note_payload(PacketNote *n, guint64 dsn, guint64 mapped,
                         guint64 fresh, guint64 resent)
{
  if (mapped) {
    n->flags |= NOTE_MAPPED;
    n->dsn = dsn;
    n->mapped = (guint32)mapped;
  }
  n->fresh = (guint32)fresh;
  if (resent)
    n->flags |= NOTE_RETRANS;
}

static void take_payload(Walk *w, int d, guint32 k, SubDir *s, const Packet *p)
{
  MptcpDir *D = &w->a->dir[d];
  SubflowFigures *f = &D->sub[k];
  guint64 seg = seqtrack_rel(&s->seq, p->seq), pos = seg, end = seg + p->len;
  Seen seen = { w->a->conn, k, NULL, 0 };
  guint64 first_dsn = 0, mapped = 0, fresh = 0;
  guint64 resent = p->len - iset_add(&s->sent, seg, end);
  f->retransmitted_bytes += resent;
  while (pos < end) {
    const Mapping *m = mapping_find(s->maps, pos);
    if (!m) {
      unmapped(w, d, k, s, seg, pos, end, p->time_ns);
      break;
    }
    guint64 take = MIN(end, m->ssn + m->len) - pos;
    guint64 dsn = m->dsn + (pos - m->ssn);
    if (pos == seg) {
      first_dsn = dsn;
      infer_missed(w, d, k, s, seg, dsn, TRUE, p->time_ns);
    }
    fresh += carrier_add(&w->ds[d].carriers, dsn, dsn + take, k, p->frame,
                         p->time_ns, on_seen, &seen);
    mapped += take;
    pos += take;
    if (pos >= s->hi_seq) {
      s->hi_seq = pos;
      s->hi_dsn = dsn + take;
      s->hi_known = TRUE;
    }
  }
  f->application_bytes += fresh;
  note_payload(w->note, first_dsn, mapped, fresh, resent);
  if (seen.rec) {
    Reinjection *r = seen.rec;
    const TcpConn *t = g_ptr_array_index(w->a->conn->subflows, k);
    r->frame = p->frame;
    r->tcp_stream = t->stream;
    r->dsn_start = first_dsn;
    r->length = mapped;
    r->time_ns = p->time_ns;
    g_ptr_array_add(D->reinjections, r);
    w->note->flags |= NOTE_REINJECTED;
    w->note->reinjection = D->reinjections->len;
    f->reinjections++;
    f->reinjected_bytes += seen.reinjected;
  }
}

static void take_packet(Walk *w, const Ref *ref)
{
  const TcpConn *t = g_ptr_array_index(w->a->conn->subflows, ref->sub);
  const Packet *p = ref->p;
  int d = mptcp_dir(t, p);
  MptcpDir *D = &w->a->dir[d];
  SubDir *s = &w->sd[ref->sub * 2 + p->src];
  if (w->a->notes)
    w->note = &w->a->notes[ref->sub][ref->idx];
  else
    memset(w->note = &w->scratch, 0, sizeof w->scratch);
  if (D->packets++ == 0)
    D->first_ns = p->time_ns;
  D->last_ns = p->time_ns;
  D->sub[ref->sub].packets++;
  D->throughput_bytes += p->len;
  D->sub[ref->sub].throughput_bytes += p->len;
  take_data_ack(w, d, p);
  if (p->tcp_flags & TCP_ACK) {
    SubDir *peer = &w->sd[ref->sub * 2 + (1 - p->src)];
    guint64 a = unwrap32(peer->acked ? peer->acked : 1, p->ack - peer->seq.isn);
    if (a > peer->acked && a < ((guint64)1 << 62)) {
      peer->acked = a;
      peer->acked_ns = p->time_ns;
    }
  }
  if (p->tcp_flags & TCP_FIN)
    s->fin = TRUE;
  if (p->dss_flags & DSS_MAP)
    take_mapping(w, d, s, p);
  if (p->len) {
    if (D->first_data_ns == 0)
      D->first_data_ns = p->time_ns;
    D->last_data_ns = p->time_ns;
    take_payload(w, d, ref->sub, s, p);
  }
}

static gint by_frame(gconstpointer a, gconstpointer b)
{
  guint32 x = ((const Ref *)a)->p->frame, y = ((const Ref *)b)->p->frame;
  return x < y ? -1 : x > y;
}

static GArray *packets_in_order(const MptcpConn *m)
{
  GArray *refs = g_array_new(FALSE, FALSE, sizeof(Ref));
  for (guint k = 0; k < m->subflows->len; k++) {
    const TcpConn *t = g_ptr_array_index(m->subflows, k);
    for (guint i = 0; i < t->packets->len; i++) {
      Ref r = { k, i, &g_array_index(t->packets, Packet, i) };
      g_array_append_val(refs, r);
    }
  }
  g_array_sort(refs, by_frame);
  return refs;
}

static void walk_init(Walk *w, const MptcpConn *m, guint keep)
{
  guint n = m->subflows->len;
  memset(w, 0, sizeof *w);
  w->keep = keep;
  w->a = g_new0(MptcpAnalysis, 1);
  w->a->conn = m;
  if (keep & ANALYSE_NOTES) {
    w->a->notes = g_new0(PacketNote *, n);
    for (guint k = 0; k < n; k++) {
      const TcpConn *t = g_ptr_array_index(m->subflows, k);
      w->a->notes[k] = g_new0(PacketNote, t->packets->len);
    }
  }
  w->sd = g_new0(SubDir, n * 2);
  w->holes = g_array_new(FALSE, FALSE, sizeof(Hole));
  for (guint i = 0; i < n * 2; i++) {
    seqtrack_init(&w->sd[i].seq, g_ptr_array_index(m->subflows, i / 2), i % 2);
    iset_init(&w->sd[i].sent);
    w->sd[i].maps = g_array_new(FALSE, FALSE, sizeof(Mapping));
  }
  for (int d = 0; d < 2; d++) {
    MptcpDir *D = &w->a->dir[d];
    D->sub = g_new0(SubflowFigures, n);
    D->reinjections = g_ptr_array_new_with_free_func(reinjection_free);
    D->dsn_from_key = m->has_key[d];        /* TO_SERVER: the client's key */
    w->ds[d].init = m->has_key[d];
    w->ds[d].base = w->ds[d].last = m->idsn[d];
    carriers_init(&w->ds[d].carriers);
  }
}

static void walk_clear(Walk *w, guint n)
{
  for (guint i = 0; i < n * 2; i++) {
    iset_clear(&w->sd[i].sent);
    g_array_free(w->sd[i].maps, TRUE);
  }
  g_free(w->sd);
  g_array_free(w->holes, TRUE);
  for (int d = 0; d < 2; d++) {
    if (w->keep & ANALYSE_CARRIERS)
      w->a->dir[d].carriers = w->ds[d].carriers;
    else
      carriers_clear(&w->ds[d].carriers);
  }
}

/* The end (exclusive) of the data sequence space of a direction: the
 * highest of mapping ends, the DATA_FIN and the data ACK. */
static guint64 data_end(const MptcpDir *D)
{
  guint64 end = D->dsn_max, acked = D->data_acked;
  if (D->data_fin) {
    end = MAX(end, D->data_fin_dsn);
    acked = MIN(acked, D->data_fin_dsn);
  }
  return MAX(end, acked);
}

/* Segments at the end of a subflow that the capture missed but the peer
 * acknowledged are holes too, placed after the subflow's last mapping. */
static void tail_holes(Walk *w)
{
  const MptcpConn *m = w->a->conn;
  for (guint i = 0; i < m->subflows->len * 2; i++) {
    SubDir *s = &w->sd[i];
    const TcpConn *t = g_ptr_array_index(m->subflows, i / 2);
    guint64 end = s->acked - (s->fin ? 1 : 0);
    if (!s->hi_known || s->acked == 0 || end <= s->hi_seq)
      continue;
    int d = ((int)(i % 2) == t->client) == t->towards_server ? TO_SERVER : TO_CLIENT;
    Hole h = { d, i / 2, end - s->hi_seq, s->hi_dsn, 0, FALSE, s->acked_ns };
    g_array_append_val(w->holes, h);
  }
}

/* Credit a hole at start, clipped to the direction's data space. */
static guint64 place(Walk *w, const Hole *h, guint64 start)
{
  guint64 end = MIN(start + h->len, data_end(&w->a->dir[h->dir]));
  start = MAX(start, 1);
  return end > start ? credit(w, h->dir, h->sub, start, end, h->time_ns) : 0;
}

static void place_holes(Walk *w)
{
  tail_holes(w);
  for (guint i = 0; i < w->holes->len; i++) {
    const Hole *h = &g_array_index(w->holes, Hole, i);
    if (place(w, h, h->dsn_a) == 0 && h->has_b)
      place(w, h, h->dsn_b);
  }
}

/* What is still uncovered in [1, end) after the holes: data no captured
 * packet, mapping or acknowledgement shows. It is given to the subflow
 * that carried the bytes just before it (the one after, at the start), the
 * same contiguity that places unmapped segments; counted as inferred. */
static void fill_gaps(Walk *w, int d)
{
  MptcpDir *D = &w->a->dir[d];
  guint64 end = data_end(D), cur = 1;
  gint64 prev = -1, prev_ns = 0;
  GArray *gaps = g_array_new(FALSE, FALSE, sizeof(Hole));
  GTreeNode *n = g_tree_node_first(w->ds[d].carriers.tree);
  for (; n && cur < end; n = g_tree_node_next(n)) {
    const CarrierRange *r = g_tree_node_value(n);
    if (r->start > cur) {
      Hole h = { d, prev >= 0 ? (guint32)prev : r->subflow,
                 MIN(r->start, end) - cur, cur, 0, FALSE,
                 prev >= 0 ? prev_ns : r->time_ns };
      g_array_append_val(gaps, h);
    }
    cur = MAX(cur, r->end);
    prev = r->subflow;
    prev_ns = r->time_ns;
  }
  if (cur < end && prev >= 0) {
    Hole h = { d, (guint32)prev, end - cur, cur, 0, FALSE, prev_ns };
    g_array_append_val(gaps, h);
  }
  for (guint i = 0; i < gaps->len; i++) {
    const Hole *h = &g_array_index(gaps, Hole, i);
    place(w, h, h->dsn_a);
  }
  g_array_free(gaps, TRUE);
}

/* Application bytes: the data sequence space from 1 to its end; what no
 * subflow could be given (nothing carried at all) is unattributed. */
static void finish_direction(MptcpDir *D, guint nsub)
{
  guint64 end = data_end(D), carried = 0;
  for (guint k = 0; k < nsub; k++)
    carried += D->sub[k].application_bytes;
  D->application_bytes = end > 1 ? end - 1 : 0;
  if (carried > D->application_bytes)      /* DSNs below 1: no key */
    D->application_bytes = carried;
  D->unattributed_bytes = D->application_bytes - carried;
}

MptcpAnalysis *mptcp_analyse(const MptcpConn *m)
{
  return mptcp_analyse_with(m, 0);
}

MptcpAnalysis *mptcp_analyse_with(const MptcpConn *m, guint keep)
{
  Walk w;
  walk_init(&w, m, keep);
  GArray *refs = packets_in_order(m);
  for (guint i = 0; i < refs->len; i++)
    take_packet(&w, &g_array_index(refs, Ref, i));
  g_array_free(refs, TRUE);
  place_holes(&w);
  for (int d = 0; d < 2; d++) {
    fill_gaps(&w, d);
    finish_direction(&w.a->dir[d], m->subflows->len);
  }
  walk_clear(&w, m->subflows->len);
  return w.a;
}

void mptcp_analysis_free(MptcpAnalysis *a)
{
  if (!a)
    return;
  for (int d = 0; d < 2; d++) {
    g_free(a->dir[d].sub);
    g_ptr_array_free(a->dir[d].reinjections, TRUE);
    carriers_clear(&a->dir[d].carriers);
  }
  if (a->notes)
    for (guint k = 0; k < a->conn->subflows->len; k++)
      g_free(a->notes[k]);
  g_free(a->notes);
  g_free(a);
}
