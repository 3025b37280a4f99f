/* progress.h - a progress line on stderr while tshark reads a capture:
 * the share read (one tshark: its read position in the file, from
 * /proc/PID/fdinfo; several tsharks on frame ranges: the packets read by
 * all of them against the file's packet count), packets per second and
 * time left. Shown only when stderr is a terminal, not in quiet mode, and
 * once a load has taken more than a second. */
#ifndef PROGRESS_H
#define PROGRESS_H
#include <glib.h>

typedef struct {
  gboolean enabled, shown;
  char *real;              /* the capture's real path, to find tshark's fd */
  gint64 size, start_us;
  int fd;                  /* tshark's descriptor for the capture, or -1 */
  const guint64 *packets;  /* packets parsed so far */
} Progress;

void progress_init(Progress *p, const char *capture, gboolean quiet,
                   const guint64 *packets);
/* One tshark reading the capture file itself. */
void progress_tick(Progress *p, GPid pid);
/* Any other share (0 to 1) of the load done. */
void progress_show(Progress *p, double share);
void progress_done(Progress *p);   /* clears the line */

#endif
