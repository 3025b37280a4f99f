#!/usr/bin/python3
"""Checks on the ground truth of the two-capture fixtures, before any tool
command relies on it: real pairs made by scripts/make-captures (drops the
router counted between the captures, client/server stream map, NAT, clock)
and crafted pairs made by scripts/craft-captures (every delay, loss and
capture miss chosen by the generator). Each check recomputes the truth
from tshark's own field export of the files, here, in Python: packets are
matched across the two captures on their raw TCP fields (ISNs of their
connection, direction, flags, raw seq and ack, length, TCP timestamps),
which a NAT does not change. No tool command is run.

Usage: tests/integration_captures.py [BINARY]   (the binary is not used)
Prints `ok - ...` / `not ok - ...` / `# ...` lines, then
`# SUMMARY PASSED FAILED SKIPPED`. Python stdlib only.
"""
import filecmp
import glob
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration as T  # noqa: E402
from integration import Skip, expect, check  # noqa: E402

REPO, FIXTURES, LABEL = T.REPO, T.FIXTURES, T.LABEL
TMP = os.path.join(REPO, "tests", "tmp", "captures-%s-%d" % (LABEL, os.getpid()))
T.TMP = TMP
M32 = 1 << 32
M64 = 1 << 64

FIELDS = ["frame.number", "frame.time_epoch", "tcp.stream", "ip.src", "ip.dst",
          "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "tcp.flags",
          "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.options.timestamp.tsval",
          "tcp.options.timestamp.tsecr", "mptcp.stream", "tcp.options.mptcp.subtype",
          "tcp.options.mptcp.rawdataseqno", "tcp.options.mptcp.subflowseqno",
          "tcp.options.mptcp.datalvllen", "icmp.type", "icmp.code"]


class P:
    """one row of tshark's export; time in integer nanoseconds"""
    __slots__ = ["frame", "ns", "stream", "src", "dst", "flags", "seq", "ack", "len",
                 "tsval", "tsecr", "mstream", "subtypes", "dss", "icmp", "icmp_code"]


def first(v):
    return v.split(",")[0] if v else ""


def last(v):
    return v.split(",")[-1] if v else ""


def epoch_ns(s):
    sec, _, frac = s.partition(".")
    return int(sec) * 10 ** 9 + int((frac + "000000000")[:9])


_export = {}


def export(path):
    """every row of tshark's export of path (cached). An ICMP error's row
    carries the TCP header it quotes: icmp is set, and it is no TCP packet."""
    if path in _export:
        return _export[path]
    if not os.path.exists(path):
        raise Skip("%s absent" % path)
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
           "-E", "aggregator=,", "-E", "quote=n"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=T.TIMEOUT).stdout
    rows = []
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) != len(FIELDS):
            continue
        p = P()
        p.frame, p.ns = int(f[0]), epoch_ns(f[1])
        p.icmp = int(first(f[20])) if f[20] else None
        p.icmp_code = int(first(f[21])) if f[21] else None
        p.stream = int(last(f[2])) if f[2] else None
        p.src = (last(f[3]) or last(f[5]), int(last(f[7]) or 0))
        p.dst = (last(f[4]) or last(f[6]), int(last(f[8]) or 0))
        p.flags = int(last(f[9]), 16) if f[9] else 0
        p.seq, p.ack = int(last(f[10]) or 0), int(last(f[11]) or 0)
        p.len = int(last(f[12]) or 0)
        p.tsval, p.tsecr = last(f[13]), last(f[14])
        p.mstream = int(first(f[15])) if f[15] else None
        p.subtypes = [int(x) for x in f[16].split(",") if x] if f[16] else []
        p.dss = None
        if f[17] and f[18] and f[19]:
            p.dss = (int(first(f[17])), int(first(f[18])), int(first(f[19])))
        rows.append(p)
    _export[path] = rows
    return rows


def tcp_rows(path):
    return [p for p in export(path) if p.icmp is None and p.stream is not None]


_streams = {}


def streams(path):
    """{tcp.stream: {"isn": (SYN seq, SYN/ACK seq), "client": SYN sender,
    "server": SYN receiver, "pk": [rows]}}"""
    if path not in _streams:
        st = {}
        for p in tcp_rows(path):
            s = st.setdefault(p.stream, {"syn": None, "synack": None, "client": None,
                                         "server": None, "pk": [], "mptcp": set()})
            if p.flags & 0x12 == 0x02 and s["syn"] is None:
                s["syn"], s["client"], s["server"] = p.seq, p.src, p.dst
            elif p.flags & 0x12 == 0x12 and s["synack"] is None:
                s["synack"] = p.seq
            if p.mstream is not None:
                s["mptcp"].add(p.mstream)
            s["pk"].append(p)
        for s in st.values():
            s["isn"] = (s["syn"], s["synack"])
        _streams[path] = st
    return _streams[path]


