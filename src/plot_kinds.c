/* plot_kinds.c - the table of plot kinds: name, what STREAM names, which
 * options apply, and the function that builds it. A kind whose function
 * is NULL is announced in help as coming and refused when asked for. */
#include "plot_kinds.h"
#include <string.h>

const PlotKind plot_kinds[] = {
  { "tcp-seq", KIND_TCP | KIND_TOWARDS,
    "time-sequence graph of a TCP connection: segments, retransmissions, "
    "ACKs", plot_tcp_seq },
  { "tcp-throughput", KIND_TCP | KIND_WINDOW | KIND_TOWARDS,
    "throughput and goodput of a TCP connection over time",
    plot_tcp_throughput },
  { "mptcp-throughput", KIND_MPTCP | KIND_WINDOW | KIND_TOWARDS,
    "throughput and goodput per subflow and for the MPTCP connection",
    plot_mptcp_throughput },
  { "mptcp-dsn", KIND_MPTCP | KIND_TOWARDS,
    "data sequence numbers per subflow, reinjections, data ACKs",
    plot_mptcp_dsn },
  { "reinjections", KIND_MPTCP | KIND_TOWARDS | KIND_PEER_OPTIONAL,
    "distribution (CDF) of reinjection delays per subflow; with the other "
    "end's capture, coloured by verdict", plot_reinjections },
  /* two captures */
  { "owd", KIND_MPTCP | KIND_PEER | KIND_TOWARDS,
    "one-way delay over time per subflow and direction", plot_owd },
  { "hol", KIND_MPTCP | KIND_PEER | KIND_TOWARDS,
    "CDF of head-of-line blocking at the receiver", plot_hol },
  { NULL, 0, NULL, NULL },
};

const PlotKind *plot_kind_find(const char *name)
{
  for (const PlotKind *k = plot_kinds; k->name; k++)
    if (strcmp(k->name, name) == 0)
      return k;
  return NULL;
}
