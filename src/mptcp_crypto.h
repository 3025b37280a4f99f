/* mptcp_crypto.h - token and initial data sequence number from a key.
 * RFC 6824 (v0): SHA-1; RFC 8684 (v1): SHA-256; over the key's 8 bytes in
 * network order. Token = first 4 bytes of the digest, IDSN = last 8. */
#ifndef MPTCP_CRYPTO_H
#define MPTCP_CRYPTO_H
#include <glib.h>

void mptcp_key_derive(int version, guint64 key, guint32 *token, guint64 *idsn);

#endif
