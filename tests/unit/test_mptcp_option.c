/* test_mptcp_option.c - hex_to_bytes() and mptcp_options_parse() on option
 * areas built by hand from the layouts of RFC 8684 section 3 (and RFC 6824
 * for v0 ADD_ADDR). Every option area is copied into a heap block of exactly
 * its size, so ASan reports any read past the bytes given. */
#include <glib.h>
#include <string.h>
#include "mptcp_option.h"
#include "tests.h"

/* Parse LEN bytes held in a block of exactly LEN bytes. */
static int parse_exact(const guint8 *bytes, int len, MptcpOpt *out, int max)
{
  guint8 *copy = g_malloc(len > 0 ? (gsize)len : 1);
  if (len > 0)
    memcpy(copy, bytes, (gsize)len);
  int n = mptcp_options_parse(copy, len, out, max);
  g_free(copy);
  return n;
}

/* Parse an area expected to hold exactly one MPTCP option. */
static MptcpOpt parse_one_opt(const guint8 *bytes, int len)
{
  MptcpOpt o[MPTCP_MAX_OPTS];
  memset(o, 0xa5, sizeof o);
  int n = parse_exact(bytes, len, o, MPTCP_MAX_OPTS);
  g_assert_cmpint(n, ==, 1);
  return o[0];
}

static void assert_skipped(const guint8 *bytes, int len)
{
  MptcpOpt o[MPTCP_MAX_OPTS];
  g_assert_cmpint(parse_exact(bytes, len, o, MPTCP_MAX_OPTS), ==, 0);
}

#define KEY_A 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
#define KEY_B 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10
#define KEY_A_VAL G_GUINT64_CONSTANT(0x0123456789abcdef)
#define KEY_B_VAL G_GUINT64_CONSTANT(0xfedcba9876543210)

/* ---- hex_to_bytes ---------------------------------------------------- */

static void test_hex_good(void)
{
  guint8 out[8];
  g_assert_cmpint(hex_to_bytes("1e0c0081", out, sizeof out), ==, 4);
  g_assert_cmphex(out[0], ==, 0x1e);
  g_assert_cmphex(out[1], ==, 0x0c);
  g_assert_cmphex(out[2], ==, 0x00);
  g_assert_cmphex(out[3], ==, 0x81);
  g_assert_cmpint(hex_to_bytes("ABcdEf", out, sizeof out), ==, 3);
  g_assert_cmphex(out[0], ==, 0xab);
  g_assert_cmphex(out[1], ==, 0xcd);
  g_assert_cmphex(out[2], ==, 0xef);
  g_assert_cmpint(hex_to_bytes("", out, sizeof out), ==, 0);
  g_assert_cmpint(hex_to_bytes("0001020304050607", out, 8), ==, 8);
  g_assert_cmphex(out[7], ==, 0x07);
}

static void test_hex_bad(void)
{
  guint8 out[4];
  g_assert_cmpint(hex_to_bytes("1", out, sizeof out), ==, -1);       /* odd */
  g_assert_cmpint(hex_to_bytes("1e0", out, sizeof out), ==, -1);     /* odd */
  g_assert_cmpint(hex_to_bytes("zz", out, sizeof out), ==, -1);
  g_assert_cmpint(hex_to_bytes("1g", out, sizeof out), ==, -1);
  g_assert_cmpint(hex_to_bytes("0x1e", out, sizeof out), ==, -1);
  g_assert_cmpint(hex_to_bytes("1e 0c", out, sizeof out), ==, -1);
  g_assert_cmpint(hex_to_bytes("1e,0c", out, sizeof out), ==, -1);
  /* more bytes than room: refused, and nothing written past out[3] */
  guint8 big[6] = { 0, 0, 0, 0, 0x55, 0x55 };
  g_assert_cmpint(hex_to_bytes("0102030405", big, 4), ==, -1);
  g_assert_cmphex(big[4], ==, 0x55);
  g_assert_cmphex(big[5], ==, 0x55);
}

/* ---- MP_CAPABLE -------------------------------------------------------- */

