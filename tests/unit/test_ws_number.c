/* test_ws_number.c - the replay of Wireshark's stream numbering against
 * what tshark 4.0.17 itself gave, with the export options we use
 * (-o tcp.analyze_sequence_numbers:FALSE -o mptcp.analyze_mptcp:TRUE), on
 * small captures written packet by packet with scripts/craft-captures'
 * frame builder while writing this test: each packet below lists the
 * tcp.stream and mptcp.stream (-1: none) tshark printed for it. The
 * integration suite checks the same replay on every row of every range of
 * every capture it cuts. */
#include <glib.h>
#include <string.h>
#include "ws_number.h"
#include "mptcp_crypto.h"
#include "tests.h"

#define SYN 0x002
#define RST 0x004
#define ACK 0x010
#define FIN 0x001
#define ECE 0x040
#define CWR 0x080

typedef struct {
  char c;                 /* 'c': client to server, 's': the other way */
  guint16 flags;
  guint32 seq, ack;
  gboolean seglen;        /* FALSE: a header quoted in an ICMP error */
  guint32 stream;
} TcpStep;

static void replay_tcp(const TcpStep *steps, gsize n)
{
  WsNum *w = wsnum_new();
  for (gsize i = 0; i < n; i++) {
    const TcpStep *s = &steps[i];
    int flow;
    char *key = s->c == 'c' ? wsnum_key("10.0.0.1", 40000, "10.0.0.2", 5201, &flow)
                            : wsnum_key("10.0.0.2", 5201, "10.0.0.1", 40000, &flow);
    NumInput in = { key, flow, s->flags, s->seq, s->ack, s->seglen, 0, NULL, NULL };
    gint64 shown;
    WsConv *c = wsnum_packet(w, &in, &shown);
    g_test_message("packet %zu", i + 1);
    g_assert_cmpuint(wsconv_stream(c), ==, s->stream);
    g_assert_cmpint(shown, ==, -1);
    g_free(key);
  }
  wsnum_free(w);
}

#define REPLAY(...) do { \
    static const TcpStep steps[] = { __VA_ARGS__ }; \
    replay_tcp(steps, G_N_ELEMENTS(steps)); } while (0)

static void test_reused_pair(void)
{
  /* a SYN with another ISN starts a new stream; the same ISN does not,
   * also after a RST or a FIN exchange */
  REPLAY({ 'c', SYN, 100, 0, 1, 0 }, { 's', SYN | ACK, 900, 101, 1, 0 },
         { 'c', ACK, 101, 901, 1, 0 }, { 'c', ACK, 101, 901, 1, 0 },
         { 'c', SYN, 5000, 0, 1, 1 }, { 's', SYN | ACK, 7000, 5001, 1, 1 });
  REPLAY({ 'c', SYN, 100, 0, 1, 0 }, { 's', SYN | ACK, 900, 101, 1, 0 },
         { 'c', ACK, 101, 901, 1, 0 }, { 'c', SYN, 100, 0, 1, 0 });
  REPLAY({ 'c', SYN, 100, 0, 1, 0 }, { 's', SYN | ACK, 900, 101, 1, 0 },
         { 'c', ACK, 101, 901, 1, 0 }, { 'c', RST | ACK, 101, 901, 1, 0 },
         { 'c', SYN, 100, 0, 1, 0 });
  REPLAY({ 'c', SYN, 100, 0, 1, 0 }, { 's', SYN | ACK, 900, 101, 1, 0 },
         { 'c', ACK, 101, 901, 1, 0 }, { 'c', FIN | ACK, 101, 901, 1, 0 },
         { 's', FIN | ACK, 901, 102, 1, 0 }, { 'c', ACK, 102, 902, 1, 0 },
         { 'c', SYN, 300, 0, 1, 1 });
  REPLAY({ 'c', SYN, 100, 0, 1, 0 }, { 'c', SYN, 300, 0, 1, 1 },
         { 'c', SYN, 100, 0, 1, 2 });
  REPLAY({ 'c', SYN, 100, 0, 1, 0 }, { 'c', SYN | ECE | CWR, 300, 0, 1, 1 });
}

