/* range_merge.h - from the models of a capture's ranges to the model of
 * the capture, numbered as one tshark pass numbers it.
 *
 * The first range's replay (range_check.h) checked every one of its rows,
 * from the same empty state one tshark starts from: its state at the end of
 * the range is the global state there. Each later range's logged rows are
 * replayed on it in order, which gives every local tcp.stream its global
 * conversation (a local stream that would fall into two is refused: the
 * caller reads the capture in one pass). Then the ranges' connections move,
 * range by range, into the first range's model under their global
 * tcp.stream; a connection that continues across a cut gets the later
 * part's packets and events appended; each connection's mptcp.stream is
 * the one the global replay shows first for it. */
#ifndef RANGE_MERGE_H
#define RANGE_MERGE_H
#include "capture.h"
#include "range_check.h"

/* Merge caps[1..n-1] into caps[0] (frames already global; counts are the
 * caller's); checks[k] is range k's checked replay. TRUE on success (the
 * later models are emptied); FALSE with *why (g_free it) when the ranges
 * cannot be merged exactly. */
gboolean range_merge(Capture **caps, RangeCheck *checks, int n, char **why);

#endif
