#!/usr/bin/python3
"""Second integration suite for mptcpanalyzer: mptcp-summary, tcp-summary,
list-reinjections, the capture cache and hardening against odd files.

Usage: MPTCPANALYZER_BIN=build/asan/mptcpanalyzer tests/integration_summaries.py
       tests/integration_summaries.py [BINARY]
Reuses the helpers of tests/integration.py (run, tool_json, check, Skip,
Fail, expect, tshark helpers). Every expected value is computed here, at
test time, from the fixtures' truth files, from tshark's own field export
or from the standard library. Prints `ok - ...` / `not ok - ...` lines,
`# ...` comment lines, then `# SUMMARY PASSED FAILED SKIPPED`.
Python stdlib only.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration as T  # noqa: E402
from integration import Skip, Fail, expect, check, run, tool_json  # noqa: E402

REPO, CAPS, FIXTURES, BIN, LABEL = T.REPO, T.CAPS, T.FIXTURES, T.BIN, T.LABEL
TMP = os.path.join(REPO, "tests", "tmp", "summaries-%s-%d" % (LABEL, os.getpid()))
T.TMP = TMP  # integration.write() and friends write here
TSHARK = shutil.which("tshark") or "/usr/bin/tshark"
NOT_ICMP = T.NOT_ICMP


def tmpdir(name):
    d = os.path.join(TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def files_under(d):
    """Files under d, less the tshark version memo (tshark-version-*: one
    small file per tshark binary, not a capture's entry)."""
    out = []
    for root, _, names in os.walk(d):
        out += [os.path.join(root, n) for n in names if not n.startswith("tshark-version-")]
    return sorted(out)


def cache_entries(d):
    return [f for f in files_under(d) if f.endswith(".cache")]


# ---------------------------------------------------------------------------
# tshark with the mapping analysis, once per capture

MFIELDS = ["frame.number", "tcp.stream", "mptcp.stream", "tcp.len", "mptcp.dsn",
           "mptcp.reinjection_of", "tcp.seq", "tcp.ack", "ip.src", "ipv6.src",
           "ip.dst", "ipv6.dst", "tcp.srcport", "tcp.dstport", "tcp.flags.syn",
           "tcp.flags.ack", "frame.time_epoch", "tcp.options.mptcp.rawdataseqno",
           "tcp.options.mptcp.subflowseqno", "tcp.options.mptcp.datalvllen",
           "mptcp.rawdsn64"]


class MPkt:
    __slots__ = ["frame", "stream", "mstream", "len", "dsn", "reinj_of", "seq",
                 "ack", "src", "dst", "syn", "ackf", "time", "map", "raw64"]


_mcache = {}
_memo = {}


def memo(fn):
    def wrapped(path):
        key = (fn.__name__, path)
        if key not in _memo:
            _memo[key] = fn(path)
        return _memo[key]
    wrapped.__name__ = fn.__name__
    return wrapped




def first(v):
    return v.split(",")[0] if v else v


def tshark_mappings(path):
    if path in _mcache:
        return _mcache[path]
    cmd = [TSHARK, "-r", path, "-Y", NOT_ICMP, "-o", "mptcp.analyze_mappings:TRUE",
           "-o", "mptcp.intersubflows_retransmission:TRUE",
           "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
           "-E", "aggregator=,", "-E", "quote=n"]
    for f in MFIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, timeout=T.TIMEOUT)
    pkts = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        f = line.split("\t")
        if len(f) != len(MFIELDS) or f[1] == "":
            continue
        k = MPkt()
        k.frame = int(f[0])
        k.stream = int(T._last(f[1]))
        k.mstream = int(first(f[2])) if f[2] else None
        k.len = int(T._last(f[3]) or 0)
        k.dsn = int(first(f[4])) if f[4] else None
        k.reinj_of = [int(x) for x in f[5].split(",") if x] if f[5] else []
        k.seq = int(T._last(f[6]) or 0)
        k.ack = int(T._last(f[7]) or 0)
        k.src = (T._last(f[8]) or T._last(f[9]), int(T._last(f[12])))
        k.dst = (T._last(f[10]) or T._last(f[11]), int(T._last(f[13])))
        k.syn = T._last(f[14]) in ("1", "True")
        k.ackf = T._last(f[15]) in ("1", "True")
        k.time = float(f[16])
        # this packet's own DSS mapping (raw DSN, relative SSN, length)
        k.map = None
        if f[17] and f[18] and f[19]:
            k.map = (int(first(f[17])), int(first(f[18])), int(first(f[19])))
        # tshark's own 64-bit data-level position of the packet's first byte
        k.raw64 = int(first(f[20])) if f[20] else None
        pkts.append(k)
    _mcache[path] = pkts
    return pkts


@memo
def mstreams(path):
    d = {}
    for k in tshark_mappings(path):
        d.setdefault(k.stream, []).append(k)
    return d


@memo
def roles(path):
    """{tcp.stream: (client endpoint, server endpoint)}: from the SYN when
    tshark sees one, else from the tool's list-tcp (checked by integration.py)."""
    out = {}
    tool = {c["tcp_stream"]: c for c in tool_json("list-tcp", path)["tcp_connections"]}
    for s, pk in mstreams(path).items():
        syn = [k for k in pk if k.syn and not k.ackf]
        if syn:
            out[s] = (syn[0].src, syn[0].dst)
        elif s in tool:
            t = tool[s]
            out[s] = ((t["client_ip"], t["client_port"]), (t["server_ip"], t["server_port"]))
    return out


@memo
def subflow_towards(path):
    """{tcp.stream: "server"|"client"}: which MPTCP host each subflow was
    opened towards, from tshark (initial -> server; join -> by its token)."""
    out = {}
    for m, c in T.tshark_mptcp(path).items():
        if c["initial"] is not None:
            out[c["initial"]] = "server"
        for s, tok in c["joins"].items():
            if tok == c["server_token"]:
                out[s] = "server"
            elif tok == c["client_token"]:
                out[s] = "client"
    return out


