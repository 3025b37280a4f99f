/* test_capture_split.c - cutting pcap and pcapng files into frame ranges,
 * on files written byte by byte here from the format specifications
 * (libpcap's file format; pcapng, draft-ietf-opsawg-pcapng): where cuts
 * fall, which header each range gets, what cannot be split. That tshark
 * reads each range as the same frames is checked by the integration suite
 * (tests/integration_parallel.py). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include "capture_split.h"
#include "tests.h"

static void put32(GByteArray *b, guint32 v, gboolean big)
{
  guint8 x[4];
  for (int i = 0; i < 4; i++)
    x[i] = (guint8)(big ? v >> (24 - 8 * i) : v >> (8 * i));
  g_byte_array_append(b, x, 4);
}

static void put16(GByteArray *b, guint16 v, gboolean big)
{
  guint8 x[2] = { (guint8)(big ? v >> 8 : v), (guint8)(big ? v : v >> 8) };
  g_byte_array_append(b, x, 2);
}

/* An Ethernet/IPv4 frame of 60 bytes; frag: a fragment of a datagram. */
static void frame(guint8 *f, gboolean frag)
{
  memset(f, 0, 60);
  f[12] = 0x08;
  f[14] = 0x45;
  f[20] = frag ? 0x20 : 0x40;               /* MF, or DF */
}

static char *write_file(const char *name, GByteArray *b)
{
  char *dir = g_dir_make_tmp("split-XXXXXX", NULL);
  char *path = g_build_filename(dir, name, NULL);
  g_assert_true(g_file_set_contents(path, (const char *)b->data, b->len, NULL));
  g_free(dir);
  g_byte_array_free(b, TRUE);
  return path;
}

static void remove_file(char *path)
{
  char *dir = g_path_get_dirname(path);
  g_unlink(path);
  g_rmdir(dir);
  g_free(dir);
  g_free(path);
}

/* n records; record i (from 0) is a fragment when frag[i]. */
static GByteArray *pcap(int n, const gboolean *frag)
{
  GByteArray *b = g_byte_array_new();
  put32(b, 0xa1b2c3d4, FALSE);
  put16(b, 2, FALSE);
  put16(b, 4, FALSE);
  put32(b, 0, FALSE);
  put32(b, 0, FALSE);
  put32(b, 65535, FALSE);
  put32(b, 1, FALSE);
  for (int i = 0; i < n; i++) {
    guint8 f[60];
    frame(f, frag && frag[i]);
    put32(b, 1700000000 + (guint32)i, FALSE);
    put32(b, 0, FALSE);
    put32(b, 60, FALSE);
    put32(b, 60, FALSE);
    g_byte_array_append(b, f, 60);
  }
  return b;
}

static void test_pcap_halves(void)
{
  char *path = write_file("a.pcap", pcap(100, NULL));
  CaptureSplit cs;
  char *why = NULL;
  g_assert_true(capture_split(&cs, path, 2, NULL, 0, &why));
  g_assert_cmpint(cs.n, ==, 2);
  g_assert_cmpuint(cs.packets, ==, 100);
  g_assert_false(cs.cut);
  g_assert_cmpuint(cs.ranges[0].first_frame, ==, 1);
  g_assert_cmpuint(cs.ranges[1].first_frame, ==, 1 + cs.ranges[0].packets);
  g_assert_cmpuint(cs.ranges[0].packets + cs.ranges[1].packets, ==, 100);
  /* records of 76 bytes after the 24-byte header */
  g_assert_cmpuint(cs.ranges[0].len, ==, 24 + 76 * cs.ranges[0].packets);
  g_assert_cmpuint(cs.ranges[1].len, ==, 76 * cs.ranges[1].packets);
  g_assert_null(cs.ranges[0].head);
  g_assert_cmpuint(cs.ranges[1].head_len, ==, 24);
  g_assert_cmpmem(cs.ranges[1].head, 24, cs.ranges[0].data, 24);
  capture_split_clear(&cs);
  remove_file(path);
}

