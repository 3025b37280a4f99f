/* stats.c - resource usage of a run, from getrusage(2) and /proc. */
#include "stats.h"
#include <stdio.h>
#include <sys/resource.h>

static long rss_now_kib(void)
{
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    fclose(f);
  }
  return resident * 4;
}

void run_stats_start(RunStats *r)
{
  r->start_us = g_get_monotonic_time();
  r->start_rss_kib = rss_now_kib();
}

static double cpu_s(const struct rusage *u)
{
  return (double)(u->ru_utime.tv_sec + u->ru_stime.tv_sec) +
         (double)(u->ru_utime.tv_usec + u->ru_stime.tv_usec) / 1e6;
}

void run_stats_print(const RunStats *r, guint64 packets,
                     const char *load_note)
{
  struct rusage self, kids;
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &kids);
  fprintf(stderr, "stats: packets=%" G_GUINT64_FORMAT " wall_s=%.3f own_cpu_s=%.3f "
          "tshark_cpu_s=%.3f own_peak_rss_kib=%ld start_rss_kib=%ld%s%s\n",
          packets, (double)(g_get_monotonic_time() - r->start_us) / 1e6,
          cpu_s(&self), cpu_s(&kids), self.ru_maxrss, r->start_rss_kib,
          load_note ? " " : "", load_note ? load_note : "");
}
