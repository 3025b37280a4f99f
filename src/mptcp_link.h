/* mptcp_link.h - rebuild MPTCP connections from their subflows. */
#ifndef MPTCP_LINK_H
#define MPTCP_LINK_H
#include "capture.h"

/* Classifies each TCP connection as an initial subflow (MP_CAPABLE
 * handshake), a join (MP_JOIN SYN whose token is a known key's), an orphan
 * (MPTCP options but neither) or plain TCP; builds the MptcpConn list with
 * keys, tokens and IDSNs computed here; fills c->mptcp and c->orphans.
 * Needs the roles decided first. */
void mptcp_link(Capture *c);

#endif
