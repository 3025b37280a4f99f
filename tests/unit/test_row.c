/* test_row.c - row_decode() and parse_epoch_ns() (src/row.h). Rows are
 * written the way tshark 4.0 prints them with -T fields -E occurrence=a
 * -E aggregator=, (flags in hex, tcp.options as one hex string). */
#include <glib.h>
#include <string.h>
#include "row.h"
#include "tests.h"

/* frame 2 of client_2.pcap: the client's SYN with MP_CAPABLE v0 */
static void good_fields(const char *f[N_FIELDS])
{
  f[F_FRAME] = "2";
  f[F_TIME] = "1529037839.537115721";
  f[F_IP_SRC] = "10.0.0.1";
  f[F_IP_DST] = "10.0.0.2";
  f[F_IP6_SRC] = "";
  f[F_IP6_DST] = "";
  f[F_STREAM] = "0";
  f[F_SPORT] = "59482";
  f[F_DPORT] = "5201";
  f[F_FLAGS] = "0x0002";
  f[F_SEQ] = "4008636277";
  f[F_ACK] = "0";
  f[F_LEN] = "0";
  f[F_OPTIONS] = "020405b40402080a01c1dca6a0000001010303091e0c0001ca2f07947b1bfd2b";
  f[F_MPTCP_STREAM] = "0";
  f[F_PROTOCOLS] = "eth:ethertype:ip:tcp:mptcp";
  f[F_HDR_LEN] = "52";
  f[F_ICMP_TYPE] = f[F_ICMP_CODE] = f[F_ICMP6_TYPE] = f[F_ICMP6_CODE] = "";
}

static RowStatus decode(const char *f[N_FIELDS], Row *r)
{
  memset(r, 0, sizeof *r);
  return row_decode(f, N_FIELDS, r);
}

static void test_field_names(void)
{
  for (int i = 0; i < N_FIELDS; i++) {
    g_assert_nonnull(row_field_names[i]);
    g_assert_cmpstr(row_field_names[i], !=, "");
  }
  g_assert_cmpstr(row_field_names[F_STREAM], ==, "tcp.stream");
  g_assert_cmpstr(row_field_names[F_MPTCP_STREAM], ==, "mptcp.stream");
  g_assert_cmpstr(row_field_names[F_OPTIONS], ==, "tcp.options");
}

static void test_good_row(void)
{
  const char *f[N_FIELDS];
  Row r;
  good_fields(f);
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpuint(r.frame, ==, 2);
  g_assert_cmpint(r.time_ns, ==, G_GINT64_CONSTANT(1529037839537115721));
  g_assert_cmpstr(r.src, ==, "10.0.0.1");
  g_assert_cmpstr(r.dst, ==, "10.0.0.2");
  g_assert_cmpuint(r.stream, ==, 0);
  g_assert_cmpuint(r.sport, ==, 59482);
  g_assert_cmpuint(r.dport, ==, 5201);
  g_assert_cmphex(r.flags, ==, TCP_SYN);
  g_assert_cmpuint(r.seq, ==, 4008636277u);
  g_assert_cmpuint(r.ack, ==, 0);
  g_assert_cmpuint(r.len, ==, 0);
  g_assert_cmpint(r.mptcp_stream, ==, 0);
  g_assert_cmpint(r.n_opts, ==, 1);
  g_assert_cmpint(r.opts[0].subtype, ==, MPTCP_CAPABLE);
  g_assert_cmpuint(r.opts[0].send_key, ==, G_GUINT64_CONSTANT(14568871653868829995));
}

static void test_good_row_variants(void)
{
  const char *f[N_FIELDS];
  Row r;
  /* no options, no mptcp.stream, flags ACK|PSH|FIN, a payload, big numbers */
  good_fields(f);
  f[F_OPTIONS] = "";
  f[F_MPTCP_STREAM] = "";
  f[F_FLAGS] = "0x0019";
  f[F_LEN] = "1448";
  f[F_SEQ] = "4294967295";
  f[F_ACK] = "4294967295";
  f[F_STREAM] = "4294967295";
  f[F_SPORT] = "65535";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpint(r.mptcp_stream, ==, -1);
  g_assert_cmpint(r.n_opts, ==, 0);
  g_assert_cmphex(r.flags, ==, TCP_ACK | TCP_PSH | TCP_FIN);
  g_assert_cmpuint(r.len, ==, 1448);
  g_assert_cmpuint(r.seq, ==, G_MAXUINT32);
  g_assert_cmpuint(r.ack, ==, G_MAXUINT32);
  g_assert_cmpuint(r.stream, ==, G_MAXUINT32);
  g_assert_cmpuint(r.sport, ==, 65535);
  /* options with no MPTCP option */
  good_fields(f);
  f[F_OPTIONS] = "0101080a01c1dca6a0000001";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpint(r.n_opts, ==, 0);
}

