/* row_reader.c - libcsv in, decoded rows out. tshark is asked not to quote
 * (-E quote=n), so quoting is switched off here too: no byte of its output
 * is special but the tab and the newline. (libcsv trims spaces around
 * fields; none of the fields we export holds one.) */
#include "row_reader.h"
#include <string.h>

static void on_field(void *s, size_t len, void *data)
{
  RowReader *rr = data;
  if (rr->nfields >= N_FIELDS || rr->used + (int)len + 1 > ROW_TEXT_MAX) {
    rr->overflow = TRUE;
    return;
  }
  rr->offsets[rr->nfields++] = rr->used;
  memcpy(rr->text + rr->used, s ? s : "", len);
  rr->used += (int)len;
  rr->text[rr->used++] = '\0';
}

static void on_row(int c, void *data)
{
  RowReader *rr = data;
  const char *fields[N_FIELDS];
  (void)c;
  rr->rows++;
  if (!rr->overflow) {
    for (int i = 0; i < rr->nfields; i++)
      fields[i] = rr->text + rr->offsets[i];
    if (rr->fields_cb)
      rr->fields_cb(fields, rr->nfields, rr->user);
    switch (row_decode(fields, rr->nfields, &rr->row)) {
    case ROW_OK:
    case ROW_ICMP:
      rr->row.frame += rr->frame_offset;
      rr->cb(&rr->row, rr->user);
      break;
    case ROW_NOT_TCP: break;
    case ROW_BAD: rr->bad_rows++; break;
    }
  } else {
    if (rr->fields_cb)
      rr->fields_cb(NULL, -1, rr->user);  /* a row too long to keep */
    rr->bad_rows++;
  }
  rr->used = rr->nfields = 0;
  rr->overflow = FALSE;
}

void row_reader_init(RowReader *rr, RowCallback cb, void *user)
{
  memset(rr, 0, sizeof *rr);
  csv_init(&rr->csv, CSV_APPEND_NULL);
  csv_set_delim(&rr->csv, '\t');
  csv_set_quote(&rr->csv, '\0');
  rr->cb = cb;
  rr->user = user;
}

static void parse(RowReader *rr, const char *data, gsize len)
{
  if (len)
    csv_parse(&rr->csv, data, len, on_field, on_row, rr);
}

/* Lines are handed to libcsv in runs; one that grows past ROW_LINE_MAX is
 * ended there (an unreadable row) and the rest of it dropped. */
void row_reader_feed(RowReader *rr, const char *data, gsize len)
{
  const char *p = data, *end = data + len, *run = data;
  while (p < end) {
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    const char *stop = nl ? nl + 1 : end;
    gsize seg = (gsize)(stop - p);
    if (rr->skipping) {
      rr->skipping = nl == NULL;
      run = p = stop;
      continue;
    }
    if (rr->line_len + seg > ROW_LINE_MAX) {
      gsize keep = ROW_LINE_MAX - rr->line_len;
      parse(rr, run, (gsize)(p - run) + keep);
      rr->overflow = TRUE;
      parse(rr, "\n", 1);
      rr->line_len = 0;
      rr->skipping = nl == NULL;
      run = p = stop;
      continue;
    }
    rr->line_len = nl ? 0 : rr->line_len + seg;
    p = stop;
  }
  parse(rr, run, (gsize)(p - run));
}

void row_reader_finish(RowReader *rr)
{
  if (rr->finished)
    return;
  rr->finished = TRUE;
  csv_fini(&rr->csv, on_field, on_row, rr);
  csv_free(&rr->csv);
}