static void test_pcap_cut_short(void)
{
  GByteArray *b = pcap(10, NULL);
  g_byte_array_set_size(b, b->len - 30);      /* the last record cut */
  char *path = write_file("cut.pcap", b);
  CaptureSplit cs;
  char *why = NULL;
  guint64 at[] = { 4 };
  g_assert_true(capture_split(&cs, path, 0, at, 1, &why));
  g_assert_true(cs.cut);
  g_assert_cmpuint(cs.packets, ==, 9);
  g_assert_cmpint(cs.n, ==, 2);
  g_assert_cmpuint(cs.ranges[1].first_frame, ==, 4);
  g_assert_cmpuint(cs.ranges[1].packets, ==, 6);
  g_assert_cmpuint(cs.ranges[1].len, ==, 76 * 7 - 30);   /* with the tail */
  capture_split_clear(&cs);
  remove_file(path);
}

static void test_fragments(void)
{
  gboolean frag[200] = { FALSE };
  frag[49] = frag[50] = TRUE;                  /* frames 50 and 51 */
  char *path = write_file("frag.pcap", pcap(200, frag));
  CaptureSplit cs;
  char *why = NULL;
  guint64 at[] = { 51 };                       /* between the two */
  g_assert_true(capture_split(&cs, path, 0, at, 1, &why));
  g_assert_cmpint(cs.n, ==, 2);
  g_assert_cmpuint(cs.ranges[1].first_frame, >, 51 + 31);  /* 32 clear */
  capture_split_clear(&cs);
  guint64 near[] = { 30 };                     /* a fragment follows soon */
  g_assert_true(capture_split(&cs, path, 0, near, 1, &why));
  g_assert_cmpint(cs.n, ==, 2);
  g_assert_cmpuint(cs.ranges[1].first_frame, >, 51 + 31);
  capture_split_clear(&cs);
  remove_file(path);
}

/* ---- pcapng ---- */

static void block(GByteArray *b, guint32 type, GByteArray *body, gboolean big)
{
  while (body->len % 4)
    g_byte_array_append(body, (const guint8 *)"", 1);
  put32(b, type, big);
  put32(b, 12 + body->len, big);
  g_byte_array_append(b, body->data, body->len);
  put32(b, 12 + body->len, big);
  g_byte_array_free(body, TRUE);
}

static void shb(GByteArray *b, gboolean big)
{
  GByteArray *x = g_byte_array_new();
  put32(x, 0x1a2b3c4d, big);
  put16(x, 1, big);
  put16(x, 0, big);
  put32(x, 0x12345678, big);                  /* a section length */
  put32(x, 0, big);
  block(b, 0x0a0d0d0a, x, big);
}

static void idb(GByteArray *b, guint16 linktype, gboolean big)
{
  GByteArray *x = g_byte_array_new();
  put16(x, linktype, big);
  put16(x, 0, big);
  put32(x, 262144, big);
  block(b, 1, x, big);
}

static void epb(GByteArray *b, guint32 iface, gboolean big)
{
  GByteArray *x = g_byte_array_new();
  guint8 f[60];
  frame(f, FALSE);
  put32(x, iface, big);
  put32(x, 0, big);
  put32(x, 1, big);
  put32(x, 60, big);
  put32(x, 60, big);
  g_byte_array_append(x, f, 60);
  block(b, 6, x, big);
}

#define EPB_LEN 92
#define SHB_LEN 28
#define IDB_LEN 20

/* 10 packets on interface 0; a second interface declared; 10 packets on
 * 0 and 1 in turn; a new section (one interface); 10 packets. */
static GByteArray *pcapng(gboolean big)
{
  GByteArray *b = g_byte_array_new();
  shb(b, big);
  idb(b, 1, big);
  for (int i = 0; i < 10; i++)
    epb(b, 0, big);
  idb(b, 1, big);
  for (int i = 0; i < 10; i++)
    epb(b, (guint32)(i % 2), big);
  shb(b, big);
  idb(b, 1, big);
  for (int i = 0; i < 10; i++)
    epb(b, 0, big);
  return b;
}

