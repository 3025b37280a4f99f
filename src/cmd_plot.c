/* cmd_plot.c - plot KIND [CAPTURE] STREAM [CAPTURE2]: build the kind's
 * Plot from the analysis, thin it to what the picture can show, write the
 * data file (--data) and draw it with gnuplot into a file (-o, format
 * from the extension) or on the terminal (--term). Files appear whole or
 * not at all: each is written to a temporary file beside it and renamed. */
#include "commands.h"
#include "gnuplot.h"
#include "json_out.h"
#include "plot_kinds.h"
#include "plot_output.h"
#include "tcp_stats.h"
#include "units.h"
#include <string.h>

#define IMAGE_WIDTH 1280
#define IMAGE_HEIGHT 720

typedef struct {
  const PlotKind *kind;
  const char *out, *data;      /* -o, --data; NULL when not given */
  gboolean term;
  PlotInput in;
  PlotTarget target;
  char *stream_arg;
  Capture *peer;               /* the other end's capture, owned */
} PlotRequest;

void plot_kinds_help(FILE *out)
{
  fprintf(out, "  kinds (STREAM is a tcp.stream for tcp-*, else an "
          "mptcp.stream):\n");
  for (const PlotKind *k = plot_kinds; k->name; k++)
    if (!(k->needs & KIND_PEER))
      fprintf(out, "    %-17s %s\n", k->name, k->summary);
  fprintf(out, "  with the other end's capture (CAPTURE2; --clock-offset):\n");
  for (const PlotKind *k = plot_kinds; k->name; k++)
    if (k->needs & KIND_PEER)
      fprintf(out, "    %-17s %s\n", k->name, k->summary);
  fprintf(out, "  -o FILE: .png (default), .svg or .pdf; --term: draw on the "
          "terminal;\n  --data FILE: the plotted series as tab-separated "
          "values (# comment lines first)\n");
}

static int usage_error(const char *fmt, const char *arg)
{
  char *msg = g_strdup_printf(fmt, arg);
  int rc = report_error("plot: %s", msg);
  g_free(msg);
  return rc;
}

/* The kind and the options; 0 or an exit status (reported). */
static int parse_request(const CmdArgs *a, PlotRequest *r)
{
  const char *towards = cmd_opt(a, "--towards");
  GError *err = NULL;
  memset(r, 0, sizeof *r);
  r->in.towards = PLOT_ALL_DIRS;
  if (a->argc < 1)
    return report_error("plot: give a kind (see help plot)");
  if (!(r->kind = plot_kind_find(a->argv[0])))
    return usage_error("unknown kind '%s' (see help plot)", a->argv[0]);
  if (!r->kind->build)
    return usage_error("%s needs two captures and is not available yet",
                       a->argv[0]);
  r->out = cmd_opt(a, "-o");
  r->data = cmd_opt(a, "--data");
  r->term = cmd_flag(a, "--term");
  if (r->out && r->term)
    return report_error("plot: give -o FILE or --term, not both");
  if (a->json && r->term)
    return report_error("plot: --term draws on standard output; --json "
                        "cannot go with it");
  if ((r->out && !*r->out) || (r->data && !*r->data))
    return report_error("plot: -o and --data need a file name");
  if (towards && strcmp(towards, "server") && strcmp(towards, "client"))
    return usage_error("--towards '%s': give server or client", towards);
  if (towards && !(r->kind->needs & KIND_TOWARDS))
    return usage_error("--towards does not apply to %s", r->kind->name);
  if (towards)
    r->in.towards = strcmp(towards, "server") == 0 ? TO_SERVER : TO_CLIENT;
  if (cmd_opt(a, "--window") && !(r->kind->needs & KIND_WINDOW))
    return usage_error("--window does not apply to %s", r->kind->name);
  if (cmd_opt(a, "--clock-offset") &&
      !(r->kind->needs & (KIND_PEER | KIND_PEER_OPTIONAL)))
    return usage_error("--clock-offset applies to two-capture kinds, not %s",
                       r->kind->name);
  if (!cmd_opt_double(a, "--window", &r->in.window_s) ||
      !cmd_opt_double(a, "--clock-offset", &r->in.clock_offset_s))
    return 1;
  r->in.clock_offset_given = cmd_flag(a, "--clock-offset");
  if (cmd_opt(a, "--window") && !(r->in.window_s > 0))
    return usage_error("--window %s: give a positive number of seconds",
                       cmd_opt(a, "--window"));
  if (r->term) {
    output_term_size(&r->target);
    return 0;
  }
  r->target = (PlotTarget){ OUT_PNG, IMAGE_WIDTH, IMAGE_HEIGHT, TRUE };
  if (r->out && !output_format(r->out, &r->target.format, &err)) {
    int rc = report_error("plot: %s", err->message);
    g_error_free(err);
    return rc;
  }
  return 0;
}

