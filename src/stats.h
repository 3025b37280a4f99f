/* stats.h - what one run cost, for scripts/bench: wall time, our own CPU
 * time and peak memory, tshark's CPU time (the children we waited for). */
#ifndef STATS_H
#define STATS_H
#include <glib.h>

typedef struct {
  gint64 start_us;
  long start_rss_kib;      /* resident set at start-up */
} RunStats;

void run_stats_start(RunStats *r);
/* One line on stderr: "stats: packets=N wall_s=... own_cpu_s=...
 * tshark_cpu_s=... own_peak_rss_kib=... start_rss_kib=..." and, when
 * given, how the last load ran (load_note, e.g. "ranges=2"). */
void run_stats_print(const RunStats *r, guint64 packets,
                     const char *load_note);

#endif
