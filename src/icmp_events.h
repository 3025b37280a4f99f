/* icmp_events.h - ICMP and ICMPv6 errors quoting a connection's packets
 * (a router saying a path is down), as text and JSON: per TCP connection
 * (tcp-summary --full) and merged over an MPTCP connection's subflows
 * (list-mptcp, list-subflows, mptcp-summary --full). */
#ifndef ICMP_EVENTS_H
#define ICMP_EVENTS_H
#include <stdio.h>
#include "capture.h"
#include "json_out.h"

/* "network unreachable", "time exceeded in transit"... (a static string) */
const char *icmp_error_name(int family, int type, int code);
/* which way the quoted packet went: "server" or "client" (its receiver) */
const char *icmp_towards(const TcpConn *t, const IcmpEvent *e);
/* "icmp_errors": [{frame, time, tcp_stream, towards, family, type, code,
 * router, error}] of one TCP connection, or of every subflow of m */
void json_icmp_tcp(JsonBuilder *b, const TcpConn *t);
void json_icmp_mptcp(JsonBuilder *b, const MptcpConn *m);
/* one line per error, with the given indent; nothing when none */
void print_icmp_tcp(const TcpConn *t, const char *indent, FILE *out);
void print_icmp_mptcp(const MptcpConn *m, const char *indent, FILE *out);
guint icmp_count_mptcp(const MptcpConn *m);

#endif
