/* mptcp_analysis.c - the data-level analysis of one MPTCP connection, and
 * its pass 2: walk the packets of all subflows in capture order, turning
 * DSS mappings into data sequence ranges (pass 1 and 3 are mptcp_scan.c
 * and mptcp_place.c; mptcp_walk.h explains the three).
 *
 * - DSNs: 8-byte values as they are; 4-byte values extended and unwrapped
 *   like TCP sequence numbers; relative to the IDSN (first data byte = 1),
 *   or without a key to the lowest accepted DSN. DATA_FIN takes the last
 *   number of its mapping. A data length of 0 is an infinite mapping.
 * - Mappings are kept per subflow direction (SSN -> DSN), so a segment that
 *   carries no mapping of its own is attributed by an earlier one.
 * - A payload byte whose DSN was first carried by another subflow is
 *   reinjected; by the same subflow, retransmitted.
 * - Bytes a capture missed (a hole in the subflow sequence space, after
 *   which the DSN has advanced by exactly the hole's size) are credited to
 *   that subflow as inferred; other missed bytes become holes placed in
 *   pass 3. */
#include "mptcp_walk.h"
#include <string.h>

static void reinjection_free(gpointer p)
{
  Reinjection *r = p;
  g_array_free(r->orig_frames, TRUE);
  g_array_free(r->orig_streams, TRUE);
  g_free(r);
}

static void take_mapping(Walk *w, int d, SubDir *s, const Packet *p)
{
  MptcpDir *D = &w->a->dir[d];
  DsnState *ds = &w->ds[d];
  guint64 rel, len = p->data_len;
  if (g_hash_table_contains(w->rejected, p))
    return;
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
    if (len == 0)
      return;
  } else if (len == 0) {                     /* infinite mapping */
    len = MAP_INFINITE;
    if (!D->infinite_mapping_frame)
      D->infinite_mapping_frame = p->frame;
  }
  Mapping m = { unwrap32(s->seq.last, p->ssn), rel, len, p->frame };
  mapping_set_add(&s->maps, &m);
}

