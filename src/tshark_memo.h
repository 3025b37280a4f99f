/* tshark_memo.h - tshark's version, remembered per binary, so that a cold
 * load starts one tshark (the export) instead of two (--version first).
 *
 * One small text file per tshark path in the cache folder holds the
 * binary's identity (real path, size, modification and change times,
 * device and inode: what the cache key holds, plus the change time, which
 * any write, rename or replacement of the file moves) and the version it
 * gave. It is used only while that identity is unchanged, so a changed or
 * replaced binary is asked again; a remembered version too old is refused
 * like a fresh answer. Files are written whole and renamed into place;
 * failures are silent (the version is then asked on every load). */
#ifndef TSHARK_MEMO_H
#define TSHARK_MEMO_H
#include <glib.h>

/* The version remembered for this tshark as it is now, or NULL. */
char *tshark_memo_read(const char *dir, const char *tshark_path);
void tshark_memo_write(const char *dir, const char *tshark_path,
                       const char *version);
/* Delete the memo files in dir; returns how many. */
int tshark_memo_clean(const char *dir);

#endif
