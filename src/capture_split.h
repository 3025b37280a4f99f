/* capture_split.h - cut a pcap or pcapng file into contiguous frame ranges
 * that tshark can each read, on its standard input, as a valid capture.
 *
 * The file is mapped, never copied. Each range is its records as they are
 * in the file, preceded (from the second range on) by a header of its own:
 * the pcap file header, or for pcapng the section header block of the
 * section the range starts in (its section length set to "unknown") and
 * every interface description block of that section seen before the
 * range; blocks inside a range (a later section, an interface declared
 * late) travel with it. Cuts fall only on packet records, never near an
 * IP fragment (reassembly must not straddle two tsharks). The walk checks
 * every block and record; a file it cannot walk safely (gzip, an unknown
 * or malformed block, a record longer than tshark accepts, a link type
 * whose IP header it cannot find) is reported as not splittable and is
 * read in one pass, as before. */
#ifndef CAPTURE_SPLIT_H
#define CAPTURE_SPLIT_H
#include <glib.h>

typedef struct {
  guint64 first_frame;     /* frame number of its first packet, from 1 */
  guint64 packets;         /* complete packet records in it */
  const guint8 *data;      /* its bytes in the mapping */
  gsize len;
  guint8 *head;            /* header to send ahead of data (owned), or NULL */
  gsize head_len;
} CaptureRange;

typedef struct {
  GMappedFile *map;
  CaptureRange *ranges;
  int n;
  guint64 packets;         /* packet records in the file */
  gboolean cut;            /* the file ends inside a block or record */
} CaptureSplit;

/* Split path into about n ranges of equal size (n >= 2), or, when
 * at_frames is given, into ranges starting at those frame numbers
 * (ascending; a cut that would fall near an IP fragment moves to the next
 * safe packet). TRUE with cs filled (cs->n may be 1: nothing to cut); FALSE
 * when the file cannot be split, with *why saying why (g_free it). */
gboolean capture_split(CaptureSplit *cs, const char *path, int n,
                       const guint64 *at_frames, int n_at, char **why);
void capture_split_clear(CaptureSplit *cs);

#endif
