/* export_columns.c - what each column of `export` holds. Every value comes
 * from the analysis (tcp_notes, mptcp_analyse_with ANALYSE_NOTES), never
 * re-derived here. README "Export" documents each column. */
#include "export_columns.h"
#include "tcp_stats.h"

static void set_uint(Value *out, guint64 u)
{
  out->kind = VAL_UINT;
  out->u = u;
}

static void set_bool(Value *out, gboolean b)
{
  out->kind = VAL_BOOL;
  out->u = b ? 1 : 0;
}

static void set_text(Value *out, const char *text)
{
  out->kind = VAL_TEXT;
  out->text = text;
}

static void col_frame(const PacketView *v, Value *out)
{
  set_uint(out, v->p->frame);
}

static void col_time_epoch(const PacketView *v, Value *out)
{
  out->kind = VAL_EPOCH;
  out->ns = v->p->time_ns;
}

static void col_time_s(const PacketView *v, Value *out)
{
  out->kind = VAL_SECONDS;
  out->ns = v->p->time_ns - v->start_ns;
}

static void col_tcp_stream(const PacketView *v, Value *out)
{
  set_uint(out, v->t->stream);
}

static void col_mptcp_stream(const PacketView *v, Value *out)
{
  if (v->mptcp_stream >= 0)
    set_uint(out, (guint64)v->mptcp_stream);
}

static void col_towards(const PacketView *v, Value *out)
{
  set_text(out, pkt_to_server(v->t, v->p) ? "server" : "client");
}

static void col_mptcp_towards(const PacketView *v, Value *out)
{
  if (v->an)
    set_text(out, mptcp_dir(v->t, v->p) == TO_SERVER ? "server" : "client");
}

static void col_seq(const PacketView *v, Value *out)
{
  set_uint(out, v->tn->seq);
}

static void col_ack(const PacketView *v, Value *out)
{
  if (v->tn->flags & TNOTE_ACK)
    set_uint(out, v->tn->ack);
}

static void col_len(const PacketView *v, Value *out)
{
  set_uint(out, v->p->len);
}

/* Wireshark's tcp.flags.str letters for the flags set, in its order
 * (without the reserved bits): "AS" for a SYN/ACK, "AP" for ACK+PSH. */
static void col_flags(const PacketView *v, Value *out)
{
  static const char letters[] = "NCEUAPRSF";      /* bit 8 down to bit 0 */
  int n = 0;
  for (int bit = 8; bit >= 0; bit--)
    if (v->p->tcp_flags & (1u << bit))
      out->buf[n++] = letters[8 - bit];
  out->buf[n] = '\0';
  set_text(out, out->buf);
}

static void col_dsn(const PacketView *v, Value *out)
{
  if (v->pn && (v->pn->flags & NOTE_MAPPED))
    set_uint(out, v->pn->dsn);
}

static void col_data_ack(const PacketView *v, Value *out)
{
  if (v->pn && (v->pn->flags & NOTE_DATA_ACK))
    set_uint(out, v->pn->data_ack);
}

/* Bytes it was the first to carry: data-level bytes for a subflow,
 * sequence bytes for plain TCP. */
static void col_first_carrier(const PacketView *v, Value *out)
{
  set_uint(out, v->pn ? v->pn->fresh : v->tn->fresh);
}

static void col_retransmission(const PacketView *v, Value *out)
{
  set_bool(out, (v->tn->flags & TNOTE_RETRANS) != 0);
}

static void col_reinjection_of(const PacketView *v, Value *out)
{
  if (!v->pn || !(v->pn->flags & NOTE_REINJECTED))
    return;
  const MptcpDir *D = &v->an->dir[mptcp_dir(v->t, v->p)];
  const Reinjection *r = g_ptr_array_index(D->reinjections,
                                           v->pn->reinjection - 1);
  out->kind = VAL_FRAMES;
  out->frames = r->orig_frames;
}

/* ---- with the other end's capture (--peer) ---- */

/* the packet's copy there, or NULL */
static const Packet *copy_of(const PacketView *v)
{
  guint32 c = v->peer && v->peer->b ? v->peer->copy[v->idx] : 0;
  return c ? &g_array_index(v->peer->b->packets, Packet, c - 1) : NULL;
}

static void col_peer_frame(const PacketView *v, Value *out)
{
  const Packet *c = copy_of(v);
  if (c)
    set_uint(out, c->frame);
}

static void col_peer_time_epoch(const PacketView *v, Value *out)
{
  const Packet *c = copy_of(v);
  if (c) {
    out->kind = VAL_EPOCH;
    out->ns = c->time_ns;
  }
}

/* receiver's time less the sender's, the other clock corrected */
static void col_owd(const PacketView *v, Value *out)
{
  const Packet *c = copy_of(v);
  if (!c)
    return;
  gint64 there = c->time_ns - v->peer->offset_ns;
  out->kind = VAL_SECONDS;
  out->ns = v->peer->sent_here[v->p->src] ? there - v->p->time_ns
                                          : v->p->time_ns - there;
}

/* sent from this end and never in the other end's capture */
static void col_lost(const PacketView *v, Value *out)
{
  if (v->peer && v->peer->compared)
    set_bool(out, v->peer->sent_here[v->p->src] && !copy_of(v));
}

const ExportColumn export_columns[] = {
  { "frame", col_frame, FALSE },
  { "time_epoch", col_time_epoch, FALSE },
  { "time_s", col_time_s, FALSE },
  { "tcp_stream", col_tcp_stream, FALSE },
  { "mptcp_stream", col_mptcp_stream, FALSE },
  { "towards", col_towards, FALSE },
  { "mptcp_towards", col_mptcp_towards, FALSE },
  { "seq", col_seq, FALSE },
  { "ack", col_ack, FALSE },
  { "len", col_len, FALSE },
  { "flags", col_flags, FALSE },
  { "dsn", col_dsn, FALSE },
  { "data_ack", col_data_ack, FALSE },
  { "first_carrier", col_first_carrier, FALSE },
  { "retransmission", col_retransmission, FALSE },
  { "reinjection_of", col_reinjection_of, FALSE },
  { "peer_frame", col_peer_frame, TRUE },
  { "peer_time_epoch", col_peer_time_epoch, TRUE },
  { "owd_s", col_owd, TRUE },
  { "lost", col_lost, TRUE },
  { NULL, NULL, FALSE },
};