def isn_map(cpath, spath):
    """client tcp.stream -> server tcp.stream, paired by ISNs, computed here"""
    cs, ss = streams(cpath), streams(spath)
    by_isn = {s["isn"]: k for k, s in ss.items() if s["syn"] is not None}
    return {k: by_isn[s["isn"]] for k, s in cs.items()
            if s["syn"] is not None and s["isn"] in by_isn}


def to_server(s, p):
    return p.src == s["client"]


def identity(s, p):
    """what a packet keeps across the path, NAT or not"""
    return (s["isn"], to_server(s, p), p.flags, p.seq, p.ack, p.len, p.tsval, p.tsecr)


def by_identity(path):
    out = {}
    for k, s in streams(path).items():
        if s["syn"] is None:
            continue
        for p in s["pk"]:
            out.setdefault(identity(s, p), []).append((k, p))
    return out


def paths_of(truth):
    return {x: truth["captures"][x] and os.path.join(FIXTURES, truth["captures"][x])
            for x in ("client", "server")}


def real_pairs():
    out = []
    for tf in sorted(glob.glob(os.path.join(FIXTURES, "*.truth.json"))):
        t = json.load(open(tf))
        if "network_drops" in t and "scenario" in t:
            out.append((tf, t))
    return out


def crafted_pairs():
    out = []
    for tf in sorted(glob.glob(os.path.join(FIXTURES, "crafted-pair-*.truth.json"))):
        t = json.load(open(tf))
        if t.get("kind") == "pair":
            out.append((tf, t))
    return out


# ---------------------------------------------------------------------------
# 1. stream map (both kinds of pairs)

def c1_stream_map(truth):
    paths = paths_of(truth)
    cs, ss = streams(paths["client"]), streams(paths["server"])
    got = isn_map(paths["client"], paths["server"])
    sm = truth["stream_map"]
    want = {x["client_tcp_stream"]: x["server_tcp_stream"] for x in sm["tcp"]}
    expect(got == want, "ISN pairing %s, truth %s" % (sorted(got.items()), sorted(want.items())))
    expect(sorted(set(cs) - set(got)) == sm["client_only_tcp_streams"],
           "client-only streams %s, truth %s" % (sorted(set(cs) - set(got)), sm["client_only_tcp_streams"]))
    expect(sorted(set(ss) - set(got.values())) == sm["server_only_tcp_streams"],
           "server-only streams %s, truth %s" % (sorted(set(ss) - set(got.values())), sm["server_only_tcp_streams"]))
    for x in sm["tcp"]:
        for side, st in (("client", cs[x["client_tcp_stream"]]), ("server", ss[x["server_tcp_stream"]])):
            w = x["at_" + side]
            have = ((w["client"]["addr"], w["client"]["port"]), (w["server"]["addr"], w["server"]["port"]))
            expect(have == (st["client"], st["server"]), "%s tcp.stream: truth 4-tuple %s, SYN %s"
                   % (side, have, (st["client"], st["server"])))
    # MPTCP: the paired subflows' connections pair one to one, with equal keys
    if "mptcp" in sm:
        ck, sk = T.tshark_mptcp(paths["client"]), T.tshark_mptcp(paths["server"])
        pairs = {}
        for c, s in got.items():
            if cs[c]["mptcp"] or ss[s]["mptcp"]:
                expect(len(cs[c]["mptcp"]) == 1 and len(ss[s]["mptcp"]) == 1,
                       "tcp.stream %d/%d: mptcp.streams %s / %s" % (c, s, cs[c]["mptcp"], ss[s]["mptcp"]))
                m, n = min(cs[c]["mptcp"]), min(ss[s]["mptcp"])
                expect(pairs.setdefault(m, n) == n, "mptcp.stream %d maps to %d and %d" % (m, pairs[m], n))
        want = {x["client_mptcp_stream"]: x["server_mptcp_stream"] for x in sm["mptcp"]}
        expect(pairs == want, "mptcp pairing %s, truth %s" % (pairs, want))
        for m, n in pairs.items():
            keys = ((ck[m]["client_key"], ck[m]["server_key"]), (sk[n]["client_key"], sk[n]["server_key"]))
            expect(keys[0] == keys[1] and None not in keys[0],
                   "mptcp.stream %d/%d: keys differ %s" % (m, n, keys))
    print("# %s: %d tcp streams paired by ISN, client only %s, server only %s"
          % (truth.get("scenario") or truth["case"], len(got), sm["client_only_tcp_streams"],
             sm["server_only_tcp_streams"]), flush=True)