static void test_capable_4(void)
{
  /* v1 SYN: no key. subtype 0, version 1, flags A|H (0x81) */
  const guint8 b[] = { 30, 4, 0x01, 0x81 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_CAPABLE);
  g_assert_cmpint(o.len, ==, 4);
  g_assert_cmpint(o.version, ==, 1);
  g_assert_cmphex(o.flags, ==, 0x81);
  g_assert_false(o.has_send_key);
  g_assert_false(o.has_recv_key);
  g_assert_false(o.has_data_len);
}

static void test_capable_12(void)
{
  /* v0 SYN (or v1 SYN/ACK): sender's key */
  const guint8 b[] = { 30, 12, 0x00, 0x01, KEY_A };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_CAPABLE);
  g_assert_cmpint(o.version, ==, 0);
  g_assert_cmphex(o.flags, ==, 0x01);
  g_assert_true(o.has_send_key);
  g_assert_cmphex(o.send_key, ==, KEY_A_VAL);
  g_assert_false(o.has_recv_key);
  g_assert_false(o.has_data_len);
}

static void test_capable_20(void)
{
  /* third ACK: sender's key then receiver's key */
  const guint8 b[] = { 30, 20, 0x01, 0x81, KEY_A, KEY_B };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.version, ==, 1);
  g_assert_true(o.has_send_key);
  g_assert_true(o.has_recv_key);
  g_assert_cmphex(o.send_key, ==, KEY_A_VAL);
  g_assert_cmphex(o.recv_key, ==, KEY_B_VAL);
  g_assert_false(o.has_data_len);
}

static void test_capable_22(void)
{
  /* v1 first data packet: both keys and a data-level length */
  const guint8 b[] = { 30, 22, 0x01, 0x81, KEY_A, KEY_B, 0x05, 0xa0 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.version, ==, 1);
  g_assert_cmphex(o.send_key, ==, KEY_A_VAL);
  g_assert_cmphex(o.recv_key, ==, KEY_B_VAL);
  g_assert_true(o.has_data_len);
  g_assert_cmpint(o.data_len, ==, 0x05a0);
}

static void test_capable_bad_len(void)
{
  const guint8 b13[] = { 30, 13, 0x00, 0x01, KEY_A, 0 };
  const guint8 b8[] = { 30, 8, 0x00, 0x01, 1, 2, 3, 4 };
  assert_skipped(b13, sizeof b13);
  assert_skipped(b8, sizeof b8);
}

/* ---- MP_JOIN ----------------------------------------------------------- */

static void test_join_syn(void)
{
  /* SYN: subtype 1, B flag, address id 3, receiver's token, sender's nonce */
  const guint8 b[] = { 30, 12, 0x11, 3, 0x2f, 0xf6, 0x1f, 0xf0, 9, 9, 9, 9 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_JOIN);
  g_assert_cmphex(o.flags, ==, 0x01);
  g_assert_cmpint(o.addr_id, ==, 3);
  g_assert_true(o.has_token);
  g_assert_cmphex(o.token, ==, 0x2ff61ff0);
}

static void test_join_synack(void)
{
  /* SYN/ACK: truncated HMAC (8) and nonce (4), no token */
  const guint8 b[] = { 30, 16, 0x10, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_JOIN);
  g_assert_cmpint(o.addr_id, ==, 2);
  g_assert_false(o.has_token);
}

static void test_join_ack(void)
{
  /* third ACK: 20-byte HMAC */
  guint8 b[24] = { 30, 24, 0x10, 0 };
  for (int i = 4; i < 24; i++) b[i] = (guint8)i;
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_JOIN);
  g_assert_false(o.has_token);
}

static void test_join_bad_len(void)
{
  const guint8 b[] = { 30, 11, 0x10, 3, 1, 2, 3, 4, 5, 6, 7 };
  assert_skipped(b, sizeof b);
}

/* ---- DSS --------------------------------------------------------------- */

static void test_dss_ack4(void)
{
  const guint8 b[] = { 30, 8, 0x20, DSS_ACK, 0xde, 0xad, 0xbe, 0xef };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_DSS);
  g_assert_cmphex(o.flags, ==, DSS_ACK);
  g_assert_cmphex(o.data_ack, ==, 0xdeadbeef);
}

static void test_dss_ack8(void)
{
  const guint8 b[] = { 30, 12, 0x20, DSS_ACK | DSS_ACK8, KEY_B };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmphex(o.flags, ==, DSS_ACK | DSS_ACK8);
  g_assert_cmphex(o.data_ack, ==, KEY_B_VAL);
}

