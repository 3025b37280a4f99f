/* summary_json.h - the JSON of tcp-summary and mptcp-summary, as members
 * added to an object the caller has begun, so that other commands
 * (summarize) print exactly the same figures. Defined in
 * cmd_tcp_summary.c and cmd_mptcp_summary.c. */
#ifndef SUMMARY_JSON_H
#define SUMMARY_JSON_H
#include "capture.h"
#include "json_out.h"
#include "mptcp_analysis.h"

/* "capture", "tcp_stream", "directions" (and with full, "connection",
 * "handshake", "teardown") of one TCP connection. */
void json_tcp_summary(JsonBuilder *b, const char *capture, const TcpConn *t,
                      gboolean full);
/* "capture", "mptcp_stream", "version", "directions" (and with full,
 * "connection", "events") of an analysed MPTCP connection. */
void json_mptcp_summary(JsonBuilder *b, const char *capture,
                        const MptcpAnalysis *an, gboolean full);

#endif