# ---------------------------------------------------------------------------
# 2. real pairs: drops between the captures = router counters; NAT; clock

def real_match(truth):
    """packets per direction: sent (sender capture), lost (in the sender's,
    not the receiver's), extra (in the receiver's only), delays in ns of the
    packets present once on each side, per path"""
    paths = paths_of(truth)
    ci, si = by_identity(paths["client"]), by_identity(paths["server"])
    st = {"client": streams(paths["client"]), "server": streams(paths["server"])}
    res = {d: {"lost": 0, "extra": 0, "delays": [], "per_path": {}} for d in ("to_server", "to_client")}
    for key in set(ci) | set(si):
        d = "to_server" if key[1] else "to_client"
        snd, rcv = (ci, si) if key[1] else (si, ci)
        a, b = snd.get(key, []), rcv.get(key, [])
        if len(a) > len(b):
            res[d]["lost"] += len(a) - len(b)
            # path i: the subflow's client is 10.1.i.1, or 10.2.i.254 behind the NAT
            client = st["client" if key[1] else "server"][a[0][0]]["client"][0]
            path = int(client.split(".")[2])
            res[d]["per_path"][path] = res[d]["per_path"].get(path, 0) + len(a) - len(b)
        elif len(b) > len(a):
            res[d]["extra"] += len(b) - len(a)
        if len(a) == 1 and len(b) == 1:
            res[d]["delays"].append(b[0][1].ns - a[0][1].ns)
    return res


def c2_drops(truth):
    res = real_match(truth)
    nd = truth["network_drops"]
    got = {d: res[d]["lost"] for d in res}
    expect(not any(truth["capture_drops"].values()), "dumpcap dropped packets: %s" % truth["capture_drops"])
    expect(got == nd, "packets in the sender's capture only %s, router counters %s" % (got, nd))
    extra = {d: res[d]["extra"] for d in res}
    expect(extra == {"to_server": 0, "to_client": 0}, "packets in the receiver's capture only: %s" % extra)
    # per path: subflows keep their path end to end on this testbed
    for d in ("to_server", "to_client"):
        for pp in truth["network_drops_per_path"]:
            want = pp[d]["total"]
            parts = sum(v for k, v in pp[d].items() if k != "total")
            expect(parts == want, "path %d %s: parts add up to %d, total %d" % (pp["path"], d, parts, want))
            have = res[d]["per_path"].get(pp["path"], 0)
            expect(have == want, "path %d %s: %d lost by matching, %d counted" % (pp["path"], d, have, want))
        expect(sum(pp[d]["total"] for pp in truth["network_drops_per_path"]) == nd[d],
               "%s: per-path totals do not add up to %d" % (d, nd[d]))
    print("# %s: lost between the captures to_server %d to_client %d (router counters agree)"
          % (truth["scenario"], got["to_server"], got["to_client"]), flush=True)


def c2_delays(truth):
    expect(truth.get("shared_clock") is True, "shared_clock not true")
    res = real_match(truth)
    for d in ("to_server", "to_client"):
        ds = sorted(res[d]["delays"])
        expect(len(ds) > 10, "%s: only %d packets matched once on each side" % (d, len(ds)))
        neg = [x for x in ds if x < 0]
        expect(not neg, "%s: %d negative one-way delays on a shared clock, min %d ns" % (d, len(neg), ds[0]))
        print("# %s %s: %d delays, min %.6f median %.6f max %.6f s" % (
            truth["scenario"], d, len(ds), ds[0] / 1e9, statistics.median(ds) / 1e9, ds[-1] / 1e9),
            flush=True)


def c2_nat(truth):
    kinds = {p["id"]: p.get("nat", "none") for p in truth["paths"]}
    seen = {}
    for x in truth["stream_map"]["tcp"]:
        kind = kinds[x["path"]]
        a, b = x["at_client"]["client"], x["at_server"]["client"]
        seen[kind] = seen.get(kind, 0) + 1
        where = "path %d tcp.stream %d/%d" % (x["path"], x["client_tcp_stream"], x["server_tcp_stream"])
        expect(x["at_client"]["server"] == x["at_server"]["server"], "%s: server side rewritten" % where)
        if kind == "none":
            expect(a == b, "%s: no NAT, but %s became %s" % (where, a, b))
        elif kind == "addr":
            expect(a["addr"] != b["addr"] and a["port"] == b["port"], "%s: snat to address only: %s -> %s"
                   % (where, a, b))
        elif kind == "addrport":
            expect(a["addr"] != b["addr"] and a["port"] != b["port"] and 30000 <= b["port"] <= 30999,
                   "%s: masquerade to ports 30000-30999: %s -> %s" % (where, a, b))
    if any(k != "none" for k in kinds.values()):
        expect(all(seen.get(k) for k in set(kinds.values())), "a NAT kind without subflows: %s" % seen)
        print("# %s: subflows per NAT kind %s" % (truth["scenario"], seen), flush=True)