static void test_dss_map4(void)
{
  /* 4-byte ack, 4-byte DSN, SSN, length; without then with checksum */
  const guint8 b[] = { 30, 18, 0x20, DSS_ACK | DSS_MAP,
                       0, 0, 0, 7,              /* data ack */
                       0x80, 0, 0, 1,           /* DSN */
                       0, 0, 0x10, 0,           /* SSN */
                       0x05, 0xa8 };            /* length */
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmphex(o.data_ack, ==, 7);
  g_assert_cmphex(o.dsn, ==, 0x80000001);
  g_assert_cmphex(o.ssn, ==, 0x1000);
  g_assert_cmpint(o.data_len, ==, 0x05a8);
  g_assert_cmpint(o.flags & DSS_FIN, ==, 0);

  const guint8 c[] = { 30, 20, 0x20, DSS_ACK | DSS_MAP,
                       0, 0, 0, 7, 0x80, 0, 0, 1, 0, 0, 0x10, 0, 0x05, 0xa8,
                       0xab, 0xcd };            /* checksum */
  o = parse_one_opt(c, sizeof c);
  g_assert_cmphex(o.dsn, ==, 0x80000001);
  g_assert_cmphex(o.ssn, ==, 0x1000);
  g_assert_cmpint(o.data_len, ==, 0x05a8);
}

