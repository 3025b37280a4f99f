/* plot.h - what a plot is, independently of how it is drawn: numeric
 * series (the rows of the data file, and one gnuplot data block each) and
 * layers (how a series is drawn: columns, style, colour, legend). A plot
 * kind (plot_kinds.c) fills a Plot from the analysis; plot_reduce.c thins
 * series too dense to be seen; plot_data.c writes them as TSV;
 * plot_script.c turns the whole into a gnuplot script. */
#ifndef PLOT_H
#define PLOT_H
#include <glib.h>

#define PLOT_MAX_COLS 8
#define PLOT_NO_STREAM (-1)   /* a series of the whole MPTCP connection */
#define PLOT_ALL_DIRS (-1)    /* --towards not given */

/* Colours of layers that are not a subflow's */
#define COLOUR_BLACK (-1)
#define COLOUR_GREY  (-2)
#define COLOUR_GOOD  (-3)     /* a reinjection that helped: green */
#define COLOUR_BAD   (-4)     /* one that came too late: red */
#define COLOUR_ALONE (-5)     /* one that alone delivered the data: blue */

typedef struct {
  const char *name;     /* data file header: "time_s" */
  char fmt;             /* 't' time (ns exact), 'i' integer, 'f' real */
} PlotCol;

typedef struct {
  int towards;          /* TO_SERVER, TO_CLIENT, or -1: no direction */
  gint64 tcp_stream;    /* PLOT_NO_STREAM: the whole connection */
  const char *what;     /* "segment", "ack", ...; NULL when the kind's
                           data file has no "series" column */
  gboolean keep_all;    /* never thinned (retransmissions, reinjections) */
  GArray *rows;         /* double, Plot.ncols per row */
  guint points_before;  /* rows before thinning */
} PlotSeries;

typedef struct {
  guint series;         /* index in Plot.series */
  int panel;            /* 0, or 1 for the second panel */
  char *using;          /* gnuplot "using" columns: "1:5:(0):($6-$5)" */
  const char *style;    /* gnuplot "with" clause, colour not included */
  int colour;           /* palette index, or COLOUR_* */
  char *title;          /* legend text, NULL for none */
  /* on the text terminal, where thin bars vanish and dash types do not
   * exist: another "with" clause and legend text; NULL: the same */
  const char *term_style;
  char *term_title;
} PlotLayer;

typedef struct {
  char *title;                  /* names the capture and connection */
  const char *xlabel, *ylabel;
  const char *yformat;          /* tick format ("%.1s%c"), or NULL */
  gboolean ymin_zero;           /* y axis from 0 */
  double xmax, ymax;            /* axis ends; 0: automatic */
  int npanels;                  /* 1, or 2 stacked */
  char *panel_title[2];
  int ncols;
  const PlotCol *cols;          /* numeric columns of every series */
  int nlead;                    /* numeric columns before the key columns
                                   in the data file (time first) */
  gboolean has_what;            /* data file has a "series" column */
  int x_col, lo_col, hi_col;    /* what thinning looks at (0-based) */
  int step_width_col;           /* drawn as steps: this column holds each
                                   row's width, and the data block gets
                                   a closing row; -1 otherwise */
  GPtrArray *series;            /* PlotSeries* */
  GArray *layers;               /* PlotLayer */
  GPtrArray *legend_extra;      /* char*: key entries for line styles:
                                   "style\ttitle" drawn as black lines */
  GPtrArray *notes;             /* char*: comment lines for the data file
                                   and labels under the plot */
  guint reduced_from, reduced_to;   /* totals over thinned series */
  guint columns;                /* pixel columns thinning assumed */
} Plot;

Plot *plot_new(const PlotCol *cols, int ncols, int nlead);
void plot_free(Plot *p);
/* A new series (owned by p); returns its index. */
guint plot_series(Plot *p, int towards, gint64 tcp_stream, const char *what,
                  gboolean keep_all);
/* Append one row of p->ncols values to series s. */
void plot_row(Plot *p, guint s, const double *values);
static inline PlotSeries *plot_get(const Plot *p, guint s)
{ return g_ptr_array_index(p->series, s); }
void plot_layer(Plot *p, guint series, int panel, const char *using,
                const char *style, int colour, const char *title);
/* The text-terminal style and legend of the layer added last (NULL:
 * unchanged). */
void plot_term(Plot *p, const char *style, const char *title);
void plot_note(Plot *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Rows of all series. */
guint plot_points(const Plot *p);

/* Thin every series that is not keep_all to at most the first, last,
 * lowest and highest point of each of `columns` equal slices of the x
 * range; notes how many points became how many. */
void plot_reduce(Plot *p, guint columns);

/* The data file: comment lines (#), then a header line and one
 * tab-separated row per point of every series. */
gboolean plot_write_data(const Plot *p, const char *path, GError **err);

typedef enum { OUT_PNG, OUT_SVG, OUT_PDF, OUT_TERM } PlotFormat;

typedef struct {
  PlotFormat format;
  int width, height;     /* pixels; characters for OUT_TERM */
  gboolean colour;       /* OUT_TERM: ANSI colours */
} PlotTarget;

/* The gnuplot script that draws p on t, data included; the picture goes
 * to gnuplot's standard output. */
GString *plot_script(const Plot *p, const PlotTarget *t);

#endif
