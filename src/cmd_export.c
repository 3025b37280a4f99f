/* cmd_export.c - export: one record per TCP packet, in frame order, as CSV
 * or JSON Lines, for pandas, R, jq and spreadsheets. The per-packet facts
 * come from the analysis (tcp_notes, mptcp_analyse_with ANALYSE_NOTES);
 * the columns are the table in export_columns.c. Rows are written as they
 * are produced; -o FILE appears whole or not at all. */
#include "commands.h"
#include "describe.h"
#include "export_writer.h"
#include "frame_merge.h"
#include "json_out.h"
#include "outfile.h"
#include <glib/gstdio.h>
#include <string.h>

typedef struct {            /* one exported TCP connection */
  TcpNoteWalk walk;         /* its TCP notes, made as rows are written */
  const MptcpAnalysis *an;  /* NULL for plain TCP */
  const PacketNote *pn;     /* an's notes for this subflow */
  gint64 start_ns;
  gint64 mptcp_stream;
} ExportConn;

typedef struct {
  GPtrArray *conns;         /* TcpConn*, in the order of ec */
  ExportConn *ec;
  GPtrArray *analyses;      /* MptcpAnalysis*, owned */
  ExportPeer *peer;         /* with --peer: one per connection, else NULL */
} ExportSet;

/* The MPTCP connection t is a subflow of (an orphan's own, for an orphan
 * subflow), and t's index in its subflows; NULL for plain TCP. */
static const MptcpConn *conn_of(const Capture *c, const TcpConn *t, guint *k)
{
  const MptcpConn *m = t->mptcp;
  for (guint i = 0; !m && t->kind == SUBFLOW_ORPHAN &&
       i < c->orphan_conns->len; i++) {
    const MptcpConn *o = g_ptr_array_index(c->orphan_conns, i);
    if (g_ptr_array_index(o->subflows, 0) == t)
      m = o;
  }
  if (m)
    for (*k = 0; *k < m->subflows->len; (*k)++)
      if (g_ptr_array_index(m->subflows, *k) == t)
        return m;
  return NULL;
}

/* Time of the first packet, in frame order, of t, or of any subflow of m
 * when it is not NULL. */
static gint64 start_of(const TcpConn *t, const MptcpConn *m)
{
  const Packet *first = NULL;
  guint n = m ? m->subflows->len : 1;
  for (guint k = 0; k < n; k++) {
    const TcpConn *sub = m ? g_ptr_array_index(m->subflows, k) : t;
    const Packet *p = &g_array_index(sub->packets, Packet, 0);
    if (sub->packets->len && (!first || p->frame < first->frame))
      first = p;
  }
  return first ? first->time_ns : 0;
}

/* The MPTCP analyses (with their notes); the TCP notes are made one
 * packet at a time as the rows are written, since rows come in each
 * connection's packet order (measured: 24 bytes per packet less at the
 * peak than an array of notes). */
static void export_set_fill(ExportSet *x, const Capture *c)
{
  GHashTable *done = g_hash_table_new(NULL, NULL);   /* MptcpConn -> an */
  x->ec = g_new0(ExportConn, x->conns->len);
  x->analyses = g_ptr_array_new_with_free_func((GDestroyNotify)mptcp_analysis_free);
  for (guint i = 0; i < x->conns->len; i++) {
    const TcpConn *t = g_ptr_array_index(x->conns, i);
    ExportConn *e = &x->ec[i];
    guint k = 0;
    const MptcpConn *m = conn_of(c, t, &k);
    e->mptcp_stream = tcp_mptcp_stream(t);
    e->start_ns = start_of(t, m);
    if (!m)
      continue;
    MptcpAnalysis *an = g_hash_table_lookup(done, m);
    if (!an) {
      an = mptcp_analyse_with(m, ANALYSE_NOTES);
      g_hash_table_insert(done, (gpointer)m, an);
      g_ptr_array_add(x->analyses, an);
    }
    e->an = an;
    e->pn = an->notes[k];
  }
  for (guint i = 0; i < x->conns->len; i++)
    tcp_note_walk_init(&x->ec[i].walk, g_ptr_array_index(x->conns, i));
  g_hash_table_destroy(done);
}

static void export_set_clear(ExportSet *x)
{
  export_peer_free(x->peer, x->conns->len);
  for (guint i = 0; i < x->conns->len; i++)
    tcp_note_walk_clear(&x->ec[i].walk);
  g_free(x->ec);
  g_ptr_array_free(x->analyses, TRUE);
  g_ptr_array_free(x->conns, TRUE);
}

/* The connections asked for: one TCP connection, one MPTCP connection's
 * subflows, or every TCP connection; NULL (reported) on a bad option. */
static GPtrArray *select_conns(const Capture *c, const CmdArgs *a)
{
  const char *tcp = cmd_opt(a, "--tcp-stream");
  const char *mptcp = cmd_opt(a, "--mptcp-stream");
  GPtrArray *conns = g_ptr_array_new();
  if (tcp && mptcp) {
    report_error("export: give --tcp-stream or --mptcp-stream, not both");
    g_ptr_array_free(conns, TRUE);
    return NULL;
  }
  if (tcp) {
    TcpConn *t = tcp_arg(c, tcp);
    if (t)
      g_ptr_array_add(conns, t);
  } else if (mptcp) {
    const MptcpConn *m = mptcp_arg(c, mptcp);
    for (guint k = 0; m && k < m->subflows->len; k++)
      g_ptr_array_add(conns, g_ptr_array_index(m->subflows, k));
  } else {
    for (guint i = 0; i < c->tcp->len; i++)
      g_ptr_array_add(conns, g_ptr_array_index(c->tcp, i));
  }
  if (!conns->len) {
    g_ptr_array_free(conns, TRUE);
    return NULL;
  }
  return conns;
}