def tool_conns(path):
    """MPTCP connections of the tool (list-mptcp), plus its orphan subflows
    as one-subflow pseudo-connections named by wireshark_mptcp_stream:
    [(stream id, [subflow dicts], is_orphan)]."""
    doc = tool_json("list-mptcp", path)
    out = [(c["mptcp_stream"], c["subflows"], False) for c in doc["mptcp_connections"]]
    for o in doc.get("orphan_subflows", []):
        if o.get("wireshark_mptcp_stream") is not None:
            out.append((o["wireshark_mptcp_stream"], [o], True))
    return out


def pkt_towards_mptcp_server(path, k, tool_sf=None):
    """True when packet k travels towards the MPTCP server host."""
    r = roles(path)[k.stream]
    to_sf_server = k.dst == r[1]
    tw = subflow_towards(path).get(k.stream)
    if tw is None:
        tw = (tool_sf or {}).get("towards") or "server"
    return to_sf_server if tw == "server" else not to_sf_server


def summary(path, m, full=False):
    extra = [str(m)] + (["--full"] if full else [])
    return tool_json("mptcp-summary", path, *extra)


def direction(doc, towards):
    d = [x for x in doc["directions"] if x["towards"] == towards]
    expect(len(d) == 1, "%d directions towards %s" % (len(d), towards))
    return d[0]


def fixture_captures():
    """fixture captures holding MPTCP (tshark sees an MPTCP option); plain
    TCP ones (crafted-pair-tcp-nat) are left to the TCP checks"""
    return [p for p in sorted(glob.glob(os.path.join(FIXTURES, "*.pcap*")))
            if any(k.subtypes for k in T.tshark_packets(p))]


def sample(name):
    p = os.path.join(CAPS, name)
    return [p] if os.path.exists(p) else []


# ---------------------------------------------------------------------------
# 1. application bytes = truth

def truth_cases():
    cases = []
    for tf in sorted(glob.glob(os.path.join(FIXTURES, "*.truth.json"))):
        truth = json.load(open(tf))
        if "crafted_connections" in truth:       # several in one crafted file
            want = [(c["client_port"], c["client_app_bytes_sent"], c["server_app_bytes_sent"])
                    for c in truth["crafted_connections"]]
            cases.append((tf, os.path.join(FIXTURES, truth["capture"]), want, False))
        elif "connections" in truth:
            if not truth["connections"]:
                continue      # a plain TCP pair
            for side, name in sorted(truth["captures"].items()):
                # behind a NAT the server capture shows the rewritten port
                want = [(c.get("client_at_" + side, c["client"])["port"],
                         c["client_bytes_sent"], c["server_bytes_sent"])
                        for c in truth["connections"]]
                cases.append((tf, os.path.join(FIXTURES, name), want, False))
        else:
            init = [s for s in truth["subflows"]
                    if s["kind"] in ("initial", "initial-no-handshake")]
            want = [(init[0]["client"]["port"], truth["client_app_bytes_sent"],
                     truth["server_app_bytes_sent"])]
            midway = init[0]["kind"] == "initial-no-handshake"
            cases.append((tf, os.path.join(FIXTURES, truth["capture"]), want, midway))
    return cases


def c1_app_bytes(tf, path, want, midway):
    if not os.path.exists(path):
        raise Skip("%s absent" % path)
    by_port = {}
    for m, subs, orphan in tool_conns(path):
        if orphan and not midway:
            continue
        init = [sf for sf in subs if sf.get("initial")] if not orphan else subs
        expect(len(init) == 1, "connection %s: %d initial subflows" % (m, len(init)))
        by_port[init[0]["client_port"]] = (m, orphan)
    problems = []
    for port, to_srv, to_cli in want:
        if port not in by_port:
            problems.append("no connection with client port %d (tool: %s)" % (port, sorted(by_port)))
            continue
        m, orphan = by_port[port]
        doc = summary(path, m)
        for tw, bytes_ in (("server", to_srv), ("client", to_cli)):
            d = direction(doc, tw)
            tag = "port %d stream %s towards %s" % (port, m, tw)
            if d["application_bytes"] != bytes_:
                problems.append("%s: application_bytes %d, truth %d" % (tag, d["application_bytes"], bytes_))
            s = sum(sf["application_bytes"] for sf in d["subflows"])
            if s != d["application_bytes"]:
                problems.append("%s: sum of subflow application_bytes %d != %d"
                                % (tag, s, d["application_bytes"]))
            if d["unattributed_bytes"] != 0:
                problems.append("%s: unattributed_bytes %d" % (tag, d["unattributed_bytes"]))
            if midway and d["dsn_relative_to"] != "lowest_dsn_seen":
                problems.append("%s: dsn_relative_to %r" % (tag, d["dsn_relative_to"]))
            if not midway and d["dsn_relative_to"] != "idsn":
                problems.append("%s: dsn_relative_to %r" % (tag, d["dsn_relative_to"]))
    expect(not problems, "; ".join(problems))


# ---------------------------------------------------------------------------
# 2. throughput bytes = sum of tcp.len

