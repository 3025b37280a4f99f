/* test_crypto.c - mptcp_key_derive() against digests computed independently
 * with Python's hashlib, once, while writing this test:
 *
 *   python3 -c "import hashlib,sys;k=int(sys.argv[1],0);\
 *     h=(hashlib.sha1 if sys.argv[2]=='0' else hashlib.sha256)(k.to_bytes(8,'big')).digest();\
 *     print(hex(int.from_bytes(h[:4],'big')),hex(int.from_bytes(h[-8:],'big')))" KEY VERSION
 *
 * (token = first 4 bytes of the digest, IDSN = last 8 bytes, key hashed as
 * 8 big-endian bytes; VERSION 0 = SHA-1, 1 = SHA-256). */
#include <glib.h>
#include "mptcp_crypto.h"
#include "tests.h"

typedef struct { int version; guint64 key; guint32 token; guint64 idsn; } KeyCase;

static const KeyCase cases[] = {
  /* v0, SHA-1.  0xca2f07947b1bfd2b = 14568871653868829995 is the client key
   * of mptcp.stream 0 in client_2.pcap; tshark's mptcp.expected_token on
   * that SYN is 2280993044 = 0x87f53114. */
  { 0, G_GUINT64_CONSTANT(0xca2f07947b1bfd2b), 0x87f53114, G_GUINT64_CONSTANT(0x528b5d084e92c2fc) },
  { 0, G_GUINT64_CONSTANT(0x0),                0x05fe4057, G_GUINT64_CONSTANT(0xac558654f107c7e9) },
  { 0, G_GUINT64_CONSTANT(0x1),                0xcb473678, G_GUINT64_CONSTANT(0x38f11011007ad27d) },
  { 0, G_GUINT64_CONSTANT(0x0123456789abcdef), 0x0ca2eadb, G_GUINT64_CONSTANT(0xe3df8ee121f10547) },
  { 0, G_GUINT64_CONSTANT(0xffffffffffffffff), 0xbe673e8a, G_GUINT64_CONSTANT(0x866701c11ef8e089) },
  /* v1, SHA-256 */
  { 1, G_GUINT64_CONSTANT(0xca2f07947b1bfd2b), 0x62f44dd3, G_GUINT64_CONSTANT(0x62ef7d9ee6264bd1) },
  { 1, G_GUINT64_CONSTANT(0x0),                0xaf5570f5, G_GUINT64_CONSTANT(0xe5b2328de0e83dfc) },
  { 1, G_GUINT64_CONSTANT(0x1),                0xcd266215, G_GUINT64_CONSTANT(0x19ec509083d00a50) },
  { 1, G_GUINT64_CONSTANT(0x0123456789abcdef), 0x55c53f5d, G_GUINT64_CONSTANT(0x570762cd38be9818) },
  { 1, G_GUINT64_CONSTANT(0xffffffffffffffff), 0x12a3ae44, G_GUINT64_CONSTANT(0x57fb595bbbacf0ca) },
};

static void test_derive(gconstpointer data)
{
  const KeyCase *c = data;
  guint32 token = 0;
  guint64 idsn = 0;
  mptcp_key_derive(c->version, c->key, &token, &idsn);
  g_assert_cmphex(token, ==, c->token);
  g_assert_cmphex(idsn, ==, c->idsn);
}

void register_crypto_tests(void)
{
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *name = g_strdup_printf("/crypto/key_derive/v%d/%016" G_GINT64_MODIFIER "x",
                                 cases[i].version, cases[i].key);
    g_test_add_data_func(name, &cases[i], test_derive);
    g_free(name);
  }
}
