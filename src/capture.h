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
/* in Packet.mptcp_subtypes: the capture cut this packet's TCP options
 * (wholly or partly, by its snap length): which MPTCP options it carried,
 * and so how its payload maps to the data sequence, is unknown */
#define PKT_OPTIONS_CUT 0x8000

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

/* An ICMP or ICMPv6 error (destination unreachable, time exceeded...)
 * quoting a packet of a TCP connection: a router saying a path failed.
 * Not a packet of the connection. */
typedef struct {
  gint64 time_ns;
  guint32 frame;
  guint32 stream;       /* tcp.stream of the quoted packet */
  guint16 sport, dport; /* the quoted packet's ports */
  guint8 type, code;
  guint8 family;        /* 4: ICMP, 6: ICMPv6 */
  guint8 reserved;
  char router[ADDR_MAX];/* the address that sent the error */
} IcmpEvent;

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
  GArray *icmp;                /* IcmpEvent: errors quoting its packets */
  gint64 ws_mptcp_stream;      /* Wireshark's mptcp.stream, -1 if none */
  /* MPTCP, set by capture_finish() */
  SubflowKind kind;
  struct MptcpConn *mptcp;     /* connection it belongs to, or NULL */
  gboolean towards_server;     /* join: opened towards the MPTCP server */
  gboolean linked_inferred;    /* joined by evidence, not by a token (its
                                  options were cut: see mptcp_link.c) */
  guint32 orphan_id;           /* orphan: the id its MptcpConn goes by */
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
  guint64 options_cut;         /* TCP packets with PKT_OPTIONS_CUT */
  guint64 time_clamped;        /* packets stamped after 2262 (see row.h) */
  guint64 icmp_errors;         /* ICMP errors quoting a TCP header */
  GArray *pending_icmp;        /* IcmpEvent quoting a tcp.stream that had
                                  no packet yet; attached by finish */
  guint64 icmp_unmatched;      /* after finish: quoting no captured packet */
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
/* The earliest capture time of a connection's packets (capture times need
 * not increase); G_MAXINT64 when it has none. */
gint64 tcp_conn_first_ns(const TcpConn *t);
gint64 mptcp_conn_first_ns(const MptcpConn *m);

/* The MPTCP option subtypes of a packet (bits 1 << subtype), without
 * PKT_OPTIONS_CUT */
static inline guint16 pkt_mptcp_options(const Packet *p)
{ return p->mptcp_subtypes & (guint16)~PKT_OPTIONS_CUT; }

/* endpoint index helpers */
static inline int conn_server(const TcpConn *t) { return 1 - t->client; }
/* TRUE when packet p travels from the client to the server */
static inline gboolean pkt_to_server(const TcpConn *t, const Packet *p)
{ return p->src == t->client; }

#endif