def c2_throughput(path):
    streams = mstreams(path)
    problems = []
    n = 0
    for m, subs, orphan in tool_conns(path):
        doc = summary(path, m)
        for tw in ("server", "client"):
            d = direction(doc, tw)
            got_sf = {sf["tcp_stream"]: sf for sf in d["subflows"]}
            want_set = {sf["tcp_stream"] for sf in subs}
            if set(got_sf) != want_set:
                problems.append("stream %s %s: subflows %s, list-mptcp %s"
                                % (m, tw, sorted(got_sf), sorted(want_set)))
                continue
            total = 0
            for sf in subs:
                s = sf["tcp_stream"]
                want = sum(k.len for k in streams.get(s, [])
                           if pkt_towards_mptcp_server(path, k, sf) == (tw == "server"))
                total += want
                if got_sf[s]["throughput_bytes"] != want:
                    problems.append("stream %s tcp.stream %d towards %s: %d, tshark %d"
                                    % (m, s, tw, got_sf[s]["throughput_bytes"], want))
                n += 1
            if d["throughput_bytes"] != total:
                problems.append("stream %s towards %s: %d, tshark %d" % (m, tw, d["throughput_bytes"], total))
    expect(n > 0 or not tool_conns(path), "nothing compared")
    expect(not problems, "; ".join(problems[:8]))


# ---------------------------------------------------------------------------
# 3. tcp-summary

def union_size(ranges):
    tot, cur_s, cur_e = 0, None, None
    for s, e in sorted(r for r in ranges if r[1] > r[0]):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                tot += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        tot += cur_e - cur_s
    return tot


def rel_close(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)


def c3_tcp_summary(path):
    streams = mstreams(path)
    lt = {c["tcp_stream"]: c for c in tool_json("list-tcp", path)["tcp_connections"]}
    expect(sorted(lt) == sorted(streams), "tcp.streams: list-tcp %s, tshark %s"
           % (sorted(lt)[:20], sorted(streams)[:20]))
    problems = []
    for s, pk in sorted(streams.items()):
        doc = tool_json("tcp-summary", path, str(s), "--full")
        srv = (lt[s]["server_ip"], lt[s]["server_port"])
        span = lt[s]["last_time"] - lt[s]["first_time"]
        for tw in ("server", "client"):
            d = direction(doc, tw)
            mine = [k for k in pk if (k.dst == srv) == (tw == "server")]
            payload = sum(k.len for k in mine)
            uniq = union_size([(k.seq, k.seq + k.len) for k in mine])
            tag = "tcp.stream %d towards %s" % (s, tw)
            got = (d["packets"], d["payload_bytes"], d["unique_bytes"], d["retransmitted_bytes"])
            want = (len(mine), payload, uniq, payload - uniq)
            if got != want:
                problems.append("%s: packets/payload/unique/retransmitted %s, tshark %s" % (tag, got, want))
            dur = d["duration_s"]
            if not (0 <= dur <= span + 1e-6):
                problems.append("%s: duration_s %r outside [0, %r]" % (tag, dur, span))
            for key, num in (("throughput_bytes_per_s", d["payload_bytes"]),
                             ("goodput_bytes_per_s", d["unique_bytes"])):
                want_rate = num / dur if dur > 0 else 0.0
                if not rel_close(d[key], want_rate) and not (want_rate == 0 and d[key] == 0):
                    problems.append("%s: %s %r, bytes/duration %r" % (tag, key, d[key], want_rate))
    expect(not problems, "; ".join(problems[:6]))


# ---------------------------------------------------------------------------
# 4. client_2 / server_2: throughput = sum, application = data-sequence range

def c4_dsn_range(name):
    paths = sample(name)
    if not paths:
        raise Skip("%s absent" % os.path.join(CAPS, name))
    path = paths[0]
    ts = T.tshark_mptcp(path)
    tool = T.tool_conn_by_subflows(tool_json("list-mptcp", path))
    streams = mstreams(path)
    problems, n = [], 0
    for m, c in sorted(ts.items()):
        if c["initial"] is None:
            continue  # tshark's made-up stream for a handshake-less subflow
        subs = {s for s in c["subflows"] if s in subflow_towards(path)}
        t = tool.get(frozenset(subs))
        if t is None:
            problems.append("tshark mptcp.stream %d %s: no tool connection" % (m, sorted(subs)))
            continue
        doc = summary(path, t["mptcp_stream"])
        for tw in ("server", "client"):
            pk = [k for s in subs for k in streams[s]
                  if pkt_towards_mptcp_server(path, k) == (tw == "server")]
            total = sum(k.len for k in pk)
            withdsn = [k for k in pk if k.dsn is not None and k.len > 0]
            rng = (max(k.dsn + k.len for k in withdsn) - min(k.dsn for k in withdsn)) if withdsn else 0
            d = direction(doc, tw)
            got = (d["throughput_bytes"], d["application_bytes"])
            if got != (total, rng):
                problems.append("mptcp.stream %d (tool %d) towards %s: throughput/application %s, "
                                "tshark sum/dsn range %s" % (m, t["mptcp_stream"], tw, got, (total, rng)))
            parts = sum(sf["application_bytes"] for sf in d["subflows"])
            if parts != d["application_bytes"] or d["unattributed_bytes"] != 0:
                problems.append("mptcp.stream %d towards %s: subflows add up to %d of %d"
                                % (m, tw, parts, d["application_bytes"]))
            n += 1
    expect(n >= 8, "only %d directions compared" % n)
    expect(not problems, "; ".join(problems))


# ---------------------------------------------------------------------------
# 5. reinjections vs Wireshark

M32 = 1 << 32


@memo
def raw_positions(path):
    """{frame: data-level start} recomputed from the DSS mappings the packets
    carry (raw DSN + offset in the mapping), low 32 bits, relative to the
    first mapping of the direction: a check on tshark's mptcp.dsn, which goes
    wrong on some v1 join subflows (REFERENCE section 3)."""
    out = {}
    maps = {}   # (tcp.stream, src) -> [(ssn, rawdsn, len)] latest first
    base = {}   # (mptcp direction key) -> base
    for k in tshark_mappings(path):
        key = (k.stream, k.src)
        if k.map and k.map[2] > 0:
            maps.setdefault(key, []).insert(0, (k.map[1], k.map[0] % M32, k.map[2]))
        if k.len == 0:
            continue
        for ssn, raw, ln in maps.get(key, []):
            if ssn <= k.seq < ssn + ln:
                out[k.frame] = (raw + (k.seq - ssn)) % M32
                break
    return out


