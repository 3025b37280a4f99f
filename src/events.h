/* events.h - the MPTCP signalling of a connection, in capture order:
 * ADD_ADDR, REMOVE_ADDR, MP_PRIO, MP_FAIL, MP_FASTCLOSE, MP_TCPRST, and
 * the handshakes (MP_CAPABLE, MP_JOIN). */
#ifndef EVENTS_H
#define EVENTS_H
#include <stdio.h>
#include "capture.h"
#include "json_out.h"

const char *mptcp_subtype_name(int subtype);
/* A new string describing one option ("id 3 11.0.0.2 port 5201"). */
char *mptcp_event_detail(const MptcpOpt *o);
/* "events": every option above; without handshakes, "signals": ADD_ADDR,
 * REMOVE_ADDR, MP_PRIO, MP_FAIL, MP_FASTCLOSE and MP_TCPRST only */
void json_events(JsonBuilder *b, const MptcpConn *m, gboolean handshakes);
void print_events(const MptcpConn *m, FILE *out);
/* "  signals: ADD_ADDR x2 MP_PRIO x1", nothing when there are none */
void print_signal_counts(const MptcpConn *m, FILE *out);

#endif
