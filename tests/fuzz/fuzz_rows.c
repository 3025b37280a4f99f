/* fuzz_rows.c - libFuzzer target for the row decoder: arbitrary bytes are
 * fed, in two chunks split where the input says, to the libcsv row reader
 * and row_decode(), exactly as tshark's output is. */
#include "row_reader.h"
#include <stdint.h>
#include <string.h>

static void on_row(const Row *row, void *user)
{
  guint64 *n = user;
  /* touch what a consumer reads */
  *n += row->frame + row->len + (guint64)row->n_opts + strlen(row->src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  RowReader *rr = g_new(RowReader, 1);
  guint64 sum = 0;
  size_t cut = size ? data[0] % (size + 1) : 0;
  row_reader_init(rr, on_row, &sum);
  row_reader_feed(rr, (const char *)data, cut);
  row_reader_feed(rr, (const char *)data + cut, size - cut);
  row_reader_finish(rr);
  g_free(rr);
  return 0;
}