static void test_ipv6_row(void)
{
  const char *f[N_FIELDS];
  Row r;
  good_fields(f);
  f[F_IP_SRC] = "";
  f[F_IP_DST] = "";
  f[F_IP6_SRC] = "fd00::1";
  f[F_IP6_DST] = "2001:db8:ffff:ffff:ffff:ffff:ffff:2";
  f[F_PROTOCOLS] = "eth:ethertype:ipv6:tcp:mptcp";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpstr(r.src, ==, "fd00::1");
  g_assert_cmpstr(r.dst, ==, "2001:db8:ffff:ffff:ffff:ffff:ffff:2");
}

static void test_joined_values(void)
{
  /* a tunnelled packet: two IP headers; the TCP fields belong to the inner
   * one, the last IP layer before tcp in frame.protocols */
  const char *f[N_FIELDS];
  Row r;
  good_fields(f);
  f[F_IP_SRC] = "192.0.2.1,10.0.0.1";
  f[F_IP_DST] = "192.0.2.2,10.0.0.2";
  f[F_PROTOCOLS] = "eth:ethertype:ip:ip:tcp:mptcp";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpstr(r.src, ==, "10.0.0.1");
  g_assert_cmpstr(r.dst, ==, "10.0.0.2");
  g_assert_cmpuint(r.sport, ==, 59482);
  /* 6in4: IPv4 outside, IPv6 inside: the IPv6 addresses */
  f[F_IP_SRC] = "192.0.2.1";
  f[F_IP_DST] = "198.51.100.1";
  f[F_IP6_SRC] = "fd00::1";
  f[F_IP6_DST] = "fd00::2";
  f[F_PROTOCOLS] = "eth:ethertype:ip:ipv6:tcp";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpstr(r.src, ==, "fd00::1");
  g_assert_cmpstr(r.dst, ==, "fd00::2");
  /* GTP-U: IPv6 in UDP in IPv4 */
  f[F_PROTOCOLS] = "eth:ethertype:ip:udp:gtp:ipv6:tcp";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpstr(r.src, ==, "fd00::1");
  /* IPv4 in IPv6 in IPv4: the second IPv4 header */
  f[F_IP_SRC] = "192.0.2.1,10.9.9.1";
  f[F_IP_DST] = "198.51.100.1,10.9.9.2";
  f[F_PROTOCOLS] = "eth:ethertype:ip:ipv6:ip:tcp";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpstr(r.src, ==, "10.9.9.1");
  g_assert_cmpstr(r.dst, ==, "10.9.9.2");
  /* the layers name a header the field lacks: unreadable, not guessed */
  f[F_PROTOCOLS] = "eth:ethertype:ip:ip:ip:tcp";
  g_assert_cmpint(decode(f, &r), ==, ROW_BAD);
  /* no frame.protocols (an old export): the last value, IPv4 first */
  f[F_PROTOCOLS] = "";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_cmpstr(r.src, ==, "10.9.9.1");
}