static void test_dss_map8(void)
{
  /* 8-byte ack and 8-byte DSN, without then with checksum */
  const guint8 b[] = { 30, 26, 0x20, DSS_ACK | DSS_ACK8 | DSS_MAP | DSS_DSN8,
                       KEY_A, KEY_B, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x01 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmphex(o.data_ack, ==, KEY_A_VAL);
  g_assert_cmphex(o.dsn, ==, KEY_B_VAL);
  g_assert_cmphex(o.ssn, ==, 0xfffffffe);
  g_assert_cmpint(o.data_len, ==, 1);

  const guint8 c[] = { 30, 28, 0x20, DSS_ACK | DSS_ACK8 | DSS_MAP | DSS_DSN8,
                       KEY_A, KEY_B, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x01, 0x12, 0x34 };
  o = parse_one_opt(c, sizeof c);
  g_assert_cmphex(o.data_ack, ==, KEY_A_VAL);
  g_assert_cmphex(o.dsn, ==, KEY_B_VAL);
  g_assert_cmpint(o.data_len, ==, 1);
}

static void test_dss_map_no_ack(void)
{
  /* mapping with an 8-byte DSN and no data ACK */
  const guint8 b[] = { 30, 18, 0x20, DSS_MAP | DSS_DSN8,
                       KEY_B, 0, 0, 0, 1, 0, 100 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmphex(o.flags, ==, DSS_MAP | DSS_DSN8);
  g_assert_cmphex(o.dsn, ==, KEY_B_VAL);
  g_assert_cmphex(o.ssn, ==, 1);
  g_assert_cmpint(o.data_len, ==, 100);
}

static void test_dss_data_fin(void)
{
  /* DATA_FIN with a mapping of length 1 (the FIN's own sequence number) */
  const guint8 b[] = { 30, 18, 0x20, DSS_ACK | DSS_MAP | DSS_FIN,
                       0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmphex(o.flags & DSS_FIN, ==, DSS_FIN);
  g_assert_cmphex(o.data_ack, ==, 0x100);
  g_assert_cmphex(o.dsn, ==, 0x200);
  g_assert_cmpint(o.data_len, ==, 1);
}

static void test_dss_bad_len(void)
{
  /* length does not match the flags: skipped, not guessed at */
  const guint8 b1[] = { 30, 10, 0x20, DSS_ACK | DSS_ACK8, 1, 2, 3, 4, 5, 6 };
  const guint8 b2[] = { 30, 16, 0x20, DSS_ACK | DSS_MAP, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3 };
  const guint8 b3[] = { 30, 9, 0x20, DSS_ACK, 1, 2, 3, 4, 5 };
  assert_skipped(b1, sizeof b1);
  assert_skipped(b2, sizeof b2);
  assert_skipped(b3, sizeof b3);
}

/* ---- ADD_ADDR ---------------------------------------------------------- */

static void test_add_addr_v0(void)
{
  /* RFC 6824: low nibble is the IP version */
  const guint8 b[] = { 30, 8, 0x34, 5, 11, 0, 0, 2 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_ADD_ADDR);
  g_assert_cmpint(o.version, ==, 0);
  g_assert_cmpint(o.family, ==, 4);
  g_assert_cmpint(o.addr_id, ==, 5);
  g_assert_cmpmem(o.addr, 4, ((const guint8[]){ 11, 0, 0, 2 }), 4);
  g_assert_false(o.has_port);

  const guint8 p[] = { 30, 10, 0x34, 5, 11, 0, 0, 2, 0x14, 0x51 };
  o = parse_one_opt(p, sizeof p);
  g_assert_cmpint(o.version, ==, 0);
  g_assert_true(o.has_port);
  g_assert_cmpint(o.port, ==, 5201);

  guint8 v6[22] = { 30, 22, 0x36, 7 };
  for (int i = 0; i < 16; i++) v6[4 + i] = (guint8)(0x20 + i);
  v6[20] = 0x1f; v6[21] = 0x90;
  o = parse_one_opt(v6, sizeof v6);
  g_assert_cmpint(o.version, ==, 0);
  g_assert_cmpint(o.family, ==, 6);
  g_assert_cmpint(o.addr_id, ==, 7);
  g_assert_cmpmem(o.addr, 16, v6 + 4, 16);
  g_assert_true(o.has_port);
  g_assert_cmpint(o.port, ==, 8080);
}

static void test_add_addr_v1_ipv4(void)
{
  /* RFC 8684: low nibble holds the E (echo) flag; length gives the family,
   * port and truncated HMAC (8 bytes) */
  const guint8 plain[] = { 30, 8, 0x31, 2, 10, 1, 2, 3 };          /* echo */
  const guint8 port[] = { 30, 10, 0x31, 2, 10, 1, 2, 3, 0x00, 0x50 };
  const guint8 hmac[] = { 30, 16, 0x30, 2, 10, 1, 2, 3, 1, 2, 3, 4, 5, 6, 7, 8 };
  const guint8 both[] = { 30, 18, 0x30, 2, 10, 1, 2, 3, 0x01, 0xbb,
                          1, 2, 3, 4, 5, 6, 7, 8 };
  const guint8 *cases[] = { plain, port, hmac, both };
  const int lens[] = { sizeof plain, sizeof port, sizeof hmac, sizeof both };
  const gboolean has_port[] = { FALSE, TRUE, FALSE, TRUE };
  const int ports[] = { 0, 80, 0, 443 };
  for (int i = 0; i < 4; i++) {
    MptcpOpt o = parse_one_opt(cases[i], lens[i]);
    g_assert_cmpint(o.subtype, ==, MPTCP_ADD_ADDR);
    g_assert_cmpint(o.version, ==, 1);
    g_assert_cmpint(o.family, ==, 4);
    g_assert_cmpint(o.addr_id, ==, 2);
    g_assert_cmpmem(o.addr, 4, ((const guint8[]){ 10, 1, 2, 3 }), 4);
    g_assert_cmpint(!!o.has_port, ==, has_port[i]);
    if (has_port[i])
      g_assert_cmpint(o.port, ==, ports[i]);
  }
}

static void test_add_addr_v1_ipv6(void)
{
  guint8 b[30] = { 30, 0, 0x30, 9 };
  for (int i = 0; i < 16; i++) b[4 + i] = (guint8)(0xf0 + i);
  for (int i = 20; i < 30; i++) b[i] = (guint8)i;
  /* 20: address only; 22: + port; 28: + HMAC; 30: + port + HMAC */
  const int lens[] = { 20, 22, 28, 30 };
  const gboolean has_port[] = { FALSE, TRUE, FALSE, TRUE };
  for (int i = 0; i < 4; i++) {
    guint8 c[30];
    memcpy(c, b, sizeof c);
    c[1] = (guint8)lens[i];
    if (has_port[i]) { c[20] = 0x13; c[21] = 0x88; }   /* port 5000 */
    MptcpOpt o = parse_one_opt(c, lens[i]);
    g_assert_cmpint(o.version, ==, 1);
    g_assert_cmpint(o.family, ==, 6);
    g_assert_cmpint(o.addr_id, ==, 9);
    g_assert_cmpmem(o.addr, 16, b + 4, 16);
    g_assert_cmpint(!!o.has_port, ==, has_port[i]);
    if (has_port[i])
      g_assert_cmpint(o.port, ==, 5000);
  }
}

static void test_add_addr_bad_len(void)
{
  const guint8 b[] = { 30, 9, 0x30, 2, 10, 1, 2, 3, 0 };
  const guint8 c[] = { 30, 12, 0x34, 2, 10, 1, 2, 3, 0, 0, 0, 0 };  /* v0 v4 */
  assert_skipped(b, sizeof b);
  assert_skipped(c, sizeof c);
}

/* ---- REMOVE_ADDR, MP_PRIO, MP_FAIL, MP_FASTCLOSE, MP_TCPRST ---------------- */

static void test_remove_addr(void)
{
  const guint8 b[] = { 30, 6, 0x40, 3, 4, 9 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_REMOVE_ADDR);
  g_assert_cmpint(o.n_removed, ==, 3);
  g_assert_cmpint(o.removed[0], ==, 3);
  g_assert_cmpint(o.removed[1], ==, 4);
  g_assert_cmpint(o.removed[2], ==, 9);

  const guint8 one[] = { 30, 4, 0x40, 1 };
  o = parse_one_opt(one, sizeof one);
  g_assert_cmpint(o.n_removed, ==, 1);
  g_assert_cmpint(o.removed[0], ==, 1);

  /* more ids than MptcpOpt holds: no overflow */
  guint8 many[3 + 20] = { 30, 23, 0x40 };
  for (int i = 0; i < 20; i++) many[3 + i] = (guint8)i;
  MptcpOpt m[MPTCP_MAX_OPTS];
  int n = parse_exact(many, sizeof many, m, MPTCP_MAX_OPTS);
  g_assert_cmpint(n, <=, 1);
  if (n == 1)
    g_assert_cmpint(m[0].n_removed, <=, MPTCP_MAX_REMOVE);
}

static void test_prio(void)
{
  /* RFC 8684: length 3, B flag */
  const guint8 b[] = { 30, 3, 0x51 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_PRIO);
  g_assert_cmphex(o.flags & 1, ==, 1);
  /* RFC 6824: length 4 with an address id */
  const guint8 c[] = { 30, 4, 0x50, 6 };
  o = parse_one_opt(c, sizeof c);
  g_assert_cmpint(o.subtype, ==, MPTCP_PRIO);
  g_assert_cmphex(o.flags & 1, ==, 0);
  g_assert_cmpint(o.addr_id, ==, 6);
}

static void test_fail(void)
{
  const guint8 b[] = { 30, 12, 0x60, 0, KEY_B };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_FAIL);
  g_assert_cmphex(o.dsn, ==, KEY_B_VAL);
}

static void test_fastclose(void)
{
  const guint8 b[] = { 30, 12, 0x70, 0, KEY_A };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_FASTCLOSE);
  g_assert_cmphex(o.send_key, ==, KEY_A_VAL);
  const guint8 bad[] = { 30, 8, 0x70, 0, 1, 2, 3, 4 };
  assert_skipped(bad, sizeof bad);
}

static void test_tcprst(void)
{
  /* subtype 8, T flag, reason 0x05 (too much outstanding data) */
  const guint8 b[] = { 30, 4, 0x81, 0x05 };
  MptcpOpt o = parse_one_opt(b, sizeof b);
  g_assert_cmpint(o.subtype, ==, MPTCP_TCPRST);
  g_assert_cmphex(o.flags, ==, 0x01);
  g_assert_cmpint(o.reason, ==, 5);
}

/* ---- several options, other options, truncation, garbage ------------------- */

static void test_real_syn(void)
{
  /* the option area of frame 2 of client_2.pcap, as tshark prints it:
   * MSS, SACK perm, timestamps, NOP, window scale, MP_CAPABLE v0 */
  guint8 bytes[64];
  int n = hex_to_bytes("020405b40402080a01c1dca6a0000001010303091e0c0001ca2f07947b1bfd2b",
                       bytes, sizeof bytes);
  g_assert_cmpint(n, ==, 32);
  MptcpOpt o = parse_one_opt(bytes, n);
  g_assert_cmpint(o.subtype, ==, MPTCP_CAPABLE);
  g_assert_cmpint(o.version, ==, 0);
  g_assert_true(o.has_send_key);
  g_assert_cmpuint(o.send_key, ==, G_GUINT64_CONSTANT(14568871653868829995));
}

static void test_two_options(void)
{
  /* NOP NOP timestamps, ADD_ADDR v1 then DSS: both kept, in order */
  const guint8 b[] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
                       30, 8, 0x30, 4, 192, 168, 0, 1,
                       30, 8, 0x20, DSS_ACK, 0, 0, 0, 42 };
  MptcpOpt o[MPTCP_MAX_OPTS];
  g_assert_cmpint(parse_exact(b, sizeof b, o, MPTCP_MAX_OPTS), ==, 2);
  g_assert_cmpint(o[0].subtype, ==, MPTCP_ADD_ADDR);
  g_assert_cmpint(o[0].addr_id, ==, 4);
  g_assert_cmpint(o[1].subtype, ==, MPTCP_DSS);
  g_assert_cmphex(o[1].data_ack, ==, 42);
  /* max = 1: only the first is stored */
  g_assert_cmpint(parse_exact(b, sizeof b, o, 1), ==, 1);
  g_assert_cmpint(o[0].subtype, ==, MPTCP_ADD_ADDR);
}

