/* capture.h - the model of one loaded capture: its TCP connections, keyed
 * by tcp.stream, and the MPTCP connections rebuilt from them.
 *
 * Contract: capture_add_row() takes decoded rows in any order and any
 * content; capture_finish() then decides roles and links MPTCP subflows.
 * After capture_finish() the model is read-only; every pointer it hands out
 * lives until capture_free(). Per packet we keep one Packet (56 bytes);
 * MPTCP options other than DSS are rare and kept as events. */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <glib.h>
#include "row.h"

/* DSS mapping carried implicitly by a v1 MP_CAPABLE with a data length */
#define DSS_IMPLICIT 0x80

typedef struct {
  gint64 time_ns;
  guint64 dsn;          /* DSS DSN as sent (4 or 8 bytes) */
  guint64 data_ack;     /* DSS data ACK as sent (4 or 8 bytes) */
  guint32 frame;
  guint32 seq, ack;     /* raw TCP sequence and ack numbers */
  guint32 len;          /* TCP payload length */
  guint32 ssn;          /* DSS subflow sequence number (relative) */
  guint32 tsval;        /* TCP timestamp value, 0 when absent */
  guint16 data_len;     /* DSS mapping length */
  guint16 tcp_flags;
  guint16 mptcp_subtypes; /* bit (1 << subtype) for each option present */
  guint8 dss_flags;     /* DSS_* flags, DSS_IMPLICIT */
  guint8 src;           /* sending endpoint: 0 or 1 (see TcpConn.ip) */
} Packet;

typedef struct {
  guint32 pkt;          /* index in TcpConn.packets */
  MptcpOpt opt;
} MptcpEvent;

typedef enum {
  ROLE_FROM_SYN, ROLE_FROM_SYNACK, ROLE_FROM_MPTCP, ROLE_FROM_PORTS
} RoleSource;

typedef enum { SUBFLOW_NONE, SUBFLOW_INITIAL, SUBFLOW_JOIN, SUBFLOW_ORPHAN }
  SubflowKind;

struct MptcpConn;

typedef struct TcpConn {
  guint32 stream;              /* tcp.stream */
  char ip[2][ADDR_MAX];        /* endpoint 0 sent the first captured packet */
  guint16 port[2];
  int client;                  /* which endpoint is the client: 0 or 1 */
  RoleSource role_source;
  GArray *packets;             /* Packet, in capture order */
  GArray *events;              /* MptcpEvent: every non-DSS MPTCP option */
  gint64 ws_mptcp_stream;      /* Wireshark's mptcp.stream, -1 if none */
  /* MPTCP, set by capture_finish() */
  SubflowKind kind;
  struct MptcpConn *mptcp;     /* connection it belongs to, or NULL */
  gboolean towards_server;     /* join: opened towards the MPTCP server */
  gboolean has_join_syn;       /* an MP_JOIN SYN with a token was seen */
  guint32 join_token;          /* the token that SYN carried */
  gint addr_id[2];             /* join: address ids per endpoint, -1 unset */
} TcpConn;

typedef struct MptcpConn {
  guint32 id;                  /* Wireshark's mptcp.stream */
  int version;                 /* 0 or 1; -1 unknown (orphan) */
  gboolean has_key[2];         /* [0] client, [1] server */
  guint64 key[2];
  guint32 token[2];
  guint64 idsn[2];
  GPtrArray *subflows;         /* TcpConn*, the initial subflow first */
} MptcpConn;

typedef struct {
  char *path;
  GHashTable *by_stream;       /* tcp.stream -> TcpConn* */
  GPtrArray *tcp;              /* TcpConn*, by tcp.stream (after finish) */
  GPtrArray *mptcp;            /* MptcpConn*, by id */
  GPtrArray *orphans;          /* TcpConn* of subflows with no connection */
  GPtrArray *orphan_conns;     /* MptcpConn* wrapping each orphan alone, so
                                  it can be summarised (keys unknown) */
  guint64 rows;                /* packets tshark exported, TCP or not */
  guint64 tcp_packets, bad_rows;
  gboolean truncated;
} Capture;

Capture *capture_new(const char *path);
void capture_free(Capture *c);
void capture_add_row(Capture *c, const Row *r);
/* A new, empty connection, registered under its tcp.stream. */
TcpConn *capture_conn_new(Capture *c, guint32 stream, const char *ip0,
                          guint16 port0, const char *ip1, guint16 port1);
void capture_finish(Capture *c);

/* For loading in ranges (range_merge.c): take every connection out of c
 * (left with none; the caller owns them), register a connection taken
 * from another model under its (new) tcp.stream, append the packets and
 * events of a later part of the same connection (from is emptied; its
 * directions are turned to into's endpoints), free one. Keep
 * capture_conn_append in step with TcpConn's fields. */
GPtrArray *capture_take_conns(Capture *c);
void capture_adopt_conn(Capture *c, TcpConn *t);
void capture_conn_append(TcpConn *into, TcpConn *from);
void capture_conn_free(TcpConn *t);

TcpConn *capture_tcp(const Capture *c, guint32 stream);
MptcpConn *capture_mptcp(const Capture *c, guint32 id);

/* endpoint index helpers */
static inline int conn_server(const TcpConn *t) { return 1 - t->client; }
/* TRUE when packet p travels from the client to the server */
static inline gboolean pkt_to_server(const TcpConn *t, const Packet *p)
{ return p->src == t->client; }

#endif