def data_positions(rows, stream_of):
    """{frame: (tcp.stream, data-level start mod 2^32)} of data packets, from
    the DSS mappings the packets carry (latest mapping covering the bytes)"""
    maps, out = {}, {}
    for p in rows:
        if p.stream is None or p.icmp is not None:
            continue
        key = (p.stream, p.src)
        if p.dss and p.dss[2] > 0:
            maps.setdefault(key, []).insert(0, p.dss)
        if p.len == 0:
            continue
        rel = (p.seq - stream_of[p.stream]) % M32     # relative subflow seq
        for raw, ssn, ln in maps.get(key, []):
            if ssn <= rel < ssn + ln:
                out[p.frame] = (p.stream, (raw + rel - ssn) % M32)
                break
    return out


def c2_events(truth):
    """v1-fourpath: the path taken down answers with ICMP network
    unreachable and loses everything sent on it afterwards; the removed
    endpoint is announced (REMOVE_ADDR) and its subflow closed; data first
    sent on those subflows is sent again on the others"""
    events = [e for e in truth.get("events", []) if "action" in e]
    if not events:
        raise Skip("no path events in this scenario")
    paths = paths_of(truth)
    crow, srow = export(paths["client"]), export(paths["server"])
    cs = streams(paths["client"])
    t0 = min(p.ns for p in crow)
    sub_of_path = {x["path"]: x for x in truth["stream_map"]["tcp"]}
    dead = set()
    for e in events:
        p = e["path"]
        at, done = int(round(e["time_start"] * 1e9)), int(round(e["time_end"] * 1e9))
        x = sub_of_path[p]
        dead.add(x["client_tcp_stream"])
        if e["action"] == "path-down":
            icmp = [r for r in crow if r.icmp == 3 and r.icmp_code == 0 and r.stream == x["client_tcp_stream"]]
            expect(icmp, "path %d down: no ICMP network unreachable for its subflow in the client capture" % p)
            expect(all(r.ns >= at for r in icmp), "ICMP before the path went down")
            expect(any(r.icmp == 3 for r in srow), "no ICMP destination unreachable in the server capture")
            s = cs[x["client_tcp_stream"]]
            late = [r for r in s["pk"] if r.ns > done and to_server(s, r)]
            at_srv = by_identity(paths["server"])
            arrived = [r for r in late if identity(s, r) in at_srv]
            expect(late and not arrived, "path %d down at %.3f s: %d packets sent on it later, %d arrived"
                   % (p, (at - t0) / 1e9, len(late), len(arrived)))
            print("# %s: path %d down at %.3f s: %d ICMP errors in the client capture, %d packets sent "
                  "there afterwards, none arrived" % (truth["scenario"], p, (at - t0) / 1e9, len(icmp), len(late)),
                  flush=True)
        elif e["action"] == "endpoint-delete":
            rm = [r for r in crow if 4 in r.subtypes and r.icmp is None]
            expect(rm and all(r.ns >= at for r in rm), "no REMOVE_ADDR after the endpoint was deleted")
            expect(any(4 in r.subtypes for r in srow), "REMOVE_ADDR absent from the server capture")
            end = [r for r in cs[x["client_tcp_stream"]]["pk"] if r.flags & 0x05 and r.ns >= at]
            expect(end, "path %d: its subflow neither FINs nor RSTs after the endpoint went" % p)
            print("# %s: endpoint on path %d deleted at %.3f s: REMOVE_ADDR in frame %d, subflow closed in "
                  "frame %d" % (truth["scenario"], p, (at - t0) / 1e9, rm[0].frame, end[0].frame), flush=True)
    # reinjected from the dead subflows, at each sender
    for side, path, d in (("client", paths["client"], "to_server"), ("server", paths["server"], "to_client")):
        st = streams(path)
        isn = {k: (s["syn"] if d == "to_server" else s["synack"]) for k, s in st.items()}
        rows = [r for r in export(path) if r.stream in st and r.icmp is None and to_server(st[r.stream], r) == (d == "to_server")]
        pos = data_positions(rows, isn)
        dead_here = dead if side == "client" else {sub_of_path[e["path"]]["server_tcp_stream"] for e in events}
        byframe = {r.frame: r for r in rows}
        originals = [(f, s, a) for f, (s, a) in pos.items() if s in dead_here]
        again = 0
        for f, (s, a) in pos.items():
            if s in dead_here:
                continue
            n = byframe[f].len
            if any((a - oa) % M32 < byframe[g].len or (oa - a) % M32 < n
                   for g, _, oa in originals if g < f):
                again += 1
        expect(again > 0, "%s: no data first sent on a dead subflow is sent again on another" % d)
        print("# %s %s: %d packets on live subflows resend data first sent on the dead ones"
              % (truth["scenario"], d, again), flush=True)


