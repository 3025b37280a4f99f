/* describe.h - how a TCP connection, a subflow and an MPTCP connection are
 * shown, as text and as JSON; shared by every command that shows them. */
#ifndef DESCRIBE_H
#define DESCRIBE_H
#include <stdio.h>
#include "capture.h"
#include "json_out.h"

/* "10.0.0.1:5201" or "[fe80::1]:5201" */
char *endpoint_text(const TcpConn *t, int endpoint);
const char *role_source_name(RoleSource r);
const char *subflow_kind_name(SubflowKind k);
/* how a subflow was tied to its connection: "mp_capable" (the initial
 * one), "token" (an MP_JOIN), "inferred" (options cut), "none" */
const char *linked_by(const TcpConn *t);
/* mptcp.stream of a TCP connection: its connection's id, an orphan's
 * Wireshark number, or -1 for plain TCP */
gint64 tcp_mptcp_stream(const TcpConn *t);

void json_tcp_conn(JsonBuilder *b, const TcpConn *t, gint64 t0_ns);
void json_subflow(JsonBuilder *b, const TcpConn *t);
/* an MPTCP connection object; with a "capture" member when not NULL */
void json_mptcp_conn(JsonBuilder *b, const MptcpConn *m, const char *capture);
void json_orphans(JsonBuilder *b, const Capture *c);

void print_mptcp_conn(const MptcpConn *m, FILE *out);
void print_orphans(const Capture *c, FILE *out);

#endif
