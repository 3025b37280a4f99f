/* plot_common.c - what the plot kinds share: legends, colours, titles,
 * the "nothing to plot" error, and throughput windows. */
#include "plot_kinds.h"
#include "describe.h"
#include "tcp_stats.h"
#include <stdarg.h>

#define MAX_WINDOWS 1000000

char *subflow_legend(const TcpConn *t)
{
  char *a = endpoint_text(t, t->client), *b = endpoint_text(t, conn_server(t));
  char *s = g_strdup_printf("tcp.stream %u %s -> %s", t->stream, a, b);
  g_free(a);
  g_free(b);
  return s;
}

int subflow_colour(const TcpConn *t)
{
  if (!t->mptcp)
    return 0;
  for (guint k = 0; k < t->mptcp->subflows->len; k++)
    if (g_ptr_array_index(t->mptcp->subflows, k) == t)
      return (int)k;
  return 0;
}

const char *towards_text(int d)
{
  return d == TO_SERVER ? "towards the server" : "towards the client";
}

char *capture_name(const Capture *c)
{
  return g_path_get_basename(c->path);
}

Plot *nothing_to_plot(GError **err, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "nothing to plot: %s",
              msg);
  g_free(msg);
  return NULL;
}

/* 1, 2 or 5 times a power of ten, at least x */
static double round_up(double x)
{
  double e = 1e-9;
  while (e * 10 < x)
    e *= 10;
  return x <= e ? e : x <= 2 * e ? 2 * e : x <= 5 * e ? 5 * e : 10 * e;
}

gboolean windows_init(Windows *w, gint64 t0, gint64 end, double window_s,
                      GError **err)
{
  double dur = (double)(end - t0) / 1e9;
  if (window_s == 0)
    window_s = dur > 0 ? MAX(round_up(dur / 100), 1e-3) : 1;
  if (!(window_s > 0) || window_s > 1e9 || dur / window_s > MAX_WINDOWS) {
    g_set_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL, "--window %g: give a "
                "positive length in seconds that makes at most %d windows "
                "of the %.6f s connection", window_s, MAX_WINDOWS, dur);
    return FALSE;
  }
  w->t0 = t0;
  w->end = end;
  w->w = MAX((gint64)(window_s * 1e9 + 0.5), 1);
  w->n = end > t0 ? (guint)((end - t0 + w->w - 1) / w->w) : 1;
  return TRUE;
}

void windows_rows(Plot *p, guint series, const Windows *w,
                  const guint64 *wire, const guint64 *app)
{
  for (guint k = 0; k < w->n; k++) {
    gint64 start = (gint64)k * w->w;
    gint64 len = k + 1 < w->n ? w->w : (w->end - w->t0) - start;
    if (len <= 0)
      len = w->w;                      /* a connection of one instant */
    double secs = (double)len / 1e9;
    double row[4] = { (double)start / 1e9, secs, (double)wire[k] / secs,
                      (double)app[k] / secs };
    plot_row(p, series, row);
  }
}

static const PlotCol throughput_cols[] = {
  { "time_s", 't' }, { "window_s", 't' },
  { "throughput_bytes_per_s", 'f' }, { "goodput_bytes_per_s", 'f' },
};

Plot *throughput_plot_new(const Windows *w)
{
  Plot *p = plot_new(throughput_cols, 4, 2);
  p->x_col = 0;
  p->lo_col = p->hi_col = 2;
  p->step_width_col = 1;
  p->xlabel = TIME_AXIS;
  p->ylabel = "bytes per second";
  p->yformat = "%.1s%c";
  p->ymin_zero = TRUE;
  p->xmax = (double)(w->end - w->t0) / 1e9;
  g_ptr_array_add(p->legend_extra, g_strdup("lines lw 1.5 dt 1\tthroughput: "
                                            "payload on the wire"));
  g_ptr_array_add(p->legend_extra, g_strdup("lines lw 1.5 dt 2\tgoodput: "
                                            "data carried the first time"));
  char *len = g_strdup_printf("%g", (double)w->w / 1e9);
  plot_note(p, "bytes per second in windows of %s s from the connection's "
            "first packet (the last window ends at its last packet)", len);
  g_free(len);
  return p;
}