# ---------------------------------------------------------------------------
# 3. crafted pairs: every packet, delay, loss and miss as the truth says

def offset_ns(truth):
    return int(round(truth["clock_offset_s"] * 1e6)) * 1000


def crafted_index(truth):
    paths = paths_of(truth)
    return {side: {p.frame: p for p in tcp_rows(paths[side])} for side in ("client", "server")}


def c3_pairs(truth):
    """each (client frame, server frame, delay): same packet (raw fields),
    mapped streams, and time difference = delay +- clock offset, exactly"""
    idx = crafted_index(truth)
    paths = paths_of(truth)
    cs, ss = streams(paths["client"]), streams(paths["server"])
    smap = {x["client_tcp_stream"]: x["server_tcp_stream"] for x in truth["stream_map"]["tcp"]}
    off = offset_ns(truth)
    bad = []
    for x in truth["packet_pairs"]:
        c, s = idx["client"].get(x["client_frame"]), idx["server"].get(x["server_frame"])
        if c is None or s is None:
            bad.append((x, "frame missing"))
            continue
        if smap.get(c.stream) != s.stream or c.stream != x["client_tcp_stream"]:
            bad.append((x, "streams %d/%d" % (c.stream, s.stream)))
            continue
        if identity(cs[c.stream], c) != identity(ss[s.stream], s):
            bad.append((x, "different packets"))
            continue
        d = (s.ns - c.ns - off) if x["direction"] == "to_server" else (c.ns - s.ns + off)
        if d != int(round(x["delay_s"] * 1e6)) * 1000 or (x["direction"] == "to_server") != to_server(cs[c.stream], c):
            bad.append((x, "delay %d ns" % d))
    expect(not bad, "%d of %d pairs wrong: %s" % (len(bad), len(truth["packet_pairs"]), bad[:4]))


def c3_accounting(truth):
    """lost frames have no copy at the receiver, missed ones none at the
    sender, and every frame of each capture is in exactly one list"""
    idx = crafted_index(truth)
    paths = paths_of(truth)
    ci, si = by_identity(paths["client"]), by_identity(paths["server"])
    cs, ss = streams(paths["client"]), streams(paths["server"])
    problems = []
    for x in truth["lost_in_network"]:
        snd = "client" if x["direction"] == "to_server" else "server"
        p = idx[snd].get(x["sender_frame"])
        st = (cs if snd == "client" else ss)
        if p is None:
            problems.append("lost frame %s absent from the %s capture" % (x["sender_frame"], snd))
        elif identity(st[p.stream], p) in (si if snd == "client" else ci):
            problems.append("lost %s frame %d reached the other capture" % (snd, p.frame))
    for x in truth["missed_by_capture"]:
        rcv = "server" if x["direction"] == "to_server" else "client"
        p = idx[rcv].get(x["receiver_frame"])
        st = (cs if rcv == "client" else ss)
        if p is None:
            problems.append("missed frame %s absent from the %s capture" % (x["receiver_frame"], rcv))
        elif identity(st[p.stream], p) in (ci if rcv == "server" else si):
            problems.append("missed %s frame %d is in the sender's capture" % (rcv, p.frame))
    used = {"client": [x["client_frame"] for x in truth["packet_pairs"]],
            "server": [x["server_frame"] for x in truth["packet_pairs"]]}
    for x in truth["lost_in_network"]:
        used["client" if x["direction"] == "to_server" else "server"].append(x["sender_frame"])
    for x in truth["missed_by_capture"]:
        used["server" if x["direction"] == "to_server" else "client"].append(x["receiver_frame"])
    only = set(truth["stream_map"]["server_only_tcp_streams"])
    used["server"] += [f for f, p in idx["server"].items() if p.stream in only]
    for side in ("client", "server"):
        if sorted(used[side]) != sorted(idx[side]):
            problems.append("%s frames accounted %d (distinct %d), in the capture %d" % (
                side, len(used[side]), len(set(used[side])), len(idx[side])))
    expect(not problems, "; ".join(problems[:6]))