def raw_first_carrier(path, conn_pk, dirs, p):
    """Earliest packet overlapping p at the data level by raw_positions, or None."""
    pos = raw_positions(path)
    if p.frame not in pos:
        return None
    lo = pos[p.frame]
    cands = []
    for k in conn_pk:
        if k.frame not in pos or dirs[k.frame] != dirs[p.frame]:
            continue
        d = (pos[k.frame] - lo) % M32
        if d >= M32 // 2:
            d -= M32
        if d < p.len and d + k.len > 0:
            cands.append(k)
    return min(cands, key=lambda k: k.frame) if cands else None

def overlaps(a, alen, b, blen):
    return a < b + blen and b < a + alen


def unlinked_original(path, byframe, dirs, f, origs):
    """Third explanation of a tool-only reinjection: every original the tool
    names is an earlier packet of the same direction on another subflow, a
    DSS mapping seen on that subflow covers its bytes (raw_positions), and
    its data-level bytes overlap f's, by tshark's own mptcp.rawdsn64 or by
    the raw DSS mappings (tshark's DSN goes wrong on some v1 joins); yet
    Wireshark links f to none of them."""
    p, pos = byframe[f], raw_positions(path)
    for o in origs:
        k = byframe.get(o)
        if k is None or o >= f or k.stream == p.stream or dirs[o] != dirs[f] or o not in pos:
            return False
        if o in p.reinj_of:
            return False
        by_tshark = p.raw64 is not None and k.raw64 is not None and \
            overlaps(k.raw64, k.len, p.raw64, p.len)
        by_raw = f in pos and overlaps(0, k.len, (pos[f] - pos[o] + M32 // 2) % M32 - M32 // 2, p.len)
        if not (by_tshark or by_raw):
            return False
    return True


def c5_reinjections(path):
    streams = mstreams(path)
    pk_all = tshark_mappings(path)
    problems, lines = [], []
    for m, subs, orphan in tool_conns(path):
        if orphan:
            continue
        sfs = {sf["tcp_stream"]: sf for sf in subs}
        doc = tool_json("list-reinjections", path, str(m))
        tool = {r["frame"]: r for r in doc["reinjections"]}
        wrong = [(r["frame"], r["tcp_stream"]) for r in doc["reinjections"] if r["tcp_stream"] not in sfs]
        if wrong:
            problems.append("stream %d: listed frames on other connections' subflows %s" % (m, wrong[:5]))
        summ = summary(path, m)
        nsum = sum(sf["reinjections"] for d in summ["directions"] for sf in d["subflows"])
        if nsum != len(doc["reinjections"]):
            problems.append("stream %d: %d listed, mptcp-summary subflow reinjections sum %d"
                            % (m, len(doc["reinjections"]), nsum))
        conn_pk = [k for k in pk_all if k.stream in sfs]
        ws = {k.frame: k for k in conn_pk if k.reinj_of}
        byframe = {k.frame: k for k in conn_pk}
        tool_only = sorted(set(tool) - set(ws))
        ws_only = sorted(set(ws) - set(tool))
        dirs = {k.frame: pkt_towards_mptcp_server(path, k, sfs[k.stream]) for k in conn_pk}
        uncaptured = [f for f in tool_only if 0 in tool[f]["original_frames"]]
        unlinked = [f for f in tool_only if f not in uncaptured and
                    unlinked_original(path, byframe, dirs, f, tool[f]["original_frames"])]
        unexplained_tool = [f for f in tool_only if f not in uncaptured and f not in unlinked]
        same_sf, missing_orig, raw_same, unexplained_ws = 0, 0, 0, []
        for f in ws_only:
            p = byframe[f]
            if p.dsn is None or p.len == 0:
                unexplained_ws.append((f, "no dsn"))
                continue
            lo, hi = p.dsn, p.dsn + p.len
            over = [k for k in conn_pk if k.dsn is not None and k.len > 0 and dirs[k.frame] == dirs[f]
                    and k.dsn < hi and k.dsn + k.len > lo]
            e = min(over, key=lambda k: k.frame)
            if e.stream == p.stream:
                same_sf += 1
                continue
            # a missing original on this subflow: before e, the sender was
            # already past these subflow bytes, or the peer had acked them
            end = p.seq + p.len
            before = [k for k in streams[p.stream] if k.frame < e.frame]
            sent = any(k.src == p.src and k.seq + k.len >= end for k in before)
            acked = any(k.src == p.dst and k.ackf and k.ack >= end for k in before)
            if sent or acked:
                missing_orig += 1
                continue
            # tshark's own DSN may be wrong: redo with the packets' raw mappings
            e2 = raw_first_carrier(path, conn_pk, dirs, p)
            if e2 is not None and e2.stream == p.stream:
                raw_same += 1
            else:
                unexplained_ws.append((f, "first carried by frame %d on tcp.stream %d (raw mappings: %s)"
                                       % (e.frame, e.stream, e2 and (e2.frame, e2.stream))))
        line = ("# reinjections %s mptcp.stream %d: tool %d, Wireshark %d | tool only %d "
                "(original not captured: %d, original on another subflow not linked by Wireshark: %d) "
                "| Wireshark only %d (same subflow first: %d, "
                "missing original on same subflow: %d, same subflow first by raw DSS mappings, "
                "tshark DSN wrong: %d)"
                % (os.path.basename(path), m, len(tool), len(ws), len(tool_only),
                   len(uncaptured), len(unlinked), len(ws_only), same_sf, missing_orig, raw_same))
        lines.append(line)
        if unexplained_tool:
            problems.append("stream %d: tool-only frames whose originals are not earlier packets on another "
                            "subflow overlapping them: %s"
                            % (m, [(f, tool[f]["original_frames"]) for f in unexplained_tool[:8]]))
        if unexplained_ws:
            problems.append("stream %d: Wireshark-only frames unexplained: %s" % (m, unexplained_ws[:8]))
    for l in lines:
        print(l, flush=True)
    expect(not problems, "; ".join(problems))


# ---------------------------------------------------------------------------
# 6. no wrap-around, units

BYTE_KEYS = ("bytes", "packets", "reinjections")


def walk_numbers(obj, where, problems, zero_seen):
    if isinstance(obj, dict):
        if "tcp_stream" in obj and "throughput_bytes" in obj and obj["throughput_bytes"] == 0:
            zero_seen.append(where)
            nz = {k: v for k, v in obj.items()
                  if k not in ("tcp_stream", "packets") and isinstance(v, (int, float)) and v != 0}
            if nz:
                problems.append("%s: subflow carried nothing but %s" % (where, nz))
        for k, v in obj.items():
            w = "%s.%s" % (where, k)
            if isinstance(v, bool) or v is None:
                continue
            if isinstance(v, (int, float)) and (k.endswith(BYTE_KEYS) or k in BYTE_KEYS):
                if not (isinstance(v, int) and 0 <= v < 2 ** 53):
                    problems.append("%s = %r" % (w, v))
            elif isinstance(v, (int, float)) and k.endswith("_share"):
                if not (0 <= v <= 1):
                    problems.append("%s = %r" % (w, v))
            elif isinstance(v, (int, float)) and k.endswith("_per_s"):
                if not (0 <= v < 1e15):
                    problems.append("%s = %r" % (w, v))
            else:
                walk_numbers(v, w, problems, zero_seen)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            walk_numbers(v, "%s[%d]" % (where, i), problems, zero_seen)


NUM_RE = re.compile(r"\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?")


def c6_no_wrap():
    problems, zero_seen, n = [], [], 0
    for path in sample("client_2.pcap") + sample("server_2.pcap") + fixture_captures():
        for m, subs, orphan in tool_conns(path):
            doc = summary(path, m, full=True)
            walk_numbers(doc["directions"], "%s:%s" % (os.path.basename(path), m), problems, zero_seen)
            r = run(["mptcp-summary", path, str(m)])
            expect(r.rc == 0, r.describe())
            if "bytes" not in r.out or "B/s" not in r.out:
                problems.append("%s %s: human output lacks 'bytes' or 'B/s'" % (os.path.basename(path), m))
            big = [x for x in NUM_RE.findall(r.out) if float(x.replace(",", "")) > 1e15]
            if big:
                problems.append("%s %s: numbers above 1e15 in the human output: %s"
                                % (os.path.basename(path), m, big[:5]))
            n += 1
    expect(n > 0, "no connection found")
    expect(zero_seen, "no subflow direction that carried nothing was found")
    print("# %d subflow directions carried nothing" % len(zero_seen), flush=True)
    expect(not problems, "; ".join(problems[:8]))


# ---------------------------------------------------------------------------
# 7. cache

def small_capture():
    for p in (os.path.join(FIXTURES, "v1-basic-client.pcapng"),) + tuple(fixture_captures()) + \
            tuple(sample("client_2.pcap")):
        if os.path.exists(p) and T.tshark_packets(p):
            return p
    raise Skip("no usable capture")


def logging_tshark(log, fail=False):
    """A tshark stand-in that logs its arguments; runs the real one unless fail."""
    d = tmpdir("fake-%d-%d" % (fail, int(time.time() * 1e6)))
    path = os.path.join(d, "tshark")
    body = "exit 1" if fail else 'exec %s "$@"' % TSHARK
    with open(path, "w") as f:
        f.write('#!/bin/sh\necho "$*" >> %s\n%s\n' % (log, body))
    os.chmod(path, 0o755)
    return path


def loads_in(log):
    if not os.path.exists(log):
        return []
    return [l for l in open(log).read().splitlines() if re.search(r"(^| )-r ", l)]


class CacheFixture:
    def __init__(self, name):
        self.dir = tmpdir("cache-" + name)
        self.cache = os.path.join(self.dir, "cache")
        self.cap = os.path.join(self.dir, "capture" + os.path.splitext(small_capture())[1])
        shutil.copyfile(small_capture(), self.cap)
        self.log = os.path.join(self.dir, "tshark.log")
        # one wrapper per fixture: the same tshark path on every run
        self.wrapper = logging_tshark(self.log)

    def argv(self, path=None):
        return ["--cache-dir", self.cache, "--json", "list-mptcp", path or self.cap]

    def run(self, path=None, fake=None, log=True):
        env = {}
        if fake:
            env["MPTCPANALYZER_TSHARK"] = fake
        elif log:
            env["MPTCPANALYZER_TSHARK"] = self.wrapper
        return run(self.argv(path), env=env)

    def loads(self):
        n = len(loads_in(self.log))
        if os.path.exists(self.log):
            os.unlink(self.log)
        return n


def c7_first_run_one_entry():
    cf = CacheFixture("first")
    r = cf.run()
    expect(r.rc == 0, r.describe())
    expect(cf.loads() == 1, "tshark did not load the capture once")
    ents, allf = cache_entries(cf.cache), files_under(cf.cache)
    expect(len(ents) == 1 and allf == ents, "cache folder holds %s" % allf)


def c7_second_run_identical():
    cf = CacheFixture("second")
    a = cf.run()
    cf.loads()
    b = cf.run()
    expect(a.rc == 0 and b.rc == 0, "%s / %s" % (a.describe(), b.describe()))
    expect(b.out == a.out, "stdout differs: %r vs %r" % (a.out[:200], b.out[:200]))
    expect(cf.loads() == 0, "second run loaded the capture with tshark again")
    expect(len(cache_entries(cf.cache)) == 1, "entries %s" % files_under(cf.cache))


def c7_second_run_no_tshark():
    """The same logging wrapper is tshark for both runs (the cache key holds
    the tshark binary's identity); the second run must not start it at all,
    not even for --version."""
    cf = CacheFixture("notshark")
    a = cf.run()
    expect(a.rc == 0, a.describe())
    before = open(cf.log).read().splitlines()
    expect(any("--version" in l for l in before) and len(loads_in(cf.log)) == 1,
           "first run: tshark calls %s" % before)
    b = cf.run()
    after = open(cf.log).read().splitlines()
    expect(b.rc == 0 and b.out == a.out, "second run: %s" % b.describe())
    expect(after == before, "tshark was started on the cached run: %s"
           % after[len(before):])


def c7_touch_misses():
    cf = CacheFixture("touch")
    a = cf.run()
    cf.loads()
    st = os.stat(cf.cap)
    os.utime(cf.cap, ns=(st.st_atime_ns, st.st_mtime_ns + 2 * 10 ** 9))
    b = cf.run()
    expect(b.rc == 0 and b.out == a.out, b.describe())
    expect(cf.loads() == 1, "mtime changed but the cache entry was used")


def c7_copy_misses():
    cf = CacheFixture("copy")
    a = cf.run()
    cf.loads()
    other = os.path.join(tmpdir("cache-copy-elsewhere"), os.path.basename(cf.cap))
    shutil.copy2(cf.cap, other)
    b = cf.run(path=other)
    expect(b.rc == 0, b.describe())
    expect(json.loads(b.out)["mptcp_connections"] == json.loads(a.out)["mptcp_connections"],
           "copy lists other connections")
    expect(cf.loads() == 1, "a copy elsewhere was answered from the original's cache entry")


def corrupt_case(how):
    def fn():
        cf = CacheFixture("corrupt-" + how)
        a = cf.run()
        cf.loads()
        ents = cache_entries(cf.cache)
        expect(len(ents) == 1, "entries %s" % files_under(cf.cache))
        data = bytearray(open(ents[0], "rb").read())
        if how == "truncated":
            data = data[:len(data) // 2]
        else:
            data[len(data) // 2] ^= 0x10
        open(ents[0], "wb").write(bytes(data))
        b = cf.run()
        expect(b.rc == 0, b.describe())
        expect(b.out == a.out, "stdout differs after a %s entry: %r" % (how, b.out[:300]))
        warn = [l for l in b.err_lines() if "warning" in l.lower()]
        expect(len(warn) == 1 and len(b.err_lines()) == 1,
               "stderr should be one warning line: %r" % b.err[:400])
        expect(cf.loads() == 1, "the %s entry was not rebuilt from tshark" % how)
        c = cf.run()
        expect(c.rc == 0 and c.out == a.out and c.err == "", "third run: %s" % c.describe())
        expect(cf.loads() == 0, "the rebuilt entry was not used")
    return fn


def c7_no_cache_writes_nothing():
    d = tmpdir("cache-nocache")
    xdg = os.path.join(d, "xdg")
    cap_ = small_capture()
    r = run(["--no-cache", "--json", "list-mptcp", cap_], env={"XDG_CACHE_HOME": xdg})
    expect(r.rc == 0, r.describe())
    expect(files_under(xdg) == [], "files written: %s" % files_under(xdg))
    cd = os.path.join(d, "cd")
    r = run(["--no-cache", "--cache-dir", cd, "--json", "list-mptcp", cap_])
    expect(r.rc == 0, r.describe())
    expect(files_under(cd) == [], "files written: %s" % files_under(cd))


def c7_clean_cache():
    cf = CacheFixture("clean")
    cf.run(log=False)
    expect(len(cache_entries(cf.cache)) == 1, "no entry to clean: %s" % files_under(cf.cache))
    r = run(["--cache-dir", cf.cache, "clean-cache"])
    expect(r.rc == 0, r.describe())
    expect(files_under(cf.cache) == [], "left: %s" % files_under(cf.cache))


def c7_bad_cache_dir():
    cap_ = small_capture()
    ref = run(["--no-cache", "--json", "list-mptcp", cap_])
    expect(ref.rc == 0, ref.describe())
    d = tmpdir("cache-badplace")
    afile = os.path.join(d, "a-file")
    open(afile, "w").write("x")
    for where in ("/etc/passwd/x", os.path.join(afile, "sub", "dir")):
        r = run(["--cache-dir", where, "--json", "list-mptcp", cap_])
        expect(r.rc == 0, "%s: %s" % (where, r.describe()))
        expect(r.out == ref.out, "%s: output differs" % where)
        expect(len(r.err_lines()) == 1 and "warning" in r.err.lower(),
               "%s: stderr should be one warning line: %r" % (where, r.err[:300]))
    expect(open(afile).read() == "x", "the file in the way was changed")


def c7_bad_inputs_leave_no_entry():
    d = tmpdir("cache-badinput")
    cache = os.path.join(d, "cache")
    text = os.path.join(d, "notes.txt")
    open(text, "w").write("not a capture\n")
    empty = os.path.join(d, "empty.pcap")
    open(empty, "w").close()
    for p in (os.path.join(d, "missing.pcap"), text, empty):
        r = run(["--cache-dir", cache, "list-tcp", p])
        expect(r.rc != 0 and len(r.err_lines()) == 1, "%s: %s" % (p, r.describe()))
    expect(files_under(cache) == [], "cache holds %s" % files_under(cache))


# ---------------------------------------------------------------------------
# 8. hardening

def c8_sparse_2g():
    d = tmpdir("sparse")
    path = os.path.join(d, "big.pcap")
    with open(path, "wb") as f:
        f.truncate(2 * 1024 ** 3)
    cache = os.path.join(d, "cache")
    try:
        t0 = time.monotonic()
        r = run(["--cache-dir", cache, "list-tcp", path])
        dt = time.monotonic() - t0
    finally:
        os.unlink(path)
    expect(r.rc != 0, "exit 0: %s" % r.describe())
    expect(len(r.err_lines()) == 1, "stderr should be one error line: %r" % r.err[:400])
    expect(dt < 2.0, "took %.2f s" % dt)
    expect(cache_entries(cache) == [] and files_under(cache) == [], "cache holds %s" % files_under(cache))


def larger_capture(d):
    src = sample("client_2.pcap")
    dst = os.path.join(d, "large.pcapng")
    if src:
        shutil.copyfile(src[0], dst)
        return dst
    real = [p for p in fixture_captures() if p.endswith(".pcapng")]
    if not real:
        raise Skip("no capture to build a larger one from")
    p = subprocess.run(["mergecap", "-a", "-F", "pcapng", "-w", dst] + real, capture_output=True)
    if p.returncode != 0:
        raise Skip("mergecap failed: %r" % p.stderr[:200])
    return dst


def spawn(args):
    e = dict(os.environ)
    e["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0"
    return subprocess.Popen([BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e, cwd=REPO)


def finish(p, args):
    try:
        out, err = p.communicate(timeout=T.TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise Fail("timed out")
    err = err.decode("utf-8", "replace")
    for mark in T.SANITIZER_MARKS:
        expect(mark not in err, "sanitizer report: %s" % err[err.index(mark):][:400] if mark in err else "")
    expect(p.returncode >= 0, "killed by signal %d; stderr %r" % (-p.returncode, err[:300]))
    return T.Result(args, p.returncode, out.decode("utf-8", "replace"), err)


def c8_disappearing():
    d = tmpdir("vanish")
    src = larger_capture(d)
    outcomes = []
    for delay in (0.0, 0.05, 0.2):
        path = os.path.join(d, "vanish-%s.pcapng" % delay)
        shutil.copyfile(src, path)
        cache = os.path.join(d, "cache-%s" % delay)
        args = ["--cache-dir", cache, "list-tcp", path]
        p = spawn(args)
        if delay:
            time.sleep(delay)
        os.unlink(path)
        r = finish(p, args)
        expect(r.rc == 0 or len(r.err_lines()) == 1,
               "delay %s: exit %d with stderr %r" % (delay, r.rc, r.err[:400]))
        expect(files_under(cache) == [], "delay %s: cache holds %s" % (delay, files_under(cache)))
        outcomes.append("%s s: exit %d" % (delay, r.rc))
    print("# capture unlinked after %s" % ", ".join(outcomes), flush=True)


def last_block(data):
    """The last pcapng block, or the first classic-pcap record."""
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        off, last = 0, None
        while off + 12 <= len(data):
            n = int.from_bytes(data[off + 4:off + 8], "little")
            if n < 12 or off + n > len(data):
                break
            last = data[off:off + n]
            off += n
        return last
    caplen = int.from_bytes(data[24 + 8:24 + 12], "little")
    return data[24:24 + 16 + caplen]


def c8_growing():
    d = tmpdir("grow")
    path = os.path.join(d, "grow.pcapng")
    shutil.copyfile(larger_capture(d), path)
    block = last_block(open(path, "rb").read())
    expect(block, "no block to append")
    cache = os.path.join(d, "cache")
    args = ["--cache-dir", cache, "list-tcp", path]
    p = spawn(args)
    appended = 0
    while p.poll() is None and appended < 20000:
        with open(path, "ab") as f:
            f.write(block)
        appended += 1
        time.sleep(0.005)
    r = finish(p, args)
    print("# appended %d blocks while the tool ran" % appended, flush=True)
    expect(r.rc == 0, r.describe())
    expect(any("warning" in l.lower() for l in r.err_lines()),
           "no warning about the changing file: %r" % r.err[:300])
    expect(cache_entries(cache) == [], "cache entry written for a changing file: %s" % files_under(cache))


def c8_truncated():
    src = os.path.join(FIXTURES, "v1-lossy-client.pcapng")
    if not os.path.exists(src):
        src = small_capture()
    d = tmpdir("cut")
    path = os.path.join(d, "cut" + os.path.splitext(src)[1])
    data = open(src, "rb").read()
    open(path, "wb").write(data[:len(data) * 6 // 10 + 7])
    cache = os.path.join(d, "cache")
    log = os.path.join(d, "tshark.log")
    env = {"MPTCPANALYZER_TSHARK": logging_tshark(log)}
    a = run(["--cache-dir", cache, "--json", "list-tcp", path], env=env)
    expect(a.rc == 0, a.describe())
    expect("cut short" in a.err, "no 'cut short' warning: %r" % a.err[:300])
    n1 = len(loads_in(log))
    b = run(["--cache-dir", cache, "--json", "list-tcp", path], env=env)
    expect(b.rc == 0 and b.out == a.out, "second run: %s" % b.describe())
    expect(len(loads_in(log)) == n1, "second run did not come from the cache")
    expect(b.err == a.err, "second run stderr %r, first %r" % (b.err[:300], a.err[:300]))


# ---------------------------------------------------------------------------
# 9. tcp-summary --full handshake times and list-mptcp signals, vs tshark

def c9_handshake(path):
    """syn/synack/ack/first FIN/RST times of every stream = tshark's."""
    cmd = ["tshark", "-r", path, "-Y", NOT_ICMP, "-T", "fields", "-E", "separator=/t",
           "-e", "tcp.stream", "-e", "frame.time_epoch", "-e", "tcp.flags",
           "-e", "tcp.srcport", "-e", "ip.src", "-e", "ipv6.src"]
    rows = subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()
    pk = {}
    for line in rows:
        f = line.split("\t")
        if f[0]:
            pk.setdefault(int(f[0]), []).append(
                (float(f[1]), int(f[2], 16), int(f[3]), f[4] or f[5]))
    for stream, ps in sorted(pk.items())[:12]:
        doc = tool_json("tcp-summary", path, str(stream), "--full")
        h, td = doc["handshake"], doc["teardown"]
        client = (doc["connection"]["client_ip"], doc["connection"]["client_port"])
        syn = next((t for t, fl, sp, ip in ps if fl & 0x12 == 0x02), None)
        synack = next((t for t, fl, sp, ip in ps if fl & 0x12 == 0x12), None)
        ack = None
        if synack is not None:
            ack = next((t for t, fl, sp, ip in ps if t >= synack and fl & 0x12 == 0x10
                        and (ip, sp) == client), None)
        fin = next((t for t, fl, sp, ip in ps if fl & 0x01), None)
        rst = next((t for t, fl, sp, ip in ps if fl & 0x04), None)
        for name, want, got in [("syn_time", syn, h["syn_time"]),
                                ("synack_time", synack, h["synack_time"]),
                                ("ack_time", ack, h["ack_time"]),
                                ("first_fin_time", fin, td["first_fin_time"]),
                                ("rst_time", rst, td["rst_time"])]:
            expect((want is None) == (got is None) and
                   (want is None or abs(want - got) < 1e-6),
                   "tcp.stream %d %s: tool %r, tshark %r" % (stream, name, got, want))
        if syn is not None and synack is not None:
            expect(abs(h["syn_to_synack_s"] - (synack - syn)) < 1e-6,
                   "tcp.stream %d syn_to_synack_s" % stream)


SIGNAL_SUBTYPES = {3: "ADD_ADDR", 4: "REMOVE_ADDR", 5: "MP_PRIO", 6: "MP_FAIL",
                   7: "MP_FASTCLOSE", 8: "MP_TCPRST"}


def c9_signals(path):
    """per connection, the signals listed = tshark's MPTCP option subtypes
    3-8 on its subflows (frame numbers and option names)."""
    cmd = ["tshark", "-r", path, "-Y", NOT_ICMP, "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number",
           "-e", "tcp.stream", "-e", "tcp.options.mptcp.subtype"]
    want_by_stream = {}
    for line in subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines():
        f = line.split("\t")
        if len(f) < 3 or not f[1] or not f[2]:
            continue
        for st in f[2].split(","):
            if int(st) in SIGNAL_SUBTYPES:
                want_by_stream.setdefault(int(f[1]), []).append(
                    (int(f[0]), SIGNAL_SUBTYPES[int(st)]))
    doc = tool_json("list-mptcp", path)
    for c in doc["mptcp_connections"]:
        streams = {sf["tcp_stream"] for sf in c["subflows"]}
        want = sorted(x for s in streams for x in want_by_stream.get(s, []))
        got = sorted((e["frame"], e["option"]) for e in c["signals"])
        expect(got == want, "mptcp.stream %d: tool %s, tshark %s"
               % (c["mptcp_stream"], got[:10], want[:10]))


# ---------------------------------------------------------------------------

def main():
    if not T.start("summaries"):
        return 1
    try:
        if not os.path.isdir(CAPS):
            print("# %s absent: checks on the sample captures are skipped" % CAPS)
        for tf, path, want, midway in truth_cases():
            check("1 %s: application bytes = truth, subflows add up, unattributed 0"
                  % os.path.basename(path), c1_app_bytes, tf, path, want, midway)
        mcaps = sample("client_2.pcap") + sample("server_2.pcap") + fixture_captures()
        for path in mcaps:
            check("2 %s: mptcp-summary throughput_bytes = tshark tcp.len per subflow/direction"
                  % os.path.basename(path), c2_throughput, path)
        for path in T.all_captures():
            check("3 %s: tcp-summary = tshark (packets, payload, unique, rates)"
                  % os.path.basename(path), c3_tcp_summary, path)
        for name in ("client_2.pcap", "server_2.pcap"):
            check("4 %s: throughput = tshark sum, application = tshark DSN range, "
                  "subflows add up" % name,
                  c4_dsn_range, name)
        for path in T.all_captures():
            check("9 %s: tcp-summary --full handshake and teardown times = tshark"
                  % os.path.basename(path), c9_handshake, path)
        for path in mcaps:
            check("9 %s: list-mptcp signals = tshark's ADD_ADDR..MP_TCPRST options"
                  % os.path.basename(path), c9_signals, path)
        for path in sample("client_2.pcap") + fixture_captures():
            check("5 %s: list-reinjections vs Wireshark reinjection_of, explained"
                  % os.path.basename(path), c5_reinjections, path)
        check("6 mptcp-summary: no wrap-around, empty subflows zero, units", c6_no_wrap)
        for name, fn in [
            ("7 cache: first run writes exactly one entry", c7_first_run_one_entry),
            ("7 cache: second run identical, no tshark load", c7_second_run_identical),
            ("7 cache: second run starts no tshark at all, not even --version", c7_second_run_no_tshark),
            ("7 cache: touched capture misses", c7_touch_misses),
            ("7 cache: capture copied elsewhere misses", c7_copy_misses),
            ("7 cache: truncated entry discarded with a warning, rebuilt", corrupt_case("truncated")),
            ("7 cache: bit-flipped entry discarded with a warning, rebuilt", corrupt_case("bitflip")),
            ("7 cache: --no-cache writes nothing", c7_no_cache_writes_nothing),
            ("7 cache: clean-cache empties the folder", c7_clean_cache),
            ("7 cache: folder that cannot be created -> works, one warning", c7_bad_cache_dir),
            ("7 cache: bad inputs leave the cache empty", c7_bad_inputs_leave_no_entry),
            ("8 2 GB sparse non-capture rejected fast, nothing cached", c8_sparse_2g),
            ("8 capture unlinked while being read", c8_disappearing),
            ("8 capture growing while being read", c8_growing),
            ("8 truncated capture: 'cut short' warning, also from the cache", c8_truncated),
        ]:
            check(name, fn)
    finally:
        status = T.finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
