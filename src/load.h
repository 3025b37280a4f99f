/* load.h - from a capture file to a finished Capture model: checks the file,
 * runs tshark (once, or one per frame range for a large capture) and
 * parses its output as it arrives. */
#ifndef LOAD_H
#define LOAD_H

#include "capture.h"
#include "tshark.h"

typedef struct {
  gboolean quiet;          /* no warnings or progress on stderr */
  gboolean no_cache;       /* neither read nor write the cache */
  char *cache_dir;         /* NULL: the XDG cache folder */
  int jobs;                /* tsharks at once (-j); 1: one pass */
} LoadOptions;

/* Captures with fewer packets than this are read by one tshark: below it,
 * starting more tsharks costs more than it saves (measured, see README;
 * dissection cost follows packets, not bytes). A file too small to hold
 * that many packets (SPLIT_MIN_PACKETS x 32 bytes) is not even walked.
 * The hidden variable MPTCPANALYZER_SPLIT overrides it ("min-packets:N")
 * or forces ranges to start at given frames ("frames:100,250", tests). */
#define SPLIT_MIN_PACKETS 30000

/* Check that path names a readable, non-empty regular capture file (by
 * its magic number), without reading more than its first bytes; a FIFO,
 * a device or a socket is refused at once. */
gboolean capture_file_check(const char *path, GError **err);

/* Load a capture that capture_file_check() accepted, with tshark (not
 * finished: see capture_finish); NULL with err set on failure (also
 * "interrupted" after a Ctrl-C). Warnings (a truncated file, rows tshark
 * printed that we could not read) go to stderr unless quiet. *note (g_free
 * it) says how it was read, for --stats: "ranges=N", with the reason when
 * a large capture was read in one pass. */
Capture *capture_load(const char *path, const Tshark *ts,
                      const LoadOptions *opt, char **note, GError **err);

#endif