static void test_icmp(void)
{
  /* an ICMP error quoting a TCP header: a ROW_ICMP, the quoted packet's
   * addresses and ports, the router's address; no seq, ack or length */
  const char *f[N_FIELDS];
  Row r;
  good_fields(f);
  f[F_IP_SRC] = "10.0.0.254,10.0.0.1";
  f[F_IP_DST] = "10.0.0.1,10.0.0.2";
  f[F_PROTOCOLS] = "eth:ethertype:ip:icmp:ip:tcp:mptcp";
  f[F_STREAM] = "7";
  f[F_LEN] = f[F_SEQ] = f[F_ACK] = "";
  f[F_ICMP_TYPE] = "3";
  f[F_ICMP_CODE] = "1";
  g_assert_cmpint(decode(f, &r), ==, ROW_ICMP);
  g_assert_true(r.is_icmp);
  g_assert_cmpuint(r.stream, ==, 7);
  g_assert_cmpstr(r.src, ==, "10.0.0.1");
  g_assert_cmpstr(r.dst, ==, "10.0.0.2");
  g_assert_cmpstr(r.icmp_from, ==, "10.0.0.254");
  g_assert_cmpuint(r.icmp_type, ==, 3);
  g_assert_cmpuint(r.icmp_code, ==, 1);
  g_assert_cmpuint(r.icmp_family, ==, 4);
  /* ICMPv6 */
  f[F_IP_SRC] = f[F_IP_DST] = "";
  f[F_IP6_SRC] = "fd00::9,fd00::1";
  f[F_IP6_DST] = "fd00::1,fd00::2";
  f[F_PROTOCOLS] = "eth:ethertype:ipv6:icmpv6:ipv6:tcp";
  f[F_ICMP_TYPE] = f[F_ICMP_CODE] = "";
  f[F_ICMP6_TYPE] = "1";
  f[F_ICMP6_CODE] = "3";
  g_assert_cmpint(decode(f, &r), ==, ROW_ICMP);
  g_assert_cmpstr(r.icmp_from, ==, "fd00::9");
  g_assert_cmpstr(r.src, ==, "fd00::1");
  g_assert_cmpuint(r.icmp_family, ==, 6);
  g_assert_cmpuint(r.icmp_code, ==, 3);
  f[F_ICMP6_TYPE] = "";
  g_assert_cmpint(decode(f, &r), ==, ROW_BAD);
  /* the next ordinary row is not an ICMP one */
  good_fields(f);
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_false(r.is_icmp);
}

static void test_options_cut(void)
{
  const char *f[N_FIELDS];
  Row r;
  good_fields(f);                      /* 32 option bytes, header 52 */
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_false(r.options_cut);
  g_assert_cmpint(r.n_opts, ==, 1);
  f[F_OPTIONS] = "<MISSING>";          /* snap length 54: no option byte */
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_true(r.options_cut);
  g_assert_cmpint(r.n_opts, ==, 0);
  f[F_OPTIONS] = "020405b40402080a";   /* 8 of 32 bytes */
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_true(r.options_cut);
  f[F_OPTIONS] = "";                   /* no options at all */
  f[F_HDR_LEN] = "20";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);
  g_assert_false(r.options_cut);
  f[F_HDR_LEN] = "99";
  g_assert_cmpint(decode(f, &r), ==, ROW_OK);   /* unknown: not cut */
  g_assert_false(r.options_cut);
}

static void test_not_tcp(void)
{
  /* frame 1 of client_2.pcap: a non-TCP packet, only frame, time, ip */
  const char *f[N_FIELDS];
  Row r;
  for (int i = 0; i < N_FIELDS; i++) f[i] = "";
  f[F_FRAME] = "1";
  f[F_TIME] = "1529037834.335235214";
  f[F_IP_SRC] = "0.0.0.0";
  g_assert_cmpint(decode(f, &r), ==, ROW_NOT_TCP);
  /* no IP at all (ARP) */
  f[F_IP_SRC] = "";
  g_assert_cmpint(decode(f, &r), ==, ROW_NOT_TCP);
}

typedef struct { int field; const char *value; } BadCase;

static const BadCase bad_cases[] = {
  { F_FRAME, "" }, { F_FRAME, "x" }, { F_FRAME, "-1" }, { F_FRAME, "4294967296" },
  { F_TIME, "" }, { F_TIME, "abc" }, { F_TIME, "12.3x" }, { F_TIME, "-1.5" },
  { F_TIME, "1.2.3" }, { F_TIME, " 1.5" }, { F_TIME, "1e9" },
  { F_SPORT, "" }, { F_SPORT, "abc" }, { F_SPORT, "70000" }, { F_SPORT, "-1" },
  { F_SPORT, "80x" }, { F_SPORT, "65536" },
  { F_DPORT, "" }, { F_DPORT, "1.5" },
  { F_STREAM, "x" }, { F_STREAM, "-3" }, { F_STREAM, "99999999999" },
  { F_FLAGS, "" }, { F_FLAGS, "0xzz" }, { F_FLAGS, "0x10000" },
  { F_SEQ, "" }, { F_SEQ, "4294967296" }, { F_SEQ, "1 2" },
  { F_ACK, "ack" }, { F_LEN, "" }, { F_LEN, "-5" },
  { F_OPTIONS, "1e0" }, { F_OPTIONS, "zz" }, { F_OPTIONS, "1e 0c" },
  { F_MPTCP_STREAM, "x" }, { F_MPTCP_STREAM, "-1" },
  { F_IP_SRC, "" }, { F_IP_DST, "" },
  { F_IP_SRC, "10.0.0.1.10.0.0.1.10.0.0.1.10.0.0.1.10.0.0.1.10.0.0.1" },
};

