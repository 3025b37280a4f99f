/* carrier.h - who carried each data-level byte first. A set of disjoint
 * ranges [start, end) of relative data sequence numbers, each labelled
 * with the subflow and frame that first carried it and when.
 *
 * Contract: carrier_add() inserts the parts of a range no range holds yet
 * and reports the parts already held, in order. Data mostly comes in
 * order, so ranges that start at or past the highest end so far are
 * appended to a sorted array in O(1); the others (gaps filled later) go to
 * a balanced tree: O(log n) either way, and 32 bytes per range in the
 * array. Iteration is in data sequence order over both. */
#ifndef CARRIER_H
#define CARRIER_H
#include <glib.h>

typedef struct {
  guint64 start, end;
  guint32 frame;          /* 0 for bytes inferred, not captured */
  guint32 subflow;        /* index in the connection's subflow list */
  gint64 time_ns;
} CarrierRange;

typedef struct {
  GArray *main;           /* CarrierRange, by start; an emptied range
                             (start == end) is skipped */
  GTree *late;            /* start -> CarrierRange*, those below the
                             array's end when they came */
  guint64 end;            /* the highest end of any range */
} Carriers;

/* Called for each already-carried part of an added range. */
typedef void (*CarrierSeen)(const CarrierRange *orig, guint64 overlap,
                            void *user);
/* Called for each range in order; TRUE stops the walk. */
typedef gboolean (*CarrierVisit)(const CarrierRange *r, void *user);

void carriers_init(Carriers *c);
void carriers_clear(Carriers *c);
/* Add [start, end) carried by subflow in frame; returns the new bytes. */
guint64 carrier_add(Carriers *c, guint64 start, guint64 end, guint32 subflow,
                    guint32 frame, gint64 time_ns, CarrierSeen seen,
                    void *user);
void carriers_foreach(const Carriers *c, CarrierVisit fn, void *user);
/* How many ranges (an upper bound: emptied ones count). */
guint carriers_count(const Carriers *c);
/* Take back up to n bytes of the inferred ranges (frame 0) of subflow,
 * the highest first; returns how many. */
guint64 carriers_take_back(Carriers *c, guint32 subflow, guint64 n);

#endif
