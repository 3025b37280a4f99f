/* progress.c - the progress line. */
#include "progress.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

void progress_init(Progress *p, const char *capture, gboolean quiet,
                   const guint64 *packets)
{
  GStatBuf st;
  memset(p, 0, sizeof *p);
  p->fd = -1;
  p->packets = packets;
  p->start_us = g_get_monotonic_time();
  p->enabled = !quiet && isatty(STDERR_FILENO) && g_stat(capture, &st) == 0 &&
               st.st_size > 0;
  p->size = p->enabled ? (gint64)st.st_size : 0;
  p->real = p->enabled ? realpath(capture, NULL) : NULL;
  p->enabled = p->real != NULL;
}

static int find_fd(GPid pid, const char *real)
{
  char dir[64];
  g_snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
  GDir *d = g_dir_open(dir, 0, NULL);
  int found = -1;
  for (const char *name; d && found < 0 && (name = g_dir_read_name(d)); ) {
    char *link = g_build_filename(dir, name, NULL);
    char *target = g_file_read_link(link, NULL);
    if (target && strcmp(target, real) == 0)
      found = atoi(name);
    g_free(target);
    g_free(link);
  }
  if (d)
    g_dir_close(d);
  return found;
}

static gint64 read_pos(GPid pid, int fd)
{
  char path[64], *text = NULL;
  gint64 pos = -1;
  g_snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)pid, fd);
  if (g_file_get_contents(path, &text, NULL, NULL)) {
    const char *at = strstr(text, "pos:");
    if (at)
      pos = g_ascii_strtoll(at + 4, NULL, 10);
  }
  g_free(text);
  return pos;
}

void progress_tick(Progress *p, GPid pid)
{
  double elapsed = (double)(g_get_monotonic_time() - p->start_us) / 1e6;
  if (!p->enabled || elapsed < 1.0)
    return;
  if (p->fd < 0)
    p->fd = find_fd(pid, p->real);
  gint64 pos = p->fd >= 0 ? read_pos(pid, p->fd) : -1;
  progress_show(p, pos > 0 ? (double)pos / (double)p->size : 0.0);
}

void progress_show(Progress *p, double share)
{
  double elapsed = (double)(g_get_monotonic_time() - p->start_us) / 1e6;
  if (!p->enabled || elapsed < 1.0)
    return;
  share = CLAMP(share, 0.0, 1.0);
  char bar[31];
  int fill = (int)(share * 30);
  memset(bar, '#', (size_t)fill);
  memset(bar + fill, '.', (size_t)(30 - fill));
  bar[30] = '\0';
  double left = share > 0.01 ? elapsed * (1 - share) / share : -1;
  fprintf(stderr, "\r[%s] %3.0f%%  %.0f packets/s  ", bar, share * 100,
          (double)*p->packets / elapsed);
  if (left >= 0)
    fprintf(stderr, "%d:%02d left ", (int)left / 60, (int)left % 60);
  fflush(stderr);
  p->shown = TRUE;
}

void progress_done(Progress *p)
{
  if (p->shown)
    fprintf(stderr, "\r\033[K");
  free(p->real);
  p->real = NULL;
}