static void test_base_without_syn(void)
{
  /* a first packet sets its direction's base to seq - 1, and an ACK the
   * other direction's to ack - 1, also a RST without ACK */
  REPLAY({ 'c', ACK, 1001, 5001, 1, 0 }, { 'c', SYN, 1000, 0, 1, 0 });
  REPLAY({ 'c', ACK, 1001, 5001, 1, 0 }, { 'c', SYN, 500, 0, 1, 1 });
  REPLAY({ 's', ACK, 5001, 1001, 1, 0 }, { 'c', SYN, 1000, 0, 1, 0 });
  REPLAY({ 's', ACK, 5001, 1001, 1, 0 }, { 'c', SYN, 700, 0, 1, 1 });
  REPLAY({ 'c', RST, 1001, 0, 1, 0 }, { 'c', SYN, 1000, 0, 1, 0 });
  REPLAY({ 's', SYN | ACK, 900, 101, 1, 0 }, { 'c', SYN, 100, 0, 1, 0 },
         { 'c', SYN, 300, 0, 1, 1 });
  /* a SYN/ACK with another ISN moves its direction's base */
  REPLAY({ 'c', SYN, 100, 0, 1, 0 }, { 's', SYN | ACK, 900, 101, 1, 0 },
         { 's', SYN | ACK, 950, 101, 1, 0 }, { 's', SYN, 950, 0, 1, 0 },
         { 's', SYN, 900, 0, 1, 1 });
}

static void test_icmp_quoted(void)
{
  /* a header quoted in an ICMP error (no segment length) finds or makes
   * its stream and is checked as a SYN, but sets no base */
  REPLAY({ 'c', ACK, 5000, 0, 0, 0 }, { 'c', SYN, 100, 0, 1, 0 },
         { 'c', SYN, 4999, 0, 1, 1 });
  REPLAY({ 'c', SYN, 5000, 0, 0, 0 }, { 'c', SYN, 4000, 0, 1, 0 });
  REPLAY({ 'c', SYN, 100, 0, 1, 0 }, { 'c', SYN, 5000, 0, 0, 1 },
         { 'c', SYN, 100, 0, 1, 1 });
}

/* ---- MPTCP ---- */

static int opt_capable(guint8 *b, int version, int nkeys, guint64 k1, guint64 k2)
{
  int n = 4;
  b[0] = 30;
  b[2] = (guint8)version;
  b[3] = 0x01;
  for (int k = 0; k < nkeys; k++)
    for (int i = 0; i < 8; i++)
      b[n++] = (guint8)((k ? k2 : k1) >> (56 - 8 * i));
  b[1] = (guint8)n;
  return n;
}

static int opt_join_syn(guint8 *b, guint32 token)
{
  guint8 o[12] = { 30, 12, 0x10, 1, (guint8)(token >> 24), (guint8)(token >> 16),
                   (guint8)(token >> 8), (guint8)token, 0, 0, 0, 1 };
  memcpy(b, o, sizeof o);
  return sizeof o;
}

static int opt_join_synack(guint8 *b)
{
  guint8 o[16] = { 30, 16, 0x10, 0, 0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 7 };
  memcpy(b, o, sizeof o);
  return sizeof o;
}

static int opt_dss_ack(guint8 *b)
{
  guint8 o[12] = { 30, 12, 0x20, 0x03, 0, 0, 0, 0, 0, 0, 0, 5 };
  memcpy(b, o, sizeof o);
  return sizeof o;
}

typedef struct {
  guint16 cport;          /* client 10.0.0.1:cport, server 10.0.0.2:80 */
  char from;              /* 'c' or 's' */
  guint16 flags;
  guint32 seq, ack;
  guint8 opt[40];
  int optlen;
  guint32 stream;
  gint64 shown;
} MptcpStep;

static void replay_mptcp(MptcpStep *steps, gsize n)
{
  WsNum *w = wsnum_new();
  for (gsize i = 0; i < n; i++) {
    MptcpStep *s = &steps[i];
    int flow;
    char *key = s->from == 'c'
                ? wsnum_key("10.0.0.1", s->cport, "10.0.0.2", 80, &flow)
                : wsnum_key("10.0.0.2", 80, "10.0.0.1", s->cport, &flow);
    NumOpt opts[NUM_MAX_OPTS];
    char hex[2 * sizeof s->opt + 1];
    for (int b = 0; b < s->optlen; b++)
      g_snprintf(hex + 2 * b, 3, "%02x", s->opt[b]);
    hex[2 * s->optlen] = '\0';
    int nopt = wsnum_options(hex, opts, NUM_MAX_OPTS);
    NumInput in = { key, flow, s->flags, s->seq, s->ack, TRUE, nopt, opts, NULL };
    gint64 shown;
    WsConv *c = wsnum_packet(w, &in, &shown);
    g_test_message("frame %zu", i + 1);
    g_assert_cmpuint(wsconv_stream(c), ==, s->stream);
    g_assert_cmpint(shown, ==, s->shown);
    g_free(key);
  }
  wsnum_free(w);
}

