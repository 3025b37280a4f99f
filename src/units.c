/* units.c - formatting of byte counts, rates and shares. */
#include "units.h"

char *fmt_count(guint64 n)
{
  char digits[24];
  GString *s = g_string_new(NULL);
  int len = g_snprintf(digits, sizeof digits, "%" G_GUINT64_FORMAT, n);
  for (int i = 0; i < len; i++) {
    if (i > 0 && (len - i) % 3 == 0)
      g_string_append_c(s, ',');
    g_string_append_c(s, digits[i]);
  }
  return g_string_free(s, FALSE);
}

static const char *scale(double *v, const char *const units[], double step)
{
  int i = 0;
  while (*v >= step && units[i + 1]) {
    *v /= step;
    i++;
  }
  return units[i];
}

char *fmt_bytes(guint64 n)
{
  static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", NULL };
  char *count = fmt_count(n), *s;
  double v = (double)n;
  const char *u = scale(&v, units, 1024);
  if (n < 1024)
    s = g_strdup_printf("%s bytes", count);
  else
    s = g_strdup_printf("%s bytes (%.2f %s)", count, v, u);
  g_free(count);
  return s;
}

char *fmt_rate(double bps)
{
  static const char *const bunits[] = { "B/s", "KiB/s", "MiB/s", "GiB/s", NULL };
  static const char *const bits[] = { "bit/s", "kbit/s", "Mbit/s", "Gbit/s", NULL };
  double b = bps, r = bps * 8;
  const char *bu = scale(&b, bunits, 1024), *ru = scale(&r, bits, 1000);
  return g_strdup_printf("%.2f %s (%.2f %s)", b, bu, r, ru);
}

char *fmt_percent(guint64 part, guint64 whole)
{
  return g_strdup_printf("%.1f%%", 100.0 * share(part, whole));
}
