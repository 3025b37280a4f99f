/* units.h - human-readable quantities, the unit always written out:
 * "2,461,249 bytes (2.35 MiB)", "168.2 KiB/s (1.38 Mbit/s)". Each returns
 * a new string. JSON output uses plain bytes and seconds instead. */
#ifndef UNITS_H
#define UNITS_H
#include <glib.h>

char *fmt_bytes(guint64 n);
char *fmt_count(guint64 n);          /* 2,461,249 */
char *fmt_rate(double bytes_per_s);
char *fmt_percent(guint64 part, guint64 whole);
/* seconds from nanoseconds, as a double */
static inline double ns_to_s(gint64 ns) { return (double)ns / 1e9; }
/* a rate in bytes per second, 0 when the duration is 0 */
static inline double per_second(guint64 bytes, gint64 ns)
{ return ns > 0 ? (double)bytes / ns_to_s(ns) : 0.0; }
/* a share in [0, 1], 0 when whole is 0 */
static inline double share(guint64 part, guint64 whole)
{ return whole ? (double)part / (double)whole : 0.0; }

#endif
