/* plot_kinds.h - the table of plot kinds. A kind is one entry here and
 * one function that builds a Plot (plot.h) from the analysis of one
 * connection; the two-capture kinds to come (owd, hol, reinjections
 * coloured by verdict) are a table entry with needs & KIND_PEER and
 * their own function. */
#ifndef PLOT_KINDS_H
#define PLOT_KINDS_H
#include "capture.h"
#include "plot.h"

#define KIND_TCP     0x01  /* STREAM is a tcp.stream */
#define KIND_MPTCP   0x02  /* STREAM is an mptcp.stream */
#define KIND_PEER    0x04  /* needs the other end's capture (CAPTURE2) */
#define KIND_WINDOW  0x08  /* takes --window */
#define KIND_TOWARDS 0x10  /* takes --towards */
#define KIND_PEER_OPTIONAL 0x20  /* may take the other end's capture */

typedef struct {
  const Capture *cap;
  const TcpConn *tcp;          /* KIND_TCP */
  const MptcpConn *mptcp;      /* KIND_MPTCP */
  int towards;                 /* TO_SERVER, TO_CLIENT or PLOT_ALL_DIRS */
  double window_s;             /* --window, 0 when not given */
  const Capture *peer;         /* KIND_PEER (or given, KIND_PEER_OPTIONAL) */
  double clock_offset_s;
  gboolean clock_offset_given;
} PlotInput;

typedef struct {
  const char *name;
  int needs;                   /* KIND_* */
  const char *summary;
  /* NULL while the kind is announced but not built yet */
  Plot *(*build)(const PlotInput *in, GError **err);
} PlotKind;

extern const PlotKind plot_kinds[];
const PlotKind *plot_kind_find(const char *name);

Plot *plot_tcp_seq(const PlotInput *in, GError **err);
Plot *plot_tcp_throughput(const PlotInput *in, GError **err);
Plot *plot_mptcp_throughput(const PlotInput *in, GError **err);
Plot *plot_mptcp_dsn(const PlotInput *in, GError **err);
Plot *plot_reinjections(const PlotInput *in, GError **err);
Plot *plot_owd(const PlotInput *in, GError **err);
Plot *plot_hol(const PlotInput *in, GError **err);

/* --- shared by the kinds (plot_common.c) --- */
#define TIME_AXIS "time since the connection's first packet (s)"

/* "tcp.stream 3 10.0.0.1:5000 -> 10.0.0.2:5201" (client -> server) */
char *subflow_legend(const TcpConn *t);
/* position of t in its MPTCP connection (its colour); 0 for plain TCP */
int subflow_colour(const TcpConn *t);
const char *towards_text(int d);   /* "towards the server" */
/* base name of the capture, for titles */
char *capture_name(const Capture *c);
/* the error every kind gives when there is nothing to draw */
Plot *nothing_to_plot(GError **err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Contiguous windows of equal length from t0; the last one ends at end
 * and may be shorter. */
typedef struct {
  gint64 t0, end, w;           /* nanoseconds */
  guint n;
} Windows;

/* FALSE (error set) when window_s is not positive or gives too many
 * windows; window_s 0 picks a round length giving about 100 windows. */
gboolean windows_init(Windows *w, gint64 t0, gint64 end, double window_s,
                      GError **err);
static inline guint window_of(const Windows *w, gint64 t)
{
  gint64 k = (t - w->t0) / w->w;
  return (guint)CLAMP(k, 0, (gint64)w->n - 1);
}
/* Rows time_s, window_s, throughput and goodput in bytes per second of
 * one series from per-window byte counts. */
void windows_rows(Plot *p, guint series, const Windows *w,
                  const guint64 *wire, const guint64 *app);
/* The columns, legend styles and axes shared by the throughput kinds. */
Plot *throughput_plot_new(const Windows *w);

#endif
