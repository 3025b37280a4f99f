/* mapping_set.h - the DSS mappings of one subflow direction: which data
 * sequence number each subflow sequence number carries.
 *
 * Contract: mapping_set_add() takes mappings in any order; one announced
 * again (same start, same DSN) only grows to the longer length. Mappings
 * arriving in increasing subflow sequence order (the usual case) are
 * appended to a sorted array in O(1); the others go to a balanced tree, so
 * any order costs O(log n) per mapping. mapping_set_find() returns a
 * mapping covering a subflow sequence number, preferring the one that
 * starts closest below it, or NULL. */
#ifndef MAPPING_SET_H
#define MAPPING_SET_H
#include <glib.h>

typedef struct {
  guint64 ssn, dsn, len;   /* [ssn, ssn+len) carries [dsn, dsn+len) */
  guint32 frame;           /* the packet that announced it */
} Mapping;

typedef struct {
  GArray *sorted;          /* Mapping, increasing ssn */
  GTree *late;             /* ssn -> Mapping*, those that came out of order */
} MappingSet;

void mapping_set_init(MappingSet *s);
void mapping_set_clear(MappingSet *s);
void mapping_set_add(MappingSet *s, const Mapping *m);
const Mapping *mapping_set_find(const MappingSet *s, guint64 ssn);
/* The mapping that starts highest at or below ssn, or NULL. */
const Mapping *mapping_set_floor(const MappingSet *s, guint64 ssn);
/* Call fn on every mapping, in no particular order. */
void mapping_set_foreach(const MappingSet *s,
                         void (*fn)(const Mapping *m, void *user), void *user);

#endif