def c3_counts(truth):
    """sent / matched / lost / missed and min, median, max delay per
    direction and subflow: recounted by matching the two captures here
    (raw fields), not from the truth's frame lists"""
    paths = paths_of(truth)
    ci, si = by_identity(paths["client"]), by_identity(paths["server"])
    back = {s: c for c, s in isn_map(paths["client"], paths["server"]).items()}
    off = offset_ns(truth)
    got = {}
    for key in set(ci) | set(si):
        d = "to_server" if key[1] else "to_client"
        snd, rcv = (ci, si) if key[1] else (si, ci)
        a, b = snd.get(key, []), rcv.get(key, [])
        expect(len(a) <= 1 and len(b) <= 1, "two identical packets in one capture: %s" % (key,))
        cl = ci[key][0][0] if key in ci else back.get(si[key][0][0])
        if cl is None:
            continue     # a server-only connection
        g = got.setdefault((d, cl), {"sent": 0, "matched": 0, "lost": 0, "missed_by_capture": 0, "d": []})
        g["sent"] += 1
        if a and b:
            g["matched"] += 1
            g["d"].append((b[0][1].ns - a[0][1].ns) + (-off if key[1] else off))
        elif a:
            g["lost"] += 1
        else:
            g["missed_by_capture"] += 1
    problems = []
    for d, dd in truth["directions"].items():
        for sf in dd["subflows"]:
            g = got.get((d, sf["client_tcp_stream"]), {"sent": 0, "matched": 0, "lost": 0,
                                                       "missed_by_capture": 0, "d": []})
            ds = g["d"]
            have = {k: g[k] for k in ("sent", "matched", "lost", "missed_by_capture")}
            have["delay_s"] = {"min": min(ds) / 1e9 if ds else None,
                               "median": statistics.median(ds) / 1e9 if ds else None,
                               "max": max(ds) / 1e9 if ds else None}
            want = {k: sf[k] for k in have}
            if any(have[k] != want[k] for k in ("sent", "matched", "lost", "missed_by_capture")) or \
                    any((have["delay_s"][k] is None) != (want["delay_s"][k] is None) or
                        (want["delay_s"][k] is not None and abs(have["delay_s"][k] - want["delay_s"][k]) > 1e-9)
                        for k in ("min", "median", "max")):
                problems.append("%s tcp.stream %d: captures say %s, truth %s" % (d, sf["client_tcp_stream"], have, want))
        tot = {k: sum(s[k] for s in dd["subflows"]) for k in ("sent", "matched", "lost", "missed_by_capture")}
        if any(tot[k] != dd["total"][k] for k in tot):
            problems.append("%s: totals %s, subflows add up to %s" % (d, dd["total"], tot))
    nd = {d: truth["directions"][d]["total"]["lost"] for d in truth["directions"]}
    if nd != truth["network_drops"]:
        problems.append("network_drops %s, lost totals %s" % (truth["network_drops"], nd))
    expect(not problems, "; ".join(problems[:4]))


def c3_tcp_nat(truth):
    """NAT, a reused 4-tuple and a decoy, as the case promises"""
    paths = paths_of(truth)
    cs, ss = streams(paths["client"]), streams(paths["server"])
    sm = truth["stream_map"]
    nat = [x for x in sm["tcp"] if x["at_client"]["client"] != x["at_server"]["client"]]
    expect(len(nat) >= 2, "fewer than 2 connections NATed: %s" % nat)
    tuples = {}
    for k, s in cs.items():
        tuples.setdefault((s["client"], s["server"]), []).append(k)
    reused = [v for v in tuples.values() if len(v) > 1]
    expect(reused and all(len({cs[k]["isn"] for k in v}) == len(v) for v in reused),
           "no 4-tuple used by two connections with different ISNs: %s" % tuples)
    decoys = sm.get("decoys", [])
    expect(decoys, "no decoy")
    for d in decoys:
        s = ss[d]
        expect(d in sm["server_only_tcp_streams"], "decoy %d is mapped" % d)
        same = [k for k, c in cs.items() if (c["client"], c["server"]) == (s["client"], s["server"])]
        expect(same, "decoy %d shares no 4-tuple with a client connection" % d)
        ids = {identity(s, p) for p in s["pk"]}
        common = [k for k in same for p in cs[k]["pk"] if identity(cs[k], p) in ids]
        expect(not common and all(cs[k]["isn"] != s["isn"] for k in same), "decoy %d shares packets" % d)


