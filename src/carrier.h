/* carrier.h - who carried each data-level byte first. A tree of disjoint
 * ranges [start, end) of relative data sequence numbers, each labelled
 * with the subflow and frame that first carried it. carrier_add() inserts
 * the new parts of a range and reports the parts already carried. */
#ifndef CARRIER_H
#define CARRIER_H
#include <glib.h>

typedef struct {
  guint64 start, end;
  guint32 frame;          /* 0 for bytes inferred, not captured */
  guint32 subflow;        /* index in the connection's subflow list */
  gint64 time_ns;
} CarrierRange;

typedef struct { GTree *tree; } Carriers;

/* Called for each already-carried part of an added range. */
typedef void (*CarrierSeen)(const CarrierRange *orig, guint64 overlap,
                            void *user);

void carriers_init(Carriers *c);
void carriers_clear(Carriers *c);
/* Add [start, end) carried by subflow in frame; returns the new bytes. */
guint64 carrier_add(Carriers *c, guint64 start, guint64 end, guint32 subflow,
                    guint32 frame, gint64 time_ns, CarrierSeen seen,
                    void *user);

#endif
