/* cache.h - the on-disk cache of a loaded capture, so that a second load
 * of the same capture starts no tshark.
 *
 * An entry holds what capture_add_row() built (connections, packets, MPTCP
 * options), before roles and links are decided. It is keyed by the
 * capture's real path, size, modification time and inode, the identity of
 * the tshark binary (path, size, mtime, inode: a new version is a new
 * binary), tshark's options and field list, and the format; the key's
 * SHA-256 names the file and the whole key is stored in it and compared. Entries are written to a
 * temporary file and renamed; a header with sizes and a checksum over the
 * whole entry detects truncation and corruption, and a bad entry is
 * deleted and rebuilt. */
#ifndef CACHE_H
#define CACHE_H
#include "capture.h"
#include "tshark.h"
#include <sys/stat.h>

typedef struct {
  char *dir;          /* cache folder */
  char *key;          /* the full key text */
  char *path;         /* the entry's file */
} CacheEntry;

/* The default folder: $XDG_CACHE_HOME/mptcpanalyzer. */
char *cache_default_dir(void);
/* Compute the key and path of a capture's entry; FALSE if the capture or
 * tshark cannot be identified. */
gboolean cache_entry_init(CacheEntry *e, const char *dir, const char *capture,
                          const Tshark *ts, GError **err);
void cache_entry_clear(CacheEntry *e);
/* A capture (not finished) from the entry, or NULL on a miss; a corrupt
 * entry is deleted and *corrupt set. */
Capture *cache_read(const CacheEntry *e, const char *capture, gboolean *corrupt);
/* Store a loaded (not yet finished) capture; FALSE with err on failure,
 * leaving no file behind. */
gboolean cache_write(const CacheEntry *e, const Capture *c, GError **err);
/* Delete every entry in dir; returns the count, -1 with err on failure. */
int cache_clean(const char *dir, GError **err);

#endif
