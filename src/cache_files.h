/* cache_files.h - which files of a cache folder this program wrote, so
 * that it never deletes or overwrites anything else (the folder may be one
 * the user named with --cache-dir and share with other programs).
 *
 * A file is ours when its name has our pattern AND its first bytes are our
 * magic: entries are named SHA256HEX.cache, temporary files .entry-XXXXXX
 * (g_mkstemp). A temporary file is a write in progress as long as its
 * writer holds an flock(2) on it; one whose lock is free and that nobody
 * touched for CACHE_TEMP_STALE_S seconds was left by a writer that died
 * (killed during the write). On file systems without locks only the age
 * counts, with a longer delay. Nothing here ever blocks: files are opened
 * with O_NONBLOCK and anything but a regular file is not ours. */
#ifndef CACHE_FILES_H
#define CACHE_FILES_H
#include <glib.h>

#define CACHE_MAGIC "MPTCPAC\001"
#define CACHE_TEMP_PREFIX ".entry-"
#define CACHE_TEMP_STALE_S 60
#define CACHE_TEMP_STALE_NOLOCK_S 3600

/* the name of an entry (64 lowercase hex digits + ".cache") */
gboolean cache_is_entry_name(const char *name);
/* the name of a temporary file (".entry-" + 6 letters or digits) */
gboolean cache_is_temp_name(const char *name);
/* A regular file starting with CACHE_MAGIC (a symlink, FIFO or device is
 * not). */
gboolean cache_file_is_ours(const char *path);
/* Delete the temporary files of dir that dead writers left; the count. */
int cache_sweep_temps(const char *dir);

#endif
