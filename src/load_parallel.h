/* load_parallel.h - load a capture with several tsharks at once, one per
 * contiguous frame range (capture_split.h), each fed its range on standard
 * input from the mapped file while the same loop reads every tshark's rows
 * into that range's own model; the rows are checked against the numbering
 * replay as they arrive (range_check.h) and the models merged in frame
 * order (range_merge.h). Whenever the result could differ in any way from
 * one tshark pass (a tshark failed, a range was cut short, a row disagreed
 * with the replay, a connection would split differently) the caller reads
 * the capture in one pass instead; so results never depend on -j. */
#ifndef LOAD_PARALLEL_H
#define LOAD_PARALLEL_H
#include "capture.h"
#include "tshark.h"
#include "load.h"

typedef enum {
  PAR_DONE,       /* *out is the capture (not finished, not checked) */
  PAR_FAILED,     /* err set: interrupted, or tshark could not run */
  PAR_SINGLE      /* read it in one pass; *why says why (g_free it) */
} ParResult;

/* at_frames (n_at of them): where ranges must start, else NULL for about
 * opt->jobs equal ranges; a capture of fewer than min_packets packets is
 * left to one pass ("small capture"). */
ParResult load_parallel(const char *path, const Tshark *ts,
                        const LoadOptions *opt, const guint64 *at_frames,
                        int n_at, guint64 min_packets, Capture **out,
                        int *ranges, char **why, GError **err);

#endif