/* --peer CAPTURE2 [--clock-offset S]: the copies of the packets there */
static gboolean open_peer(Session *s, const CmdArgs *a, ExportSet *x,
                          Capture **peer)
{
  double offset = 0;
  GError *err = NULL;
  if (!cmd_opt_double(a, "--clock-offset", &offset) ||
      !(*peer = cmd_peer_capture(s, cmd_opt(a, "--peer"))))
    return FALSE;
  x->peer = export_peer_make(x->conns, s->cap, *peer,
                             cmd_flag(a, "--clock-offset") ? &offset : NULL,
                             &err);
  if (!x->peer) {
    report_error("export: %s", err->message);
    g_error_free(err);
    capture_free(*peer);
    *peer = NULL;
  }
  return x->peer != NULL;
}

static gboolean parse_format(const CmdArgs *a, ExportFormat *f)
{
  const char *v = cmd_opt(a, "--format");
  if (!v)
    *f = a->json ? EXPORT_JSONL : EXPORT_CSV;
  else if (strcmp(v, "csv") == 0)
    *f = EXPORT_CSV;
  else if (strcmp(v, "jsonl") == 0)
    *f = EXPORT_JSONL;
  else {
    report_error("export: unknown format '%s' (csv or jsonl)", v);
    return FALSE;
  }
  return TRUE;
}

static guint64 write_rows(const ExportSet *x, ExportWriter *w)
{
  FrameMerge fm;
  guint ci, pi;
  frame_merge_init(&fm, x->conns);
  export_writer_header(w);
  while (frame_merge_next(&fm, &ci, &pi)) {
    ExportConn *e = &x->ec[ci];
    const TcpConn *t = g_ptr_array_index(x->conns, ci);
    TcpNote tn;
    g_assert(pi == e->walk.next);
    tcp_note_next(&e->walk, &tn);
    PacketView v = { t, &g_array_index(t->packets, Packet, pi), &tn,
                     e->an, e->pn ? &e->pn[pi] : NULL, e->start_ns,
                     e->mptcp_stream, x->peer ? &x->peer[ci] : NULL, pi };
    export_writer_row(w, &v);
    if ((w->rows & 4095) == 0 && ferror(w->out))
      break;                            /* a full disk: stop early */
  }
  frame_merge_clear(&fm);
  return w->rows;
}

/* With -o FILE (a regular file), what was written: a line, or a JSON
 * object with --json. */
static void report(const Capture *c, const char *path, ExportFormat f,
                   guint64 rows, gboolean json)
{
  const char *fmt = f == EXPORT_CSV ? "csv" : "jsonl";
  if (json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_str(b, "capture", c->path);
    json_str(b, "output", path);
    json_str(b, "format", fmt);
    json_int(b, "rows", (gint64)rows);
    json_builder_end_object(b);
    json_print(b);
  } else {
    printf("exported %" G_GUINT64_FORMAT " packets of %s to %s (%s)\n",
           rows, c->path, path, fmt);
  }
}

static gboolean same_file(const char *a, const char *b)
{
  GStatBuf x, y;
  return g_stat(a, &x) == 0 && g_stat(b, &y) == 0 && x.st_dev == y.st_dev &&
         x.st_ino == y.st_ino;
}

int cmd_export(Session *s, const CmdArgs *a)
{
  ExportFormat format;
  ExportWriter w;
  OutFile out;
  GError *err = NULL;
  const char *path = cmd_opt(a, "-o");
  if (!parse_format(a, &format))
    return 1;
  ExportSet x = { select_conns(s->cap, a), NULL, NULL, NULL };
  if (!x.conns)
    return 1;
  Capture *peer = NULL;
  if (cmd_opt(a, "--peer") && !open_peer(s, a, &x, &peer)) {
    g_ptr_array_free(x.conns, TRUE);
    return 1;
  }
  if (path && (!*path || same_file(path, s->cap->path))) {
    export_peer_free(x.peer, x.conns->len);
    capture_free(peer);
    g_ptr_array_free(x.conns, TRUE);
    return report_error(*path ? "export: %s: -o names the capture itself"
                        : "export: -o needs a file name%s", path);
  }
  if (!outfile_open(&out, path, &err)) {
    int rc = report_error("export: %s", err->message);
    g_error_free(err);
    export_peer_free(x.peer, x.conns->len);
    capture_free(peer);
    g_ptr_array_free(x.conns, TRUE);
    return rc;
  }
  gboolean to_file = out.tmp != NULL;    /* not stdout, a pipe, a device */
  export_set_fill(&x, s->cap);
  export_writer_init(&w, format, out.f);
  w.peer = x.peer != NULL;
  guint64 rows = write_rows(&x, &w);
  export_writer_clear(&w);
  export_set_clear(&x);
  capture_free(peer);
  if (!outfile_close(&out, TRUE, &err)) {
    int rc = report_error("export: %s", err->message);
    g_error_free(err);
    return rc;
  }
  if (to_file)
    report(s->cap, path, format, rows, a->json);
  return 0;
}