def c3_reinjections(truth):
    """verdict and gain of each reinjection, recomputed from the captures'
    arrival times and the packets' own DSS mappings"""
    rs = truth.get("reinjections") or []
    if not rs:
        raise Skip("no reinjection in this pair")
    idx = crafted_index(truth)
    off = offset_ns(truth)
    problems = []
    for r in rs:
        snd, rcv = ("client", "server") if r["direction"] == "to_server" else ("server", "client")
        o, j = idx[snd].get(r["original"]["sender_frame"]), idx[snd].get(r["reinjection"]["sender_frame"])
        if o is None or j is None or o.stream == j.stream or not (o.dss and j.dss):
            problems.append("%s: original/reinjection frames %s" % (r["verdict"], (o and o.frame, j and j.frame)))
            continue
        if not (o.dss[0] < j.dss[0] + j.len and j.dss[0] < o.dss[0] + o.len) or o.frame > j.frame:
            problems.append("%s: frame %d does not resend frame %d's data" % (r["verdict"], j.frame, o.frame))
        idsn = int(truth["connections"][0][("client" if snd == "client" else "server") + "_idsn"], 16)
        if ((j.dss[0] - idsn) % M64, j.len) != (r["dsn"], r["length"]):
            problems.append("%s: frame %d maps DSN %d length %d, truth %d %d" % (
                r["verdict"], j.frame, (j.dss[0] - idsn) % M64, j.len, r["dsn"], r["length"]))

        def arrival(frame):
            p = idx[rcv].get(frame) if frame else None
            return None if p is None else p.ns - (off if rcv == "server" else 0)
        ra = arrival(r["reinjection"]["receiver_frame"])
        oa = arrival(r["original"]["receiver_frame"])
        retr = r.get("original_retransmission")
        if oa is None:
            verdict = "delivered"
            if retr:
                rs_p = idx[snd].get(retr["sender_frame"])
                sent = rs_p.ns - (off if snd == "server" else 0)
                if sent <= ra:
                    problems.append("delivered: retransmitted at the sender before the reinjection arrived")
                oa = arrival(retr["receiver_frame"])
        else:
            verdict = "useful" if ra < oa else "redundant"
        gain = None if oa is None else (oa - ra) / 1e9
        if verdict != r["verdict"] or (gain is None) != (r["gain_s"] is None) or \
                (gain is not None and abs(gain - r["gain_s"]) > 1e-9):
            problems.append("captures say %s gain %s, truth %s %s" % (verdict, gain, r["verdict"], r["gain_s"]))
    kinds = sorted(r["verdict"] for r in rs)
    expect(not problems, "; ".join(problems))
    print("# %s: reinjections %s" % (truth["case"], kinds), flush=True)


def nearest_rank(vals, p):
    total = sum(w for _, w in vals)
    acc = 0
    for v, w in sorted(vals):
        acc += w
        if acc >= p * total:
            return v
    return None