static void test_mptcp(void)
{
  guint32 token_b;
  guint64 idsn;
  mptcp_key_derive(0, 0x2222, &token_b, &idsn);
  MptcpStep s[] = {
    { 1001, 'c', SYN, 100, 0, {0}, 0, 0, 0 },          /* v0 key A */
    { 1001, 's', SYN | ACK, 200, 101, {0}, 0, 0, 0 },  /* v0 key B */
    { 1001, 'c', ACK, 101, 201, {0}, 0, 0, 0 },        /* both keys */
    { 1002, 'c', SYN, 300, 0, {0}, 0, 1, 0 },          /* join, token(B) */
    { 1003, 'c', SYN, 400, 0, {0}, 0, 2, 1 },          /* join, unknown token */
    { 1004, 'c', SYN, 500, 0, {0}, 0, 3, 1 },          /* join, same token */
    { 1005, 'c', SYN, 600, 0, {0}, 0, 4, -1 },         /* v1 SYN: no key */
    { 1005, 's', SYN | ACK, 700, 601, {0}, 0, 4, 2 },  /* v1 key C */
    { 1005, 'c', ACK, 601, 701, {0}, 0, 4, 2 },
    { 1006, 'c', ACK, 800, 1, {0}, 0, 5, 3 },          /* a DSS only */
    { 1007, 's', SYN | ACK, 900, 1, {0}, 0, 6, 4 },    /* join SYN/ACK first */
    { 1007, 'c', SYN, 1000, 0, {0}, 0, 7, 0 },         /* new ISN: new stream */
    { 1008, 'c', ACK, 1100, 1, {0}, 0, 8, 5 },         /* a DSS, then */
    { 1008, 'c', ACK, 1101, 1, {0}, 0, 8, -1 },        /* an unknown key: */
    { 1008, 'c', ACK, 1102, 1, {0}, 0, 8, 5 },         /* tshark asserts */
  };
  s[0].optlen = opt_capable(s[0].opt, 0, 1, 0x1111, 0);
  s[1].optlen = opt_capable(s[1].opt, 0, 1, 0x2222, 0);
  s[2].optlen = opt_capable(s[2].opt, 0, 2, 0x1111, 0x2222);
  s[3].optlen = opt_join_syn(s[3].opt, token_b);
  s[4].optlen = opt_join_syn(s[4].opt, 0xDEAD0001);
  s[5].optlen = opt_join_syn(s[5].opt, 0xDEAD0001);
  s[6].optlen = opt_capable(s[6].opt, 1, 0, 0, 0);
  s[7].optlen = opt_capable(s[7].opt, 1, 1, 0x3333, 0);
  s[8].optlen = opt_capable(s[8].opt, 1, 2, 0x5555, 0x3333);
  s[9].optlen = opt_dss_ack(s[9].opt);
  s[10].optlen = opt_join_synack(s[10].opt);
  s[11].optlen = opt_join_syn(s[11].opt, token_b);
  s[12].optlen = opt_dss_ack(s[12].opt);
  s[13].optlen = opt_capable(s[13].opt, 0, 1, 0x4444, 0);
  s[14].optlen = opt_dss_ack(s[14].opt);
  replay_mptcp(s, G_N_ELEMENTS(s));
}

static void test_options(void)
{
  /* NOPs, an MSS, an MP_JOIN SYN, a malformed length: tshark's framing */
  NumOpt o[NUM_MAX_OPTS];
  g_assert_cmpint(wsnum_options("0101020405b41e0c1002DEADbeef000000011e01", o,
                                NUM_MAX_OPTS), ==, 1);
  g_assert_cmpuint(o[0].subtype, ==, 1);
  g_assert_cmpuint(o[0].len, ==, 12);
  g_assert_cmphex(o[0].token, ==, 0xdeadbeef);
  /* MP_CAPABLE with both keys */
  g_assert_cmpint(wsnum_options("1e14010111112222333344445555666677778888", o,
                                NUM_MAX_OPTS), ==, 1);
  g_assert_cmpuint(o[0].version, ==, 1);
  g_assert_cmphex(o[0].send_key, ==, G_GUINT64_CONSTANT(0x1111222233334444));
  g_assert_cmphex(o[0].recv_key, ==, G_GUINT64_CONSTANT(0x5555666677778888));
  g_assert_cmpint(wsnum_options("001e0c10", o, NUM_MAX_OPTS), ==, 0);   /* EOL */
  g_assert_cmpint(wsnum_options("", o, NUM_MAX_OPTS), ==, 0);
  g_assert_cmpint(wsnum_options("1e0", o, NUM_MAX_OPTS), ==, -1);
  g_assert_cmpint(wsnum_options("1e0c1x", o, NUM_MAX_OPTS), ==, -1);
}

void register_ws_number_tests(void)
{
  g_test_add_func("/ws_number/tcp/reused_pair", test_reused_pair);
  g_test_add_func("/ws_number/tcp/base_without_syn", test_base_without_syn);
  g_test_add_func("/ws_number/tcp/icmp_quoted", test_icmp_quoted);
  g_test_add_func("/ws_number/mptcp/connections", test_mptcp);
  g_test_add_func("/ws_number/options", test_options);
}