static void test_more_than_max(void)
{
  guint8 b[8 * 6];
  for (int i = 0; i < 6; i++) {
    const guint8 d[] = { 30, 8, 0x20, DSS_ACK, 0, 0, 0, (guint8)i };
    memcpy(b + 8 * i, d, 8);
  }
  MptcpOpt o[MPTCP_MAX_OPTS + 1];
  memset(o, 0, sizeof o);
  o[MPTCP_MAX_OPTS].subtype = 0x77;   /* sentinel, must stay untouched */
  g_assert_cmpint(parse_exact(b, sizeof b, o, MPTCP_MAX_OPTS), ==, MPTCP_MAX_OPTS);
  g_assert_cmpint(o[MPTCP_MAX_OPTS].subtype, ==, 0x77);
  for (int i = 0; i < MPTCP_MAX_OPTS; i++)
    g_assert_cmphex(o[i].data_ack, ==, (guint64)i);
}

static void test_bad_skipped_good_kept(void)
{
  /* an MP_JOIN of bad length, then a good DSS */
  const guint8 b[] = { 30, 6, 0x10, 1, 2, 3,
                       30, 8, 0x20, DSS_ACK, 0, 0, 0, 9 };
  MptcpOpt o[MPTCP_MAX_OPTS];
  g_assert_cmpint(parse_exact(b, sizeof b, o, MPTCP_MAX_OPTS), ==, 1);
  g_assert_cmpint(o[0].subtype, ==, MPTCP_DSS);
  g_assert_cmphex(o[0].data_ack, ==, 9);
  /* unknown subtypes 9..15: skipped */
  const guint8 u[] = { 30, 4, 0x90, 0, 30, 4, 0xf0, 0 };
  assert_skipped(u, sizeof u);
  /* end of option list: nothing after it is read */
  const guint8 e[] = { 0, 30, 8, 0x20, DSS_ACK, 0, 0, 0, 9 };
  assert_skipped(e, sizeof e);
}