def c3_hol(truth):
    """head-of-line blocking at the receiver, per data-level byte, from the
    receiver capture's arrival times and DSS mappings"""
    if not truth.get("hol"):
        raise Skip("no MPTCP data in this pair")
    paths = paths_of(truth)
    conn = truth["connections"][0]
    problems = []
    for d in ("to_server", "to_client"):
        rcv = "server" if d == "to_server" else "client"
        st = streams(paths[rcv])
        back = {x[rcv + "_tcp_stream"]: x["client_tcp_stream"] for x in truth["stream_map"]["tcp"]}
        idsn = int(conn[("client" if d == "to_server" else "server") + "_idsn"], 16)
        pieces = []
        for k, s in st.items():
            for p in s["pk"]:
                if p.len and p.dss and to_server(s, p) == (d == "to_server"):
                    rel = (p.dss[0] - idsn - 1) % M64
                    pieces.append((rel, rel + p.len, p.ns, back[k]))
        cuts = sorted({x for p in pieces for x in p[:2]})
        ready, total, per = 0, [], {}
        expect(cuts and cuts[0] == 0, "%s: data does not start at IDSN + 1" % d)
        for a, b in zip(cuts, cuts[1:]):
            cover = [p for p in pieces if p[0] <= a and b <= p[1]]
            expect(cover, "%s: data bytes %d-%d never arrive" % (d, a, b))
            t, sf = min((p[2], p[3]) for p in cover)
            ready = max(ready, t)
            total.append(((ready - t) // 1000, b - a))
            per.setdefault(sf, []).append(total[-1])

        def summ(vals):
            return {"bytes": sum(w for _, w in vals), "median_s": nearest_rank(vals, 0.5) / 1e6,
                    "p95_s": nearest_rank(vals, 0.95) / 1e6, "max_s": max(v for v, _ in vals) / 1e6}
        want = truth["hol"][d]
        have = {"total": summ(total),
                "subflows": [dict(client_tcp_stream=k, **summ(v)) for k, v in sorted(per.items())]}
        if have != want:
            problems.append("%s: captures say %s, truth %s" % (d, have, want))
        else:
            print("# %s %s: head-of-line blocking median %.6f p95 %.6f max %.6f s over %d bytes" % (
                truth["case"], d, have["total"]["median_s"], have["total"]["p95_s"],
                have["total"]["max_s"], have["total"]["bytes"]), flush=True)
    expect(not problems, "; ".join(problems))


def c3_connections(truth):
    """keys, tokens and application bytes of the truth's connections =
    tshark's MP_CAPABLE keys and the data-level ranges in both captures"""
    if not truth["connections"]:
        raise Skip("no MPTCP connection in this pair")
    paths = paths_of(truth)
    for side in ("client", "server"):
        ts = T.tshark_mptcp(paths[side])
        for c in truth["connections"]:
            keys = [(m["client_key"], m["server_key"]) for m in ts.values()]
            want = (int(c["client_key"], 16), int(c["server_key"], 16))
            expect(want in keys, "%s capture: keys %s not among %s" % (side, want, keys))
            for who, key in (("client", want[0]), ("server", want[1])):
                h = __import__("hashlib").sha256(key.to_bytes(8, "big")).digest()
                expect("%08x" % int.from_bytes(h[:4], "big") == c[who + "_token"] and
                       "%016x" % int.from_bytes(h[-8:], "big") == c[who + "_idsn"],
                       "%s token/IDSN do not follow from the key" % who)
        # application bytes: the data-level span the packets' mappings cover
        st = streams(paths[side])
        for d, who in (("to_server", "client"), ("to_client", "server")):
            idsn = int(truth["connections"][0][who + "_idsn"], 16)
            ends = [((p.dss[0] - idsn - 1) % M64) + p.len for s in st.values() for p in s["pk"]
                    if p.len and p.dss and to_server(s, p) == (d == "to_server")]
            want = truth["connections"][0][who + "_bytes_sent"]
            expect(max(ends) == want, "%s capture %s: data ends at %d, truth %d bytes" % (side, d, max(ends), want))


def c3_reproducible():
    """scripts/craft-captures writes the committed pair files again, byte
    for byte (so the truth is the script's, not edited by hand)"""
    pairs = crafted_pairs()
    if not pairs:
        raise Skip("no crafted pair in %s" % FIXTURES)
    out = os.path.join(TMP, "craft")
    os.makedirs(out, exist_ok=True)
    names = [t["case"] for _, t in pairs]
    r = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "craft-captures"),
                        "--no-check", "--out", out] + names, capture_output=True, text=True,
                       timeout=T.TIMEOUT)
    expect(r.returncode == 0, "craft-captures failed: %s" % r.stderr[-400:])
    differ = []
    for tf, t in pairs:
        for f in [os.path.basename(tf)] + list(t["captures"].values()):
            if not filecmp.cmp(os.path.join(out, f), os.path.join(FIXTURES, f), shallow=False):
                differ.append(f)
    expect(not differ, "regenerated files differ: %s" % differ)


# ---------------------------------------------------------------------------

def main():
    os.makedirs(TMP, exist_ok=True)
    try:
        reals, crafted = real_pairs(), crafted_pairs()
        if not reals and not crafted:
            check("two-capture fixtures", lambda: (_ for _ in ()).throw(Skip("none in %s" % FIXTURES)))
        for tf, t in reals:
            n = t["scenario"]
            check("1 %s: client/server tcp.stream map = ISN pairing, 4-tuples, MPTCP keys" % n, c1_stream_map, t)
            check("2 %s: packets lost between the captures = router drop counters, per direction and path"
                  % n, c2_drops, t)
            check("2 %s: one clock, every one-way delay >= 0" % n, c2_delays, t)
            check("2 %s: NAT rewrote exactly the paths the truth names" % n, c2_nat, t)
            if t.get("events"):
                check("2 %s: path down (ICMP, losses), endpoint removed (REMOVE_ADDR), data resent"
                      % n, c2_events, t)
        for tf, t in crafted:
            n = t["case"]
            check("3 %s: client/server tcp.stream map = ISN pairing, 4-tuples, MPTCP keys" % n, c1_stream_map, t)
            check("3 %s: packet pairs: same packet, stated delay (+- clock offset) exactly" % n, c3_pairs, t)
            check("3 %s: lost / missed frames absent on the other side; every frame accounted" % n,
                  c3_accounting, t)
            check("3 %s: sent/matched/lost/missed and delay min/median/max recounted" % n, c3_counts, t)
            if t["connections"]:
                check("3 %s: keys, tokens, IDSNs, application bytes" % n, c3_connections, t)
                check("3 %s: head-of-line blocking recomputed from the receiver capture" % n, c3_hol, t)
            if t.get("reinjections"):
                check("3 %s: reinjection verdicts and gains from arrival times" % n, c3_reinjections, t)
            if t["stream_map"].get("decoys"):
                check("3 %s: NAT, reused 4-tuple, decoy with no packet in common" % n, c3_tcp_nat, t)
        check("3 crafted pairs: scripts/craft-captures reproduces them byte for byte", c3_reproducible)
    finally:
        status = T.finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
