/* fuzz_model.c - libFuzzer target for the connection and data-sequence
 * state: the input is read as a run of 48-byte packet records (stream,
 * endpoints, flags, sequence numbers, and raw TCP option bytes in which
 * MPTCP options are found), fed to the capture model as decoded rows; then
 * roles, MPTCP links, TCP summaries and the data-level analysis of every
 * connection are computed. */
#include "capture.h"
#include "mptcp_analysis.h"
#include "tcp_analysis.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define REC 48

static guint32 u32(const uint8_t *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static void record_to_row(const uint8_t *b, guint32 frame, Row *r)
{
  static const char *const addrs[] = { "10.0.0.1", "10.0.0.2", "11.0.0.1",
                                       "11.0.0.2", "fe80::1", "fe80::2" };
  static const guint16 ports[] = { 5201, 40000, 40001, 5201 };
  memset(r, 0, sizeof *r);
  r->frame = frame;
  r->time_ns = (gint64)frame * 1000 + (b[0] & 7);
  r->stream = b[1] % 6;
  g_strlcpy(r->src, addrs[b[2] % 6], ADDR_MAX);
  g_strlcpy(r->dst, addrs[b[3] % 6], ADDR_MAX);
  r->sport = ports[b[4] % 4];
  r->dport = ports[b[5] % 4];
  r->flags = b[6] & 0x1f;
  r->seq = u32(b + 8);
  r->ack = u32(b + 12);
  r->len = b[7] % 3 == 0 ? 0 : (guint32)(b[7] * 11);
  r->mptcp_stream = b[0] & 0x80 ? -1 : b[1] % 3;
  r->n_opts = mptcp_options_parse(b + 16, REC - 16, r->opts, MPTCP_MAX_OPTS);
}

/* What must hold whatever the input: the subflows' application bytes and
 * the unattributed ones add up, nothing wraps around, and no inferred
 * byte lies outside what a subflow's span leaves room for. */
#define BROKEN(what) do { \
    fprintf(stderr, "broken invariant: %s (direction %d)\n", what, d); \
    __builtin_trap(); } while (0)

static void check_figures(const MptcpAnalysis *a)
{
  const guint64 wrapped = (guint64)1 << 62;
  for (int d = 0; d < 2; d++) {
    const MptcpDir *D = &a->dir[d];
    guint64 sum = D->unattributed_bytes;
    if (D->application_bytes >= wrapped || D->inferred_bytes >= wrapped)
      BROKEN("a figure wrapped around");
    for (guint k = 0; k < a->conn->subflows->len; k++) {
      const SubflowFigures *f = &D->sub[k];
      sum += f->application_bytes;
      if (f->inferred_bytes > f->application_bytes ||
          (f->inferred_bytes && f->application_bytes > f->span_bytes &&
           f->application_bytes - f->inferred_bytes < f->span_bytes))
        BROKEN("a subflow credited past its span");
    }
    if (sum != D->application_bytes)
      BROKEN("subflows and unattributed bytes do not add up");
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  Capture *c = capture_new("fuzz");
  Row *row = g_new(Row, 1);
  for (size_t off = 0, f = 1; off + REC <= size; off += REC, f++) {
    record_to_row(data + off, (guint32)f, row);
    capture_add_row(c, row);
  }
  g_free(row);
  capture_finish(c);
  for (guint i = 0; i < c->tcp->len; i++) {
    TcpDirSummary d[2];
    tcp_summarise(g_ptr_array_index(c->tcp, i), d);
  }
  GPtrArray *all[2] = { c->mptcp, c->orphan_conns };
  for (int k = 0; k < 2; k++)
    for (guint i = 0; i < all[k]->len; i++) {
      MptcpAnalysis *a = mptcp_analyse_with(g_ptr_array_index(all[k], i),
                                            ANALYSE_NOTES | ANALYSE_CARRIERS);
      check_figures(a);
      mptcp_analysis_free(a);
    }
  capture_free(c);
  return 0;
}