static void test_truncated(void)
{
  /* every prefix of a full option area: no crash, no read past the end,
   * and an option cut short is never stored */
  const guint8 b[] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
                       30, 20, 0x01, 0x81, KEY_A, KEY_B };
  MptcpOpt o[MPTCP_MAX_OPTS];
  for (int len = 0; len < (int)sizeof b; len++)
    g_assert_cmpint(parse_exact(b, len, o, MPTCP_MAX_OPTS), ==, 0);
  g_assert_cmpint(parse_exact(b, sizeof b, o, MPTCP_MAX_OPTS), ==, 1);
  /* length byte 0, 1, or past the end */
  const guint8 z[] = { 30, 0, 0x20, 1 };
  const guint8 one[] = { 30, 1, 0x20, 1 };
  const guint8 past[] = { 30, 40, 0x20, 1, 0, 0, 0, 0 };
  const guint8 lone[] = { 30 };
  const guint8 two[] = { 30, 2 };
  const guint8 three[] = { 30, 3, 0x20 };
  assert_skipped(z, sizeof z);
  assert_skipped(one, sizeof one);
  assert_skipped(past, sizeof past);
  assert_skipped(lone, sizeof lone);
  assert_skipped(two, sizeof two);
  assert_skipped(three, sizeof three);
  assert_skipped(NULL, 0);
}

