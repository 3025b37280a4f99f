/* roles.h - decide which endpoint of each TCP connection is the client. */
#ifndef ROLES_H
#define ROLES_H
#include "capture.h"

/* Sets client and role_source of every connection: from the SYN, else the
 * SYN/ACK, else MPTCP handshake options, else port numbers. */
void roles_decide(Capture *c);

#endif
