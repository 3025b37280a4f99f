/* ws_number.h - Wireshark's numbering of TCP conversations (tcp.stream)
 * and of MPTCP connections (mptcp.stream), replayed packet by packet.
 *
 * When a capture is dissected in ranges, each range's tshark numbers its
 * streams from 0; the global numbers are those one tshark would give. This
 * replays, from what the export shows of each packet, the rules of
 * Wireshark 4.0 (packet-tcp.c) that decide them:
 * - a conversation is found by its address and port pair, either way
 *   round; a pair never seen starts one (the next tcp.stream);
 * - a SYN (without ACK) whose sequence number differs from the base
 *   sequence number of its direction starts a new conversation (a reused
 *   port pair); a SYN/ACK that differs moves its direction's base;
 * - the base of a direction is set by its first packet (its sequence number,
 *   less one unless it is a SYN) and by the first packet of the other
 *   direction that acknowledges (its ack number less one), but only by a
 *   packet whose segment length tshark knows (not one quoted in an ICMP
 *   error; tshark then exports no tcp.len);
 * - an MPTCP connection (the next mptcp.stream) is created for a
 *   conversation without one by an option other than MP_CAPABLE/MP_JOIN, an
 *   MP_JOIN that is not a SYN, or a key or join token that matches no token
 *   seen before; a key or token that matches one joins that connection;
 * - a packet shows mptcp.stream when it carries an MPTCP option and its
 *   conversation has a connection after its options were read.
 * Checked packet by packet against tshark's own numbering of every range
 * (load_parallel.c), so a rule missed here shows up as a disagreement and
 * the capture is read in one pass instead. */
#ifndef WS_NUMBER_H
#define WS_NUMBER_H
#include <glib.h>

#define NUM_MAX_OPTS 20

typedef struct {
  guint8 subtype, len, version;
  guint32 token;                /* MP_JOIN SYN */
  guint64 send_key, recv_key;   /* MP_CAPABLE */
} NumOpt;

/* What the numbering needs of one exported packet. */
typedef struct {
  const char *key;              /* the pair's text (wsnum_key) */
  int flow;                     /* its direction in the pair: 0 or 1 */
  guint16 flags;
  guint32 seq, ack;             /* raw */
  gboolean has_seglen;          /* tshark knew the segment length */
  int n_opts;
  const NumOpt *opts;           /* MPTCP options, in order */
  struct WsConv *hint;          /* the pair's conversation if known (saves
                                   a look-up; ignored when stale), or NULL */
} NumInput;

typedef struct WsNum WsNum;
typedef struct WsConv WsConv;

WsNum *wsnum_new(void);
void wsnum_free(WsNum *n);

/* The text naming an address and port pair whichever way round, and which
 * way round this packet travels (*flow). */
char *wsnum_key(const char *src, guint16 sport, const char *dst,
                guint16 dport, int *flow);
/* The MPTCP options (kind 30) of a TCP option area given as hex text (as
 * tshark exports tcp.options), as tshark dispatches them; returns how many,
 * -1 when the text is not hex. Only the bytes the numbering needs are
 * decoded: this runs for every packet of a range. */
int wsnum_options(const char *hex, NumOpt *out, int max);

/* Replay one packet: its conversation, and in *shown the mptcp.stream it
 * shows (-1 for none). */
WsConv *wsnum_packet(WsNum *n, const NumInput *in, gint64 *shown);

/* The conversations made so far, in tcp.stream order. */
guint wsnum_conv_count(const WsNum *n);
WsConv *wsnum_conv(const WsNum *n, guint i);

guint32 wsconv_stream(const WsConv *c);
/* mptcp.stream of its first packet that showed one, -1 if none did. */
gint64 wsconv_first_shown(const WsConv *c);
const char *wsconv_key(const WsConv *c);
/* A slot for the caller (the merge keeps its connection here). */
gpointer *wsconv_user(WsConv *c);

#endif
