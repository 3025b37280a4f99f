/* load.h - from a capture file to a finished Capture model: checks the file,
 * runs tshark once and parses its output as it arrives. */
#ifndef LOAD_H
#define LOAD_H

#include "capture.h"
#include "tshark.h"

typedef struct {
  gboolean quiet;          /* no warnings or progress on stderr */
  gboolean no_cache;       /* neither read nor write the cache */
  char *cache_dir;         /* NULL: the XDG cache folder */
} LoadOptions;

/* Check that path names a readable, non-empty capture file (by its magic
 * number), without reading more than its first bytes. */
gboolean capture_file_check(const char *path, GError **err);

/* Load a capture that capture_file_check() accepted, with tshark (not
 * finished: see capture_finish); NULL with err set on failure. Warnings (a
 * truncated file, rows tshark printed that we could not read) go to
 * stderr unless quiet. */
Capture *capture_load(const char *path, const Tshark *ts,
                      const LoadOptions *opt, GError **err);

#endif
