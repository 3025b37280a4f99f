/* export_columns.h - the columns of `export`: one entry per column, a name
 * and a function giving that column's value for one packet. Adding a
 * column is adding one entry to export_columns[] (export_columns.c); the
 * CSV and JSON Lines writers (export_writer.c) render any value. */
#ifndef EXPORT_COLUMNS_H
#define EXPORT_COLUMNS_H
#include "capture.h"
#include "mptcp_analysis.h"
#include "tcp_notes.h"
#include "export_peer.h"

/* What is known about one packet when it is written: the packet, its TCP
 * notes, and for a subflow its MPTCP connection's analysis and notes. */
typedef struct {
  const TcpConn *t;
  const Packet *p;
  const TcpNote *tn;          /* always set */
  const MptcpAnalysis *an;    /* NULL for plain TCP */
  const PacketNote *pn;       /* NULL for plain TCP */
  gint64 start_ns;            /* its connection's first packet (the MPTCP
                                 connection's, for a subflow) */
  gint64 mptcp_stream;        /* -1 for plain TCP */
  const ExportPeer *peer;     /* with --peer: its copies there, else NULL */
  guint idx;                  /* the packet's index in t->packets */
} PacketView;

typedef enum {
  VAL_EMPTY,     /* not known or not applicable: empty field, JSON null */
  VAL_UINT,      /* u */
  VAL_BOOL,      /* u: 0 or 1; CSV 0/1, JSON false/true */
  VAL_TEXT,      /* text */
  VAL_EPOCH,     /* ns: seconds, exact decimal; a JSON string */
  VAL_SECONDS,   /* ns: seconds, exact decimal; a JSON number */
  VAL_FRAMES     /* frames (guint32): space-separated; a JSON array */
} ValueKind;

typedef struct {
  ValueKind kind;
  guint64 u;
  gint64 ns;
  const char *text;
  const GArray *frames;
  char buf[16];              /* room for a short text */
} Value;

typedef struct {
  const char *name;
  void (*get)(const PacketView *v, Value *out);
  gboolean peer;             /* written only with --peer */
} ExportColumn;

/* The columns, in output order, ended by an entry whose name is NULL. */
extern const ExportColumn export_columns[];

#endif