/* An MPTCP connection, or a clear error; a tcp.stream given instead is
 * named as such. */
static const MptcpConn *mptcp_stream(const Capture *c, const char *arg)
{
  guint32 id;
  if (!stream_id_arg(c, arg, "mptcp.stream", &id))
    return NULL;
  const MptcpConn *m = capture_mptcp(c, id);
  const TcpConn *t = capture_tcp(c, id);
  if (m)
    return m;
  if (t && t->mptcp)
    report_error("%s: no mptcp.stream %u; tcp.stream %u is a subflow of "
                 "mptcp.stream %u (give that number)", c->path, id, id,
                 t->mptcp->id);
  else
    report_error("%s: no MPTCP connection with mptcp.stream %s (%u MPTCP "
                 "connections; see list-mptcp)", c->path, arg, c->mptcp->len);
  return NULL;
}

/* With an optional second capture: is it there? 3 arguments, or 2 of
 * which the first is a stream number and a capture is loaded. */
static gboolean peer_given(const Session *s, const CmdArgs *rest)
{
  if (rest->argc == 3)
    return TRUE;
  return rest->argc == 2 && s->cap && g_ascii_isdigit(rest->argv[0][0]) &&
         strspn(rest->argv[0], "0123456789") == strlen(rest->argv[0]);
}

/* Load the capture(s) and find the connection; 0 or an exit status. */
static int take_input(Session *s, const CmdArgs *a, PlotRequest *r)
{
  CmdArgs rest = *a;
  rest.argv++;
  rest.argc--;
  gboolean two = (r->kind->needs & KIND_PEER) ||
                 ((r->kind->needs & KIND_PEER_OPTIONAL) && peer_given(s, &rest));
  int need = two ? 2 : 1;
  if (r->in.clock_offset_given && !two)
    return report_error("plot %s: --clock-offset needs the other end's "
                        "capture", r->kind->name);
  if (rest.argc != need && rest.argc != need + 1) {
    report_error("plot %s: expected [CAPTURE] %s%s", r->kind->name,
                 (r->kind->needs & KIND_TCP) ? "TCP_STREAM" : "MPTCP_STREAM",
                 need == 2 ? " CAPTURE2" : "");
    return 1;
  }
  int rc = cmd_take_capture(s, "plot", &rest, need);
  if (rc)
    return rc;
  r->in.cap = s->cap;
  r->stream_arg = rest.argv[0];
  if (r->kind->needs & KIND_TCP)
    r->in.tcp = tcp_arg(s->cap, rest.argv[0]);
  else
    r->in.mptcp = mptcp_stream(s->cap, rest.argv[0]);
  if (!r->in.tcp && !r->in.mptcp)
    return 1;
  if (two && !(r->in.peer = r->peer = cmd_peer_capture(s, rest.argv[1])))
    return 1;
  return 0;
}

/* "client_2-mptcp-dsn-1.png" in the current folder */
static char *default_output(const PlotRequest *r)
{
  char *base = capture_name(r->in.cap);
  char *dot = strrchr(base, '.');
  if (dot && dot != base)
    *dot = '\0';
  char *out = g_strdup_printf("%s-%s-%s.png", base, r->kind->name,
                              r->stream_arg);
  g_free(base);
  return out;
}

/* Notes wrapped to the terminal's width; the number of lines. */
static int wrap_notes(const Plot *p, int width, GString *out)
{
  int lines = 0;
  for (guint i = 0; i < p->notes->len; i++) {
    char **words = g_strsplit(g_ptr_array_index(p->notes, i), " ", -1);
    int col = 0;
    for (char **w = words; *w; w++) {
      int len = (int)strlen(*w);
      if (col && col + 1 + len > width) {
        g_string_append_c(out, '\n');
        lines++;
        col = 0;
      }
      g_string_append_printf(out, "%s%s", col ? " " : "", *w);
      col += (col ? 1 : 0) + len;
    }
    g_string_append_c(out, '\n');
    lines++;
    g_strfreev(words);
  }
  return lines;
}