static void take_data_ack(Walk *w, int d, const Packet *p)
{
  int data_dir = 1 - d;                      /* it acknowledges the other way */
  DsnState *ds = &w->ds[data_dir];
  if (!(p->dss_flags & DSS_ACK) || !ds->init)
    return;
  guint64 rel = dsn_rel(ds, p->data_ack, (p->dss_flags & DSS_ACK8) != 0, TRUE);
  if (rel == 0 || rel >= G_MAXUINT64 / 2)   /* data before the capture */
    return;
  w->note->data_ack = rel;
  w->note->flags |= NOTE_DATA_ACK;
  GArray *acks = ds->acks;
  if (!acks->len || rel > g_array_index(acks, Raise, acks->len - 1).value) {
    Raise r = { rel, p->frame };
    g_array_append_val(acks, r);
  }
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

guint64 mptcp_credit(Walk *w, int d, guint32 k, guint64 start, guint64 end,
                     gint64 time_ns)
{
  MptcpDir *D = &w->a->dir[d];
  SubflowFigures *f = &D->sub[k];
  const SubDir *s = walk_subdir_of(w, k, d);
  guint64 room = s->budget > f->inferred_bytes ? s->budget - f->inferred_bytes
                                               : 0;
  end = MIN(end, start + room);
  if (end <= start)
    return 0;
  guint64 n = carrier_add(&w->ds[d].carriers, start, end, k, 0, time_ns,
                          NULL, NULL);
  f->application_bytes += n;
  f->inferred_bytes += n;
  D->inferred_bytes += n;
  return n;
}

/* Bytes between the highest sequence seen and this segment have not
 * passed the capture point (yet): the capture missed them, or they were
 * lost before it and are sent again later. They become a hole, placed at
 * the end where no captured packet carried the data (a copy captured
 * later, on any subflow, comes first): if the DSN moved on by exactly as
 * much, exactly there (before other holes); else where the DSN space
 * shows the gap. */
static void infer_missed(Walk *w, int d, guint32 k, SubDir *s, guint64 seg,
                         guint64 dsn, gboolean exact, gint64 time_ns)
{
  if (!s->hi_known || seg <= s->hi_seq)
    return;
  guint64 len = seg - s->hi_seq;
  exact = exact && dsn > s->hi_dsn && dsn - s->hi_dsn == len;
  Hole h = { d, k, len, s->hi_dsn, dsn - len, !exact && dsn >= len, time_ns,
             exact };
  g_array_append_val(w->holes, h);
}

static void advance_high(SubDir *s, guint64 seq_end, guint64 dsn_end)
{
  if (seq_end >= s->hi_seq) {
    s->hi_seq = seq_end;
    s->hi_dsn = dsn_end;
    s->hi_known = TRUE;
  }
}

/* Payload whose mapping the capture missed: its DSN is guessed by
 * extending the subflow's previous mapping (Linux maps consecutive
 * segments contiguously), and it is placed only at the end, in data
 * sequence space that no captured mapping accounts for. */
static void unmapped(Walk *w, int d, guint32 k, SubDir *s, guint64 seg,
                     guint64 pos, guint64 end, gint64 time_ns)
{
  MptcpDir *D = &w->a->dir[d];
  const Mapping *m = mapping_set_floor(&s->maps, pos);
  D->sub[k].unmapped_bytes += end - pos;
  D->unmapped_bytes += end - pos;
  s->unmapped += end - pos;
  if (!m || m->dsn + (pos - m->ssn) < m->dsn)
    return;
  guint64 dsn = m->dsn + (pos - m->ssn);
  if (pos == seg)
    infer_missed(w, d, k, s, seg, dsn, FALSE, time_ns);
  Hole h = { d, k, end - pos, dsn, 0, FALSE, time_ns, FALSE };
  g_array_append_val(w->holes, h);
  advance_high(s, end, dsn + (end - pos));
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

static void record_reinjection(Walk *w, int d, guint32 k, const Packet *p,
                               Seen *seen, guint64 first_dsn, guint64 mapped)
{
  MptcpDir *D = &w->a->dir[d];
  Reinjection *r = seen->rec;
  const TcpConn *t = g_ptr_array_index(w->a->conn->subflows, k);
  r->frame = p->frame;
  r->tcp_stream = t->stream;
  r->dsn_start = first_dsn;
  r->length = mapped;
  r->time_ns = p->time_ns;
  g_ptr_array_add(D->reinjections, r);
  w->note->flags |= NOTE_REINJECTED;
  w->note->reinjection = D->reinjections->len;
  D->sub[k].reinjections++;
  D->sub[k].reinjected_bytes += seen->reinjected;
}

static void take_payload(Walk *w, int d, guint32 k, SubDir *s, const Packet *p)
{
  SubflowFigures *f = &w->a->dir[d].sub[k];
  if (seqtrack_before(&s->seq, p->seq)) {     /* before the capture's view */
    f->unmapped_bytes += p->len;
    w->a->dir[d].unmapped_bytes += p->len;
    return;
  }
  guint64 seg = seqtrack_rel(&s->seq, p->seq), pos = seg, end = seg + p->len;
  Seen seen = { w->a->conn, k, NULL, 0 };
  guint64 first_dsn = 0, mapped = 0, fresh = 0;
  guint64 resent = p->len - iset_add(&s->sent, seg, end);
  f->retransmitted_bytes += resent;
  while (pos < end) {
    const Mapping *m = mapping_set_find(&s->maps, pos);
    if (!m) {
      unmapped(w, d, k, s, seg, pos, end, p->time_ns);
      break;
    }
    guint64 take = MIN(end, m->ssn + MIN(m->len, MAP_INFINITE)) - pos;
    guint64 dsn = m->dsn + (pos - m->ssn);
    if (pos == seg) {
      first_dsn = dsn;
      infer_missed(w, d, k, s, seg, dsn, TRUE, p->time_ns);
    }
    fresh += carrier_add(&w->ds[d].carriers, dsn, dsn + take, k, p->frame,
                         p->time_ns, on_seen, &seen);
    mapped += take;
    pos += take;
    advance_high(s, pos, dsn + take);
  }
  f->application_bytes += fresh;
  note_payload(w->note, first_dsn, mapped, fresh, resent);
  if (seen.rec)
    record_reinjection(w, d, k, p, &seen, first_dsn, mapped);
}

static void take_packet(Walk *w, const Ref *ref)
{
  const TcpConn *t = g_ptr_array_index(w->a->conn->subflows, ref->sub);
  const Packet *p = ref->p;
  int d = mptcp_dir(t, p);
  MptcpDir *D = &w->a->dir[d];
  SubDir *s = walk_subdir(w, ref->sub, p->src);
  if (w->a->notes)
    w->note = &w->a->notes[ref->sub][ref->idx];
  else
    memset(w->note = &w->scratch, 0, sizeof w->scratch);
  if (D->packets++ == 0 || p->time_ns < D->first_ns)
    D->first_ns = p->time_ns;
  if (D->packets == 1 || p->time_ns > D->last_ns)
    D->last_ns = p->time_ns;
  D->sub[ref->sub].packets++;
  D->throughput_bytes += p->len;
  D->sub[ref->sub].throughput_bytes += p->len;
  take_data_ack(w, d, p);
  if (p->dss_flags & DSS_MAP)
    take_mapping(w, d, s, p);
  if (p->len) {
    if (D->first_data_ns == 0 || p->time_ns < D->first_data_ns)
      D->first_data_ns = p->time_ns;
    D->last_data_ns = MAX(D->last_data_ns, p->time_ns);
    take_payload(w, d, ref->sub, s, p);
  }
}

/* Every packet of the connection in frame order: each subflow's packets
 * are already in it, so they are merged (a handful of subflows). */
static GArray *packets_in_order(const MptcpConn *m)
{
  guint n = m->subflows->len, total = 0;
  guint *next = g_new0(guint, n + 1);
  for (guint k = 0; k < n; k++)
    total += ((const TcpConn *)g_ptr_array_index(m->subflows, k))->packets->len;
  GArray *refs = g_array_sized_new(FALSE, FALSE, sizeof(Ref), total);
  for (guint done = 0; done < total; done++) {
    Ref best = { 0, 0, NULL };
    for (guint k = 0; k < n; k++) {
      const TcpConn *t = g_ptr_array_index(m->subflows, k);
      if (next[k] >= t->packets->len)
        continue;
      const Packet *p = &g_array_index(t->packets, Packet, next[k]);
      if (!best.p || p->frame < best.p->frame)
        best = (Ref){ k, next[k], p };
    }
    next[best.sub]++;
    g_array_append_val(refs, best);
  }
  g_free(next);
  return refs;
}

static void notes_init(MptcpAnalysis *a)
{
  guint n = a->conn->subflows->len;
  a->notes = g_new0(PacketNote *, n);
  for (guint k = 0; k < n; k++) {
    const TcpConn *t = g_ptr_array_index(a->conn->subflows, k);
    a->notes[k] = g_new0(PacketNote, t->packets->len);
  }
}

static void subdirs_init(Walk *w, const MptcpConn *m)
{
  guint n = m->subflows->len;
  w->sd = g_new0(SubDir, n * 2);
  for (guint i = 0; i < n * 2; i++) {
    const TcpConn *t = g_ptr_array_index(m->subflows, i / 2);
    SubDir *s = &w->sd[i];
    seqtrack_init(&s->seq, t, i % 2);
    iset_init(&s->sent);
    mapping_set_init(&s->maps);
    s->dir = sending_endpoint(t, TO_SERVER) == (int)(i % 2) ? TO_SERVER
                                                            : TO_CLIENT;
  }
}

static void walk_init(Walk *w, const MptcpConn *m, guint keep)
{
  guint n = m->subflows->len;
  memset(w, 0, sizeof *w);
  w->keep = keep;
  w->a = g_new0(MptcpAnalysis, 1);
  w->a->conn = m;
  if (keep & ANALYSE_NOTES)
    notes_init(w->a);
  subdirs_init(w, m);
  w->holes = g_array_new(FALSE, FALSE, sizeof(Hole));
  w->refs = packets_in_order(m);
  w->rejected = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (int d = 0; d < 2; d++) {
    MptcpDir *D = &w->a->dir[d];
    D->sub = g_new0(SubflowFigures, n);
    D->reinjections = g_ptr_array_new_with_free_func(reinjection_free);
    D->outliers = g_array_new(FALSE, FALSE, sizeof(Outlier));
    D->dsn_from_key = m->has_key[d];        /* TO_SERVER: the client's key */
    w->ds[d].init = m->has_key[d];
    w->ds[d].base = m->has_key[d] ? m->idsn[d] : 0;
    w->ds[d].acks = g_array_new(FALSE, FALSE, sizeof(Raise));
    carriers_init(&w->ds[d].carriers);
  }
}

/* A fallen-back direction maps its subflow's bytes one to one. */
static void add_fallback_mappings(Walk *w)
{
  for (int d = 0; d < 2; d++) {
    if (!w->ds[d].fallback)
      continue;
    Mapping m = { 1, 1, MAP_INFINITE, 0 };
    mapping_set_add(&walk_subdir_of(w, 0, d)->maps, &m);
    w->a->dir[d].fallback = TRUE;
  }
}

static void walk_clear(Walk *w, guint n)
{
  for (guint i = 0; i < n * 2; i++) {
    iset_clear(&w->sd[i].sent);
    mapping_set_clear(&w->sd[i].maps);
  }
  g_free(w->sd);
  g_array_free(w->holes, TRUE);
  g_array_free(w->refs, TRUE);
  g_hash_table_destroy(w->rejected);
  for (int d = 0; d < 2; d++) {
    g_array_free(w->ds[d].acks, TRUE);
    if (w->keep & ANALYSE_CARRIERS)
      w->a->dir[d].carriers = w->ds[d].carriers;
    else
      carriers_clear(&w->ds[d].carriers);
  }
}

MptcpAnalysis *mptcp_analyse(const MptcpConn *m)
{
  return mptcp_analyse_with(m, 0);
}

MptcpAnalysis *mptcp_analyse_with(const MptcpConn *m, guint keep)
{
  Walk w;
  walk_init(&w, m, keep);
  mptcp_scan(&w);
  add_fallback_mappings(&w);
  for (guint i = 0; i < w.refs->len; i++)
    take_packet(&w, &g_array_index(w.refs, Ref, i));
  mptcp_place(&w);
  walk_clear(&w, m->subflows->len);
  return w.a;
}

void mptcp_analysis_drop_carriers(MptcpAnalysis *a)
{
  for (int d = 0; d < 2; d++)
    carriers_clear(&a->dir[d].carriers);
}

void mptcp_analysis_free(MptcpAnalysis *a)
{
  if (!a)
    return;
  for (int d = 0; d < 2; d++) {
    g_free(a->dir[d].sub);
    g_ptr_array_free(a->dir[d].reinjections, TRUE);
    g_array_free(a->dir[d].outliers, TRUE);
    carriers_clear(&a->dir[d].carriers);
  }
  if (a->notes)
    for (guint k = 0; k < a->conn->subflows->len; k++)
      g_free(a->notes[k]);
  g_free(a->notes);
  g_free(a);
}
