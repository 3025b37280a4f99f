/* test_export.c - the building blocks of `export`: exact decimal seconds
 * from nanoseconds (never through a double), the k-way merge of packet
 * arrays by frame number, the CSV header through libcsv, and output files
 * that appear whole or not at all. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include "export_writer.h"
#include "frame_merge.h"
#include "outfile.h"
#include "tests.h"

static void test_seconds_decimal(void)
{
  static const struct { gint64 ns; const char *text; } cases[] = {
    { 0, "0.000000000" },
    { 1, "0.000000001" },
    { -1, "-0.000000001" },
    { 999999999, "0.999999999" },
    { 1000000000, "1.000000000" },
    { -1500000000, "-1.500000000" },
    /* frame 1 of fixtures/v1-basic-client.pcapng, as tshark prints it */
    { G_GINT64_CONSTANT(1795739607632680963), "1795739607.632680963" },
    { G_MAXINT64, "9223372036.854775807" },
    { G_MININT64, "-9223372036.854775808" },
  };
  char buf[32];
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    seconds_decimal(buf, sizeof buf, cases[i].ns);
    g_assert_cmpstr(buf, ==, cases[i].text);
  }
}

static TcpConn *conn_with_frames(const guint32 *frames, guint n)
{
  TcpConn *t = g_new0(TcpConn, 1);
  t->packets = g_array_new(FALSE, TRUE, sizeof(Packet));
  for (guint i = 0; i < n; i++) {
    Packet p = { .frame = frames[i] };
    g_array_append_val(t->packets, p);
  }
  return t;
}

static void test_frame_merge(void)
{
  static const guint32 a[] = { 1, 4, 7, 10 }, b[] = { 2, 3, 9 }, d[] = { 5, 6, 8 };
  GPtrArray *conns = g_ptr_array_new();
  g_ptr_array_add(conns, conn_with_frames(a, G_N_ELEMENTS(a)));
  g_ptr_array_add(conns, conn_with_frames(b, G_N_ELEMENTS(b)));
  g_ptr_array_add(conns, conn_with_frames(NULL, 0));      /* no packets */
  g_ptr_array_add(conns, conn_with_frames(d, G_N_ELEMENTS(d)));
  FrameMerge m;
  guint ci, pi, n = 0;
  frame_merge_init(&m, conns);
  while (frame_merge_next(&m, &ci, &pi)) {
    const TcpConn *t = g_ptr_array_index(conns, ci);
    g_assert_cmpuint(g_array_index(t->packets, Packet, pi).frame, ==, ++n);
  }
  g_assert_cmpuint(n, ==, 10);
  g_assert_false(frame_merge_next(&m, &ci, &pi));
  frame_merge_clear(&m);
  for (guint i = 0; i < conns->len; i++) {
    TcpConn *t = g_ptr_array_index(conns, i);
    g_array_free(t->packets, TRUE);
    g_free(t);
  }
  g_ptr_array_free(conns, TRUE);
}

static void test_csv_header(void)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  ExportWriter w;
  export_writer_init(&w, EXPORT_CSV, f);
  export_writer_header(&w);
  export_writer_clear(&w);
  fclose(f);
  g_assert_true(g_str_has_prefix(text, "\"frame\",\"time_epoch\",\"time_s\","));
  g_assert_true(g_str_has_suffix(text, ",\"reinjection_of\"\n"));
  free(text);
}

static void test_outfile(void)
{
  GError *err = NULL;
  char *dir = g_dir_make_tmp("outfile-XXXXXX", NULL);
  char *path = g_build_filename(dir, "out.csv", NULL);
  char *missing = g_build_filename(dir, "no", "out.csv", NULL);
  OutFile o;
  char *text = NULL;
  /* a failed write leaves nothing, and an old file as it was */
  g_assert_true(g_file_set_contents(path, "old\n", -1, NULL));
  g_assert_true(outfile_open(&o, path, NULL));
  fputs("half", o.f);
  g_assert_false(outfile_close(&o, FALSE, NULL));
  g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
  g_assert_cmpstr(text, ==, "old\n");
  g_free(text);
  /* a complete one replaces it, with no temporary file left */
  g_assert_true(outfile_open(&o, path, NULL));
  fputs("new\n", o.f);
  g_assert_true(outfile_close(&o, TRUE, NULL));
  g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
  g_assert_cmpstr(text, ==, "new\n");
  g_free(text);
  GDir *d = g_dir_open(dir, 0, NULL);
  g_assert_cmpstr(g_dir_read_name(d), ==, "out.csv");
  g_assert_null(g_dir_read_name(d));
  g_dir_close(d);
  /* a folder that does not exist: an error naming the file */
  g_assert_false(outfile_open(&o, missing, &err));
  g_assert_nonnull(strstr(err->message, missing));
  g_clear_error(&err);
  g_unlink(path);
  g_rmdir(dir);
  g_free(missing);
  g_free(path);
  g_free(dir);
}

void register_export_tests(void)
{
  g_test_add_func("/export/seconds_decimal", test_seconds_decimal);
  g_test_add_func("/export/frame_merge", test_frame_merge);
  g_test_add_func("/export/csv_header", test_csv_header);
  g_test_add_func("/export/outfile", test_outfile);
}