static void check_pcapng(gboolean big)
{
  char *path = write_file("b.pcapng", pcapng(big));
  CaptureSplit cs;
  char *why = NULL;
  guint64 at[] = { 5, 12, 22, 25 };
  g_assert_true(capture_split(&cs, path, 0, at, 4, &why));
  g_assert_cmpint(cs.n, ==, 5);
  g_assert_cmpuint(cs.packets, ==, 30);
  const guint8 *base = cs.ranges[0].data;
  /* frame 5: the first section, one interface */
  g_assert_cmpuint(cs.ranges[1].first_frame, ==, 5);
  g_assert_cmpuint(cs.ranges[1].head_len, ==, SHB_LEN + IDB_LEN);
  g_assert_cmpmem(cs.ranges[1].head + 16, 8, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
  g_assert_cmpmem(cs.ranges[1].head + SHB_LEN, IDB_LEN, base + SHB_LEN, IDB_LEN);
  /* frame 12: both interfaces of the first section */
  g_assert_cmpuint(cs.ranges[2].head_len, ==, SHB_LEN + 2 * IDB_LEN);
  g_assert_cmpmem(cs.ranges[2].head + SHB_LEN + IDB_LEN, IDB_LEN,
                  base + SHB_LEN + IDB_LEN + 10 * EPB_LEN, IDB_LEN);
  /* frame 22 and 25: the second section, its own interface */
  g_assert_cmpuint(cs.ranges[3].first_frame, ==, 22);
  g_assert_cmpuint(cs.ranges[3].head_len, ==, SHB_LEN + IDB_LEN);
  g_assert_cmpuint(cs.ranges[4].first_frame, ==, 25);
  g_assert_cmpuint(cs.ranges[4].packets, ==, 6);
  gsize total = 0;
  for (int k = 0; k < cs.n; k++)
    total += cs.ranges[k].len;
  g_assert_cmpuint(total, ==, 2 * SHB_LEN + 3 * IDB_LEN + 30 * EPB_LEN);
  /* frames 12-21: the second section's blocks travel inside the range */
  g_assert_cmpuint(cs.ranges[2].len, ==, 10 * EPB_LEN + SHB_LEN + IDB_LEN);
  capture_split_clear(&cs);
  remove_file(path);
}

static void test_pcapng(void)
{
  check_pcapng(FALSE);
}

static void test_pcapng_big_endian(void)
{
  check_pcapng(TRUE);
}

static void refused(GByteArray *b, const char *because)
{
  char *path = write_file("bad", b);
  CaptureSplit cs;
  char *why = NULL;
  g_assert_false(capture_split(&cs, path, 2, NULL, 0, &why));
  g_assert_nonnull(why);
  g_assert_nonnull(strstr(why, because));
  g_free(why);
  remove_file(path);
}

static void test_refused(void)
{
  GByteArray *b = g_byte_array_new();          /* undeclared interface */
  shb(b, FALSE);
  idb(b, 1, FALSE);
  epb(b, 1, FALSE);
  refused(b, "undeclared interface");
  b = g_byte_array_new();                      /* an unknown block */
  shb(b, FALSE);
  idb(b, 1, FALSE);
  block(b, 0x77, g_byte_array_new(), FALSE);
  refused(b, "type 0x77");
  b = g_byte_array_new();                      /* lengths that differ */
  shb(b, FALSE);
  idb(b, 1, FALSE);
  b->data[b->len - 1] = 0x7f;
  refused(b, "differ");
  b = g_byte_array_new();                      /* an unknown link type */
  shb(b, FALSE);
  idb(b, 147, FALSE);
  epb(b, 0, FALSE);
  refused(b, "link type 147");
  b = g_byte_array_new();                      /* gzip */
  g_byte_array_append(b, (const guint8 *)"\x1f\x8b\x08\x00\x00\x00\x00\x00", 8);
  refused(b, "neither");
}

void register_capture_split_tests(void)
{
  g_test_add_func("/capture_split/pcap/halves", test_pcap_halves);
  g_test_add_func("/capture_split/pcap/cut_short", test_pcap_cut_short);
  g_test_add_func("/capture_split/pcap/fragments", test_fragments);
  g_test_add_func("/capture_split/pcapng/sections_late_interface", test_pcapng);
  g_test_add_func("/capture_split/pcapng/big_endian", test_pcapng_big_endian);
  g_test_add_func("/capture_split/refused", test_refused);
}
