/* cache.h - the on-disk cache of a loaded capture, so that a second load
 * of the same capture starts no tshark.
 *
 * An entry holds what capture_add_row() built (connections, packets, MPTCP
 * options), before roles and links are decided. Its key (cache_key.c):
 * the capture's real path, size, modification time, change time (ctime)
 * and inode, a SHA-256 of its first and last 64 KiB, the identity of the
 * tshark binary (path, size, times, inode: a new version is a new binary),
 * tshark's options and field list, and the format. Why both ctime and the
 * content: size, mtime and inode can all repeat when a capture is replaced
 * by another (inodes are reused, `touch -r` or a copy tool sets mtime);
 * ctime cannot be set by a program and changes on every write, but only
 * as finely as the file system's clock ticks (two writes in one tick keep
 * it), and some network file systems fake it; the two ends of the content
 * catch a replacement in one tick, for the price of reading 128 KiB
 * (about 0.1 ms, against 50 ms for a reload of a million packets). A
 * capture edited only in its middle, in the same clock tick, with size and
 * mtime restored, is the one change neither sees.
 *
 * The key's SHA-256 names the file and the whole key is stored in it and
 * compared. Entries are written to a temporary file (locked while it is
 * written) and renamed; a header with sizes and a checksum (FNV-1a over
 * the 64-bit words of key and body) detects truncation and corruption,
 * every count and enumeration read back is checked against what the
 * loader can produce, and a bad entry is deleted and rebuilt. Only files
 * this program wrote are ever read as entries, replaced or deleted (see
 * cache_files.h); nothing here blocks on a FIFO. */
#ifndef CACHE_H
#define CACHE_H
#include "capture.h"
#include "tshark.h"
#include <sys/stat.h>

#define CACHE_FORMAT 4

typedef struct {
  char *dir;          /* cache folder */
  char *key;          /* the full key text */
  char *path;         /* the entry's file */
} CacheEntry;

/* The default folder: $XDG_CACHE_HOME/mptcpanalyzer. */
char *cache_default_dir(void);
/* Compute the key and path of a capture's entry; FALSE if the capture or
 * tshark cannot be identified, or the capture is not a regular file. */
gboolean cache_entry_init(CacheEntry *e, const char *dir, const char *capture,
                          const Tshark *ts, GError **err);
void cache_entry_clear(CacheEntry *e);
/* A capture (not finished) from the entry, or NULL on a miss; a corrupt
 * entry of ours is deleted and *corrupt set. */
Capture *cache_read(const CacheEntry *e, const char *capture, gboolean *corrupt);
/* Store a loaded (not yet finished) capture; FALSE with err on failure,
 * leaving no file behind (and nothing replaced that is not ours). Removes
 * the temporary files that dead writers left. */
gboolean cache_write(const CacheEntry *e, const Capture *c, GError **err);
/* Delete the entries of dir that are provably ours, and stale temporary
 * files; returns the count, -1 with err on failure. */
int cache_clean(const char *dir, GError **err);

#endif
