/* mptcp_crypto.c - key to token and IDSN, with GLib's GChecksum. */
#include "mptcp_crypto.h"

void mptcp_key_derive(int version, guint64 key, guint32 *token, guint64 *idsn)
{
  guint8 in[8], digest[32];
  gsize n = sizeof digest;
  for (int i = 0; i < 8; i++)
    in[i] = (guint8)(key >> (56 - 8 * i));
  GChecksum *cs = g_checksum_new(version == 0 ? G_CHECKSUM_SHA1
                                              : G_CHECKSUM_SHA256);
  g_checksum_update(cs, in, sizeof in);
  g_checksum_get_digest(cs, digest, &n);
  g_checksum_free(cs);
  guint32 t = 0;
  guint64 d = 0;
  for (int i = 0; i < 4; i++)
    t = t << 8 | digest[i];
  for (gsize i = n - 8; i < n; i++)
    d = d << 8 | digest[i];
  *token = t;
  *idsn = d;
}