static void test_garbage(void)
{
  /* random bytes, and random bytes dressed as MPTCP options of every
   * subtype and length: must not crash; stored count never exceeds max */
  GRand *r = g_rand_new_with_seed(8684);
  MptcpOpt o[MPTCP_MAX_OPTS];
  guint8 b[60];
  for (int iter = 0; iter < 20000; iter++) {
    int len = g_rand_int_range(r, 0, sizeof b + 1);
    for (int i = 0; i < len; i++)
      b[i] = (guint8)g_rand_int(r);
    if (len >= 3 && iter % 2) {
      b[0] = 30;
      b[1] = (guint8)g_rand_int_range(r, 0, len + 2);
      b[2] = (guint8)(g_rand_int_range(r, 0, 16) << 4 | (b[2] & 0x0f));
    }
    int max = g_rand_int_range(r, 0, MPTCP_MAX_OPTS + 1);
    int n = parse_exact(b, len, o, max);
    g_assert_cmpint(n, >=, 0);
    g_assert_cmpint(n, <=, max);
  }
  g_rand_free(r);
}

void register_mptcp_option_tests(void)
{
  g_test_add_func("/mptcp_option/hex/good", test_hex_good);
  g_test_add_func("/mptcp_option/hex/bad", test_hex_bad);
  g_test_add_func("/mptcp_option/capable/len4", test_capable_4);
  g_test_add_func("/mptcp_option/capable/len12", test_capable_12);
  g_test_add_func("/mptcp_option/capable/len20", test_capable_20);
  g_test_add_func("/mptcp_option/capable/len22", test_capable_22);
  g_test_add_func("/mptcp_option/capable/bad_len", test_capable_bad_len);
  g_test_add_func("/mptcp_option/join/syn", test_join_syn);
  g_test_add_func("/mptcp_option/join/synack", test_join_synack);
  g_test_add_func("/mptcp_option/join/ack", test_join_ack);
  g_test_add_func("/mptcp_option/join/bad_len", test_join_bad_len);
  g_test_add_func("/mptcp_option/dss/ack4", test_dss_ack4);
  g_test_add_func("/mptcp_option/dss/ack8", test_dss_ack8);
  g_test_add_func("/mptcp_option/dss/map4", test_dss_map4);
  g_test_add_func("/mptcp_option/dss/map8", test_dss_map8);
  g_test_add_func("/mptcp_option/dss/map_no_ack", test_dss_map_no_ack);
  g_test_add_func("/mptcp_option/dss/data_fin", test_dss_data_fin);
  g_test_add_func("/mptcp_option/dss/bad_len", test_dss_bad_len);
  g_test_add_func("/mptcp_option/add_addr/v0", test_add_addr_v0);
  g_test_add_func("/mptcp_option/add_addr/v1_ipv4", test_add_addr_v1_ipv4);
  g_test_add_func("/mptcp_option/add_addr/v1_ipv6", test_add_addr_v1_ipv6);
  g_test_add_func("/mptcp_option/add_addr/bad_len", test_add_addr_bad_len);
  g_test_add_func("/mptcp_option/remove_addr", test_remove_addr);
  g_test_add_func("/mptcp_option/prio", test_prio);
  g_test_add_func("/mptcp_option/fail", test_fail);
  g_test_add_func("/mptcp_option/fastclose", test_fastclose);
  g_test_add_func("/mptcp_option/tcprst", test_tcprst);
  g_test_add_func("/mptcp_option/real_syn", test_real_syn);
  g_test_add_func("/mptcp_option/two_options", test_two_options);
  g_test_add_func("/mptcp_option/more_than_max", test_more_than_max);
  g_test_add_func("/mptcp_option/bad_skipped_good_kept", test_bad_skipped_good_kept);
  g_test_add_func("/mptcp_option/truncated", test_truncated);
  g_test_add_func("/mptcp_option/garbage", test_garbage);
}