static void test_bad_rows(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
    const char *f[N_FIELDS];
    Row r;
    good_fields(f);
    f[bad_cases[i].field] = bad_cases[i].value;
    RowStatus st = decode(f, &r);
    if (st != ROW_BAD)
      g_test_message("field %s = \"%s\" gave %d, not ROW_BAD",
                     row_field_names[bad_cases[i].field], bad_cases[i].value, st);
    g_assert_cmpint(st, ==, ROW_BAD);
  }
}

static void test_bad_field_count(void)
{
  const char *f[N_FIELDS];
  Row r;
  good_fields(f);
  memset(&r, 0, sizeof r);
  g_assert_cmpint(row_decode(f, N_FIELDS - 1, &r), ==, ROW_BAD);
  g_assert_cmpint(row_decode(f, 0, &r), ==, ROW_BAD);
}

static void test_long_options(void)
{
  /* an option area longer than TCP allows (40 bytes): refused or decoded,
   * never overflowed */
  const char *f[N_FIELDS];
  Row r;
  GString *s = g_string_new(NULL);
  for (int i = 0; i < 200; i++)
    g_string_append(s, "01");
  good_fields(f);
  f[F_OPTIONS] = s->str;
  RowStatus st = decode(f, &r);
  g_assert_true(st == ROW_OK || st == ROW_BAD);
  g_string_free(s, TRUE);
}

typedef struct { const char *text; gint64 ns; } EpochCase;

static const EpochCase epoch_good[] = {
  { "1529037834.335235214", G_GINT64_CONSTANT(1529037834335235214) },
  { "1529037839.537115721", G_GINT64_CONSTANT(1529037839537115721) },
  { "1529037834", G_GINT64_CONSTANT(1529037834000000000) },
  { "1529037834.", G_GINT64_CONSTANT(1529037834000000000) },
  { "1.5", G_GINT64_CONSTANT(1500000000) },
  { "0.000000001", 1 },
  { "0", 0 },
  { "0.0", 0 },
  { "1700000000.000001", G_GINT64_CONSTANT(1700000000000001000) },
  { "9223372035.999999999", G_GINT64_CONSTANT(9223372035999999999) },
  { "9223372036.854775807", G_MAXINT64 },
  /* past what a gint64 of nanoseconds holds: the largest one, no wrap */
  { "9223372036.854775808", G_MAXINT64 },
  { "9223372037", G_MAXINT64 },
  { "18446744073.709551615", G_MAXINT64 },
  { "99999999999999999999.0", G_MAXINT64 },
  { "18446744073709551616", G_MAXINT64 },
};

static const char *const epoch_bad[] = {
  "", "abc", ".5", "-1.0", "+1.0", " 1.0", "1.0 ", "1.2.3", "1e9", "1,5",
  "12.3x",
};

static void test_epoch(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(epoch_good); i++) {
    gint64 v = -42;
    if (!parse_epoch_ns(epoch_good[i].text, &v))
      g_test_message("\"%s\" refused", epoch_good[i].text);
    g_assert_true(parse_epoch_ns(epoch_good[i].text, &v));
    g_assert_cmpint(v, ==, epoch_good[i].ns);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(epoch_bad); i++) {
    gint64 v = -42;
    gboolean ok = parse_epoch_ns(epoch_bad[i], &v);
    if (ok)
      g_test_message("\"%s\" accepted as %" G_GINT64_FORMAT, epoch_bad[i], v);
    g_assert_false(ok);
  }
}

void register_row_tests(void)
{
  g_test_add_func("/row/field_names", test_field_names);
  g_test_add_func("/row/decode/good", test_good_row);
  g_test_add_func("/row/decode/good_variants", test_good_row_variants);
  g_test_add_func("/row/decode/ipv6", test_ipv6_row);
  g_test_add_func("/row/decode/joined_values", test_joined_values);
  g_test_add_func("/row/decode/icmp", test_icmp);
  g_test_add_func("/row/decode/options_cut", test_options_cut);
  g_test_add_func("/row/decode/not_tcp", test_not_tcp);
  g_test_add_func("/row/decode/bad", test_bad_rows);
  g_test_add_func("/row/decode/bad_field_count", test_bad_field_count);
  g_test_add_func("/row/decode/long_options", test_long_options);
  g_test_add_func("/row/parse_epoch_ns", test_epoch);
}
