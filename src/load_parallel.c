/* load_parallel.c - several tsharks, one per frame range (see
 * load_parallel.h). */
#include "load_parallel.h"
#include "capture_split.h"
#include "progress.h"
#include "range_check.h"
#include "range_merge.h"
#include "row_reader.h"
#include <string.h>

typedef struct Par Par;

typedef struct {
  Par *par;
  RowReader rows;
  RangeCheck check;
  Capture *cap;
} Range;

struct Par {
  CaptureSplit split;
  Range *ranges;
  TsharkJob *jobs;
  int n;
  gboolean abort;          /* a range disagreed: stop every tshark */
  guint64 rows;            /* rows read, all ranges */
  Progress progress;
};

static void on_data(const char *data, gsize len, void *user)
{
  row_reader_feed(&((Range *)user)->rows, data, len);
}

static void on_fields(const char *const *fields, int nfields, void *user)
{
  Range *r = user;
  r->par->rows++;
  range_check_row(&r->check, fields, nfields);
  if (r->check.disagree)
    r->par->abort = TRUE;
}

static void on_row(const Row *row, void *user)
{
  capture_add_row(((Range *)user)->cap, row);
}

static void on_tick(void *user)
{
  Par *p = user;
  progress_show(&p->progress, p->split.packets
                ? (double)p->rows / (double)p->split.packets : 0.0);
}

static void ranges_init(Par *p, const char *path, const Tshark *ts)
{
  p->n = p->split.n;
  p->ranges = g_new0(Range, p->n);
  p->jobs = g_new0(TsharkJob, p->n);
  for (int k = 0; k < p->n; k++) {
    Range *r = &p->ranges[k];
    const CaptureRange *cr = &p->split.ranges[k];
    r->par = p;
    r->cap = capture_new(path);
    row_reader_init(&r->rows, on_row, r);
    r->rows.fields_cb = on_fields;
    r->rows.frame_offset = (guint32)(cr->first_frame - 1);
    range_check_init(&r->check, k > 0);
    TsharkJob *j = &p->jobs[k];
    tshark_export_job(j, ts, "-", on_data, r);
    if (cr->head)
      j->feed[j->n_feed++] = (TsharkFeed){ cr->head, cr->head_len, FALSE };
    j->feed[j->n_feed++] = (TsharkFeed){ cr->data, cr->len, TRUE };
  }
}

static void ranges_clear(Par *p)
{
  for (int k = 0; k < p->n; k++) {
    row_reader_finish(&p->ranges[k].rows);
    range_check_clear(&p->ranges[k].check);
    capture_free(p->ranges[k].cap);
    tshark_job_clear(&p->jobs[k]);
  }
  g_free(p->ranges);
  g_free(p->jobs);
}

/* After the run: every range read exactly its packets, agreed with the
 * replay, and only the last one may be cut short. */
static gboolean outcomes(Par *p, gboolean *truncated, char **why)
{
  *truncated = FALSE;
  for (int k = 0; k < p->n; k++) {
    Range *r = &p->ranges[k];
    GError *e = NULL;
    gboolean cut;
    row_reader_finish(&r->rows);
    if (!tshark_job_outcome(&p->jobs[k], "-", &cut, &e)) {
      *why = g_strdup_printf("range %d: %s", k + 1, e->message);
      g_error_free(e);
      return FALSE;
    }
    if (cut && k < p->n - 1) {
      *why = g_strdup_printf("range %d is cut short", k + 1);
      return FALSE;
    }
    *truncated = cut;
    if (r->check.disagree) {
      *why = g_strdup_printf("range %d: %s", k + 1, r->check.disagree);
      return FALSE;
    }
    if (r->rows.rows != p->split.ranges[k].packets) {
      *why = g_strdup_printf("range %d: %" G_GUINT64_FORMAT " rows for %"
                             G_GUINT64_FORMAT " packets", k + 1, r->rows.rows,
                             p->split.ranges[k].packets);
      return FALSE;
    }
  }
  return TRUE;
}

static Capture *merge(Par *p, gboolean truncated, char **why)
{
  Capture **caps = g_new(Capture *, p->n);
  RangeCheck *checks = g_new(RangeCheck, p->n);
  for (int k = 0; k < p->n; k++) {
    caps[k] = p->ranges[k].cap;
    checks[k] = p->ranges[k].check;
  }
  gboolean ok = range_merge(caps, checks, p->n, why);
  g_free(caps);
  g_free(checks);
  if (!ok)
    return NULL;
  Capture *c = p->ranges[0].cap;
  p->ranges[0].cap = NULL;
  c->rows = 0;
  for (int k = 0; k < p->n; k++) {
    c->rows += p->ranges[k].rows.rows;
    c->bad_rows += p->ranges[k].rows.bad_rows;
    if (k > 0) {
      const Capture *r = p->ranges[k].cap;
      c->tcp_packets += r->tcp_packets;
      c->bad_rows += r->bad_rows;
      c->options_cut += r->options_cut;
      c->time_clamped += r->time_clamped;
      c->icmp_errors += r->icmp_errors;
    }
  }
  c->truncated = truncated;
  return c;
}

ParResult load_parallel(const char *path, const Tshark *ts,
                        const LoadOptions *opt, const guint64 *at_frames,
                        int n_at, guint64 min_packets, Capture **out,
                        int *ranges, char **why, GError **err)
{
  Par p;
  memset(&p, 0, sizeof p);
  *out = NULL;
  *ranges = 1;
  if (!capture_split(&p.split, path, opt->jobs, at_frames, n_at, why))
    return PAR_SINGLE;
  if (p.split.packets < min_packets || p.split.n < 2) {
    *why = p.split.packets < min_packets
           ? g_strdup_printf("small capture (%" G_GUINT64_FORMAT " packets)",
                             p.split.packets)
           : g_strdup("one range");
    capture_split_clear(&p.split);
    return PAR_SINGLE;
  }
  ranges_init(&p, path, ts);
  progress_init(&p.progress, path, opt->quiet, &p.rows);
  TsharkLimits lim;
  tshark_limits(&lim, FALSE);
  GError *run_err = NULL;
  gboolean ran = tshark_run_jobs(p.jobs, p.n, MAX(opt->jobs, 1), &lim,
                                 on_tick, &p, &p.abort, &run_err);
  progress_done(&p.progress);
  ParResult res = PAR_SINGLE;
  gboolean truncated;
  if (!ran && g_error_matches(run_err, TSHARK_RUN_ERROR, TSHARK_RUN_ABORTED)) {
    *why = g_strdup_printf("stopped early: %s", run_err->message);
    for (int k = 0; k < p.n; k++)
      if (p.ranges[k].check.disagree) {
        g_free(*why);
        *why = g_strdup_printf("range %d: %s", k + 1,
                               p.ranges[k].check.disagree);
        break;
      }
    g_error_free(run_err);
  } else if (!ran) {
    g_propagate_error(err, run_err);
    res = PAR_FAILED;
  } else if (outcomes(&p, &truncated, why) &&
             (*out = merge(&p, truncated, why)) != NULL) {
    res = PAR_DONE;
    *ranges = p.n;
  }
  ranges_clear(&p);
  capture_split_clear(&p.split);
  return res;
}