/* The picture as text, then the data file, then the picture printed. */
static gboolean draw_term(const Gnuplot *gp, const Plot *p,
                          const PlotRequest *r, GError **err)
{
  GString *notes = g_string_new(NULL);
  PlotTarget t = r->target;
  int note_lines = wrap_notes(p, t.width - 1, notes);
  t.height = MAX(t.height - 1 - note_lines, 12);
  GString *script = plot_script(p, &t);
  char *out = NULL;
  gboolean ok = gnuplot_run(gp, script, -1, &out, err) &&
                (!r->data || plot_write_data(p, r->data, err));
  if (ok) {
    for (const char *c = out; *c; c++)
      if (*c != '\f')
        putchar(*c);
    fputs(notes->str, stdout);
    fflush(stdout);
  }
  g_free(out);
  g_string_free(script, TRUE);
  g_string_free(notes, TRUE);
  return ok;
}

/* The picture into a temporary file, the data file, then the rename. */
static gboolean draw_file(const Gnuplot *gp, const Plot *p,
                          const PlotRequest *r, const char *path, GError **err)
{
  OutFile o;
  if (!output_open(&o, path, err))
    return FALSE;
  GString *script = plot_script(p, &r->target);
  gboolean ok = gnuplot_run(gp, script, o.fd, NULL, err) &&
                (!r->data || plot_write_data(p, r->data, err)) &&
                output_commit(&o, err);
  g_string_free(script, TRUE);
  output_clear(&o);
  return ok;
}

static void report(const Session *s, const CmdArgs *a, const PlotRequest *r,
                   const Plot *p, const char *path)
{
  if (a->json) {
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_str(b, "capture", s->cap->path);
    json_str(b, "kind", r->kind->name);
    json_int(b, r->in.tcp ? "tcp_stream" : "mptcp_stream",
             r->in.tcp ? r->in.tcp->stream : r->in.mptcp->id);
    if (path) json_str(b, "output", path);
    else json_null(b, "output");
    if (r->data) json_str(b, "data", r->data);
    else json_null(b, "data");
    json_str(b, "title", p->title);
    json_int(b, "points", plot_points(p));
    json_int(b, "points_before_thinning",
             plot_points(p) + p->reduced_from - p->reduced_to);
    json_builder_end_object(b);
    json_print(b);
  } else if (path) {
    printf("wrote %s%s%s\n", path, r->data ? " and " : "",
           r->data ? r->data : "");
  }
}

static int render(Session *s, const CmdArgs *a, PlotRequest *r,
                  const Gnuplot *gp)
{
  GError *err = NULL;
  Plot *p = r->kind->build(&r->in, &err);
  char *path = NULL;
  gboolean ok = p != NULL;
  if (ok) {
    guint columns = r->target.format == OUT_PNG || r->term
                    ? (guint)r->target.width : 2 * (guint)r->target.width;
    plot_reduce(p, columns);
    if (r->term)
      ok = draw_term(gp, p, r, &err);
    else {
      path = r->out ? g_strdup(r->out) : default_output(r);
      ok = draw_file(gp, p, r, path, &err);
    }
  }
  if (ok)
    report(s, a, r, p, path);
  else
    report_error("plot %s: %s", r->kind->name, err->message);
  g_clear_error(&err);
  g_free(path);
  plot_free(p);
  return ok ? 0 : 1;
}

int cmd_plot(Session *s, const CmdArgs *a)
{
  PlotRequest r;
  Gnuplot gp;
  GError *err = NULL;
  int rc = parse_request(a, &r);
  if (rc)
    return rc;
  if (!gnuplot_find(&gp, &err)) {        /* before a long capture load */
    rc = report_error("plot: %s", err->message);
    g_error_free(err);
    return rc;
  }
  if ((rc = take_input(s, a, &r)) == 0)
    rc = render(s, a, &r, &gp);
  capture_free(r.peer);
  gnuplot_clear(&gp);
  return rc;
}
