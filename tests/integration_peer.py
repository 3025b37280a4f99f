#!/usr/bin/python3
"""Integration suite: both ends of a connection. map-tcp, map-mptcp, owd,
qualify-reinjections and mptcp-summary --peer on pairs of captures.

Expected values, all independent of the tool:
- the crafted pairs' truth (scripts/craft-captures drew every delay, loss
  and capture miss, and computed verdicts and head-of-line blocking from
  its own model);
- the real paired fixtures' truth (scripts/make-captures: the router's own
  drop counters, and the stream map from the SYN ISNs);
- for the published client_1/server_1 pair, a matcher written here on
  tshark's raw fields (sequence, acknowledgement, length, flags, TSval);
- a capture whose clock is shifted with editcap -t.

Usage: MPTCPANALYZER_BIN=build/asan/mptcpanalyzer tests/integration_peer.py
Python stdlib only; prints ok/not ok lines and "# SUMMARY P F S".
"""
import json
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration as T  # noqa: E402
from integration import Skip, expect, check, run  # noqa: E402

REPO, CAPS, FIXTURES, LABEL = T.REPO, T.CAPS, T.FIXTURES, T.LABEL
TMP = os.path.join(REPO, "tests", "tmp", "peer-%s-%d" % (LABEL, os.getpid()))
T.TMP = TMP
US = 1e-6                   # crafted times are exact to the microsecond


def truth(case):
    return json.load(open(T.fixture(case + ".truth.json")))


def pair_files(case):
    t = truth(case)
    return t, {side: T.fixture(t["captures"][side]) for side in ("client", "server")}


def tool(*args):
    r = run(["-q", "--json"] + list(args))
    expect(r.rc == 0, "%s: %s" % (" ".join(args[:4]), r.describe()))
    return json.loads(r.out)


def fails(args, *words):
    r = run(["-q"] + list(args))
    lines = [line for line in r.err.splitlines() if line.strip()]
    expect(r.rc != 0 and r.out == "", "%s: exit %d, stdout %r" % (args[0], r.rc, r.out[:200]))
    expect(len(lines) == 1, "%s: %d lines on stderr: %r" % (args[0], len(lines), r.err[:300]))
    for w in words:
        expect(w in lines[0], "%s: %r does not say %r" % (args[0], lines[0], w))


def close(a, b, tol=US):
    return a is not None and b is not None and abs(a - b) <= tol


ORDERS = (("client", "server"), ("server", "client"))


def stream_of(t, side, client_stream, kind="tcp"):
    """the stream number a capture gives to what the client calls N"""
    if side == "client":
        return client_stream
    for m in t["stream_map"][kind]:
        if m["client_%s_stream" % kind] == client_stream:
            return m["server_%s_stream" % kind]
    return None


def offset_for(t, first):
    """--clock-offset: the second capture's clock minus the first's"""
    off = t.get("clock_offset_s", 0)
    return None if not off else (off if first == "client" else -off)


# ---------------------------------------------------------------------------
# 1. map-tcp and map-mptcp

def p1_map_tcp(case):
    t, files = pair_files(case)
    for first, second in ORDERS:
        for m in t["stream_map"]["tcp"]:
            mine = m["%s_tcp_stream" % first]
            want = m["%s_tcp_stream" % second]
            d = tool("map-tcp", files[first], str(mine), files[second])
            cands = d["candidates"]
            expect(cands and cands[0]["match"] and cands[0]["tcp_stream"] == want,
                   "%s tcp.stream %d: best %s, the truth says %d"
                   % (first, mine, cands[:1], want))
            others = [c["tcp_stream"] for c in cands[1:] if c["match"]]
            expect(not others, "%s tcp.stream %d also matches %s" % (first, mine, others))
            for decoy in t["stream_map"].get("decoys", []):
                if second == "server":
                    bad = [c for c in cands if c["tcp_stream"] == decoy and c["match"]]
                    expect(not bad, "decoy %d matched" % decoy)


def p1_map_mptcp(case):
    t, files = pair_files(case)
    for first, second in ORDERS:
        for m in t["stream_map"].get("mptcp"):
            mine, want = m["%s_mptcp_stream" % first], m["%s_mptcp_stream" % second]
            d = tool("map-mptcp", files[first], str(mine), files[second])
            best = d["candidates"][0]
            expect(best["match"] and best["mptcp_stream"] == want,
                   "%s mptcp.stream %d: best %s, truth %d" % (first, mine, best["mptcp_stream"], want))
            got = {s["tcp_stream"]: s["peer_tcp_stream"] for s in best["subflows"]}
            for s in t["stream_map"]["tcp"]:
                if s.get("%s_mptcp_stream" % first, s.get("mptcp")) != mine and "client_mptcp_stream" in s:
                    continue
                a, b = s["%s_tcp_stream" % first], s["%s_tcp_stream" % second]
                if a in got:
                    expect(got[a] == b, "%s tcp.stream %d paired with %s, truth %d"
                           % (first, a, got[a], b))
            only = t["stream_map"].get("%s_only_tcp_streams" % first, [])
            for a in only:
                if a in got:
                    expect(got[a] is None, "%s-only tcp.stream %d paired with %s"
                           % (first, a, got[a]))
            peers = [v for v in got.values() if v is not None]
            expect(len(peers) == len(set(peers)), "subflows paired many to one: %s" % got)


def p1_published_map():
    c2, s2 = (os.path.join(CAPS, n) for n in ("client_2.pcap", "server_2.pcap"))
    if not os.path.exists(c2):
        raise Skip("%s absent" % CAPS)
    ca = {m["mptcp_stream"]: m for m in tool("list-mptcp", c2)["mptcp_connections"]}
    sa = {m["mptcp_stream"]: m for m in tool("list-mptcp", s2)["mptcp_connections"]}
    by_keys = {(m["client_key"], m["server_key"]): n for n, m in sa.items()}
    isn = {side: syn_isns(p) for side, p in (("c", c2), ("s", s2))}
    for n, m in ca.items():
        d = tool("map-mptcp", c2, str(n), s2)
        best = d["candidates"][0]
        expect(best["mptcp_stream"] == by_keys[(m["client_key"], m["server_key"])],
               "client_2 mptcp.stream %d -> %d, same keys: %s" % (
                   n, best["mptcp_stream"], by_keys[(m["client_key"], m["server_key"])]))
        for s in best["subflows"]:
            a, b = s["tcp_stream"], s["peer_tcp_stream"]
            if b is None:
                expect(isn["c"].get(a) not in isn["s"].values(),
                       "client tcp.stream %d unpaired, but server_2 has its SYN" % a)
            else:
                expect(isn["c"].get(a) == isn["s"].get(b),
                       "client tcp.stream %d paired with %d: SYN ISNs %s / %s"
                       % (a, b, isn["c"].get(a), isn["s"].get(b)))


def syn_isns(path):
    """tcp.stream -> raw ISN of its first SYN (tshark)"""
    out = subprocess.run(["tshark", "-r", path, "-Y", "tcp.flags.syn==1 and tcp.flags.ack==0",
                          "-T", "fields", "-e", "tcp.stream", "-e", "tcp.seq_raw"],
                         capture_output=True, text=True, timeout=120).stdout
    res = {}
    for line in out.splitlines():
        st, seq = line.split("\t")
        res.setdefault(int(st), int(seq))
    return res


# ---------------------------------------------------------------------------
# 2. owd against the crafted truth

def owd_doc(t, files, first, second, kind, stream, *extra):
    args = ["owd"] + (["--tcp"] if kind == "tcp" else [])
    args += [files[first], str(stream), files[second]]
    off = offset_for(t, first)
    if off is not None:
        args += ["--clock-offset", repr(off)]
    return tool(*(args + list(extra)))


def p2_owd(case):
    t, files = pair_files(case)
    kind = "mptcp" if t["stream_map"].get("mptcp") else "tcp"
    problems = []
    for first, second in ORDERS:
        conns = ([m["%s_mptcp_stream" % first] for m in t["stream_map"].get("mptcp")] if kind == "mptcp"
                 else [m["%s_tcp_stream" % first] for m in t["stream_map"]["tcp"]])
        got = {}
        for c in conns:
            d = owd_doc(t, files, first, second, kind, c)
            expect(d["client_side_capture"] == files["client"],
                   "client end %s" % d["client_side_capture"])
            for s in d["subflows"]:
                cs = s["tcp_stream"] if first == "client" else s["peer_tcp_stream"]
                for D in s["directions"]:
                    got[(cs, D["towards"])] = D
        for name, dd in t["directions"].items():
            towards = name[3:]
            for s in dd["subflows"]:
                g = got.get((s["client_tcp_stream"], towards))
                if g is None:
                    problems.append("%s first: no subflow %d towards %s" % (first, s["client_tcp_stream"], towards))
                    continue
                for k in ("sent", "matched", "lost", "missed_by_capture"):
                    if g[k] != s[k]:
                        problems.append("%s first, tcp.stream %d towards %s: %s %d, truth %d"
                                        % (first, s["client_tcp_stream"], towards, k, g[k], s[k]))
                for k in ("min", "median", "max"):
                    w = s["delay_s"][k] if s["matched"] else None
                    if (w is None) != (g[k + "_s"] is None) or (w is not None and not close(g[k + "_s"], w)):
                        problems.append("%s first, tcp.stream %d towards %s: %s %s, truth %s"
                                        % (first, s["client_tcp_stream"], towards, k, g[k + "_s"], w))
    expect(not problems, "; ".join(problems[:6]))


def p2_packets(case):
    """owd --packets: every pair of frames, with the drawn delay"""
    t, files = pair_files(case)
    kind = "mptcp" if t["stream_map"].get("mptcp") else "tcp"
    want = {(p["client_frame"], p["server_frame"]): p["delay_s"] for p in t["packet_pairs"]}
    for first, second in ORDERS:
        got = {}
        conns = ([m["%s_mptcp_stream" % first] for m in t["stream_map"].get("mptcp")] if kind == "mptcp"
                 else [m["%s_tcp_stream" % first] for m in t["stream_map"]["tcp"]])
        for c in conns:
            d = owd_doc(t, files, first, second, kind, c, "--packets")
            for s in d["subflows"]:
                for D in s["directions"]:
                    for p in D["packets"]:
                        cf, sf = ((p["frame"], p["peer_frame"]) if first == "client"
                                  else (p["peer_frame"], p["frame"]))
                        if p["owd_s"] is not None:
                            got[(cf, sf)] = p["owd_s"]
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        expect(not missing and not extra, "%s first: pairs missing %s, extra %s"
               % (first, missing[:5], extra[:5]))
        bad = [(k, got[k], want[k]) for k in want if not close(got[k], want[k])]
        expect(not bad, "%s first: delays differ %s" % (first, bad[:5]))


def p2_far_clock():
    t, files = pair_files("crafted-pair-clock-far")
    ms = str(t["stream_map"].get("mptcp")[0]["client_mptcp_stream"])
    fails(["owd", files["client"], ms, files["server"]], "--clock-offset")
    fails(["mptcp-summary", files["client"], ms, "--peer", files["server"]], "--clock-offset")
    fails(["qualify-reinjections", files["server"], ms, files["client"]], "--clock-offset")


# ---------------------------------------------------------------------------
# 3. real captures: losses = the router's drops, delays >= 0, clock shift

def connections(path):
    return [m["mptcp_stream"] for m in tool("list-mptcp", path)["mptcp_connections"]]


def p3_drops(case):
    t, files = pair_files(case)
    if not t.get("shared_clock"):
        raise Skip("no shared clock")
    for first, second in ORDERS:
        lost = {"server": 0, "client": 0}
        negative = []
        for m in connections(files[first]):
            d = tool("owd", files[first], str(m), files[second])
            for s in d["subflows"]:
                for D in s["directions"]:
                    lost[D["towards"]] += D["lost"]
                    if D["min_s"] is not None and D["min_s"] < 0:
                        negative.append((s["tcp_stream"], D["towards"], D["min_s"]))
            expect(d["negative_delays"] == 0, "%d negative delays" % d["negative_delays"])
        want = t["network_drops"]
        expect(lost["server"] == want["to_server"] and lost["client"] == want["to_client"],
               "%s first: lost in the network %s, the router dropped %s" % (first, lost, want))
        expect(not negative, "negative delays on one clock: %s" % negative[:4])


def p3_summary_peer(case):
    """mptcp-summary --peer: lost packets = drops; delivered per subflow =
    the receiver capture's own figures; sent = the sender's own"""
    t, files = pair_files(case)
    own = {}
    for side in ("client", "server"):
        for m in connections(files[side]):
            d = tool("mptcp-summary", files[side], str(m))
            for D in d["directions"]:
                for s in D["subflows"]:
                    own[(side, m, D["towards"], s["tcp_stream"])] = s["application_bytes"]
    lost = {"server": 0, "client": 0}
    problems = []
    for m in connections(files["client"]):
        d = tool("mptcp-summary", files["client"], str(m), "--peer", files["server"])
        pm = d["peer_mptcp_stream"]
        for D in d["directions"]:
            lost[D["towards"]] += D["lost_packets"]
            snd, rcv = ("client", "server") if D["towards"] == "server" else ("server", "client")
            for s in D["subflows"]:
                ids = {"client": (m, s["tcp_stream"]), "server": (pm, s["peer_tcp_stream"])}
                for key, side in (("application_bytes_delivered", rcv), ("application_bytes_sent", snd)):
                    if ids[side][1] is None:
                        continue
                    want = own[(side, ids[side][0], D["towards"], ids[side][1])]
                    if s[key] != want:
                        problems.append("%d towards %s tcp.stream %d: %s %d, the %s capture's "
                                        "own %d" % (m, D["towards"], s["tcp_stream"], key,
                                                    s[key], side, want))
            if D["application_bytes_sent"] != D["application_bytes_delivered"]:
                problems.append("%d towards %s: %d sent, %d delivered" % (
                    m, D["towards"], D["application_bytes_sent"], D["application_bytes_delivered"]))
    want = t["network_drops"]
    expect(lost["server"] == want["to_server"] and lost["client"] == want["to_client"],
           "lost %s, the router dropped %s" % (lost, want))
    expect(not problems, "; ".join(problems[:5]))


def delays_of(doc):
    res = {}
    for s in doc["subflows"]:
        for D in s["directions"]:
            for p in D["packets"]:
                res[(s["tcp_stream"], D["towards"], p["frame"], p["peer_frame"])] = p["owd_s"]
    return res


def p3_clock_shift(case, shift):
    """a server clock shifted by editcap -t, and the same --clock-offset,
    give the same delays, whichever capture comes first"""
    t, files = pair_files(case)
    moved = os.path.join(TMP, "shifted-" + os.path.basename(files["server"]))
    subprocess.run(["editcap", "-t", str(shift), files["server"], moved], check=True,
                   capture_output=True)
    for m in connections(files["client"])[:2]:
        base = delays_of(tool("owd", files["client"], str(m), files["server"], "--packets"))
        got = delays_of(tool("owd", files["client"], str(m), moved, "--packets",
                             "--clock-offset", str(shift)))
        expect(set(base) == set(got), "different packets paired after the shift")
        bad = [k for k in base if (base[k] is None) != (got[k] is None) or
               (base[k] is not None and abs(base[k] - got[k]) > 2e-9)]
        expect(not bad, "delays differ after the shift: %s" % bad[:3])
        back = tool("owd", moved, str(m), files["client"], "--packets",
                    "--clock-offset", str(-shift))
        flipped = {(k[0], k[1], k[3], k[2]): v for k, v in delays_of(back).items()}
        expect(len(flipped) == len(base), "reverse order: %d packets, %d" % (len(flipped), len(base)))


def p3_negative_reported():
    """a clock a few seconds off and no --clock-offset: delays as captured,
    the negative ones reported, not clipped"""
    t, files = pair_files("crafted-pair-clock")
    ms = str(t["stream_map"].get("mptcp")[0]["client_mptcp_stream"])
    d = tool("owd", files["client"], ms, files["server"])
    expect(d["timestamps"] == "as captured", d["timestamps"])
    mins = [D["min_s"] for s in d["subflows"] for D in s["directions"] if D["min_s"] is not None]
    expect(d["negative_delays"] > 0 and min(mins) < -1, "negative delays %d, min %s"
           % (d["negative_delays"], min(mins)))
    expect(abs(d["clock_offset_estimate_s"] - t["clock_offset_s"]) < 0.05,
           "offset estimate %s, truth %s" % (d["clock_offset_estimate_s"], t["clock_offset_s"]))
    r = run(["-q", "owd", files["client"], ms, files["server"]])
    expect(r.rc == 0 and "negative" in r.out and "--clock-offset" in r.out, r.describe())


# ---------------------------------------------------------------------------
# 4. the published plain TCP pair, against a matcher written here

def tshark_tcp(path):
    fields = ["frame.number", "frame.time_epoch", "tcp.stream", "tcp.srcport",
              "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.flags", "tcp.options.timestamp.tsval"]
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    rows = []
    for line in out.splitlines():
        v = line.split("\t")
        if len(v) == len(fields) and v[2]:
            rows.append(v)
    return rows


def independent_owd(cpath, spath, stream):
    """per direction: delays of packets matched on raw seq, ack, length,
    flags and TSval (identical copies in order)"""
    c = [r for r in tshark_tcp(cpath) if int(r[2]) == stream]
    port = {r[3] for r in c}
    s = [r for r in tshark_tcp(spath) if r[3] in port]
    res = {}
    for towards in ("server", "client"):
        cli_port = min(port, key=lambda p: int(p) == 5201)   # the client's port
        to_server = lambda r: r[3] == cli_port
        snd, rcv = (c, s) if towards == "server" else (s, c)
        want = to_server if towards == "server" else (lambda r: not to_server(r))
        key = lambda r: tuple(r[4:9])
        queue = {}
        for r in rcv:
            if want(r):
                queue.setdefault(key(r), []).append(float(r[1]))
        delays = []
        for r in snd:
            if want(r) and queue.get(key(r)):
                delays.append(queue[key(r)].pop(0) - float(r[1]))
        res[towards] = delays
    return res


def p4_published_tcp():
    cpath, spath = (os.path.join(CAPS, n) for n in ("client_1_tcp_only.pcap", "server_1_tcp_only.pcap"))
    if not os.path.exists(cpath):
        raise Skip("%s absent" % CAPS)
    for stream in range(4):
        want = independent_owd(cpath, spath, stream)
        d = tool("owd", "--tcp", cpath, str(stream), spath)
        for D in d["subflows"][0]["directions"]:
            w = want[D["towards"]]
            expect(D["matched"] == len(w), "tcp.stream %d towards %s: %d matched, %d here"
                   % (stream, D["towards"], D["matched"], len(w)))
            for k, f in (("min_s", min), ("median_s", statistics.median), ("max_s", max)):
                expect(abs(D[k] - f(w)) < 2e-6, "tcp.stream %d towards %s %s %s, here %s"
                       % (stream, D["towards"], k, D[k], f(w)))
            expect(D["min_s"] > 0.04, "towards %s: min %s (about 50 ms expected)" % (D["towards"], D["min_s"]))


# ---------------------------------------------------------------------------
# 5. qualify-reinjections and head-of-line blocking against the crafted truth

def p5_qualify(case):
    t, files = pair_files(case)
    for first, second in ORDERS:
        ms = str(t["stream_map"].get("mptcp")[0]["%s_mptcp_stream" % first])
        d = tool("qualify-reinjections", files[first], ms, files[second])
        got = {r["frame"]: r for r in d["reinjections"]}
        for w in t["reinjections"]:
            f = w["reinjection"]["sender_frame"]
            g = got.get(f)
            expect(g is not None, "%s first: reinjection frame %d not listed (%s)" % (first, f, sorted(got)))
            expect(g["verdict"] == w["verdict"] and close(g["gain_s"], w["gain_s"]),
                   "%s first: frame %d %s %s, truth %s %s" % (first, f, g["verdict"], g["gain_s"],
                                                                 w["verdict"], w["gain_s"]))
            expect(g["peer_frame"] == w["reinjection"]["receiver_frame"],
                   "frame %d received as %s, truth %s" % (f, g["peer_frame"], w["reinjection"]["receiver_frame"]))
        expect(len(got) == len(t["reinjections"]), "%d reinjections, truth %d" % (len(got), len(t["reinjections"])))
        tot = d["totals"]["connection"]
        for v in ("useful", "redundant", "delivered"):
            expect(tot[v] == sum(1 for w in t["reinjections"] if w["verdict"] == v),
                   "total %s %d" % (v, tot[v]))


def p5_hol(case):
    t, files = pair_files(case)
    for first, second in ORDERS:
        ms = str(t["stream_map"].get("mptcp")[0]["%s_mptcp_stream" % first])
        d = tool("mptcp-summary", files[first], ms, "--peer", files[second])
        for D in d["directions"]:
            w = t["hol"]["to_" + D["towards"]]
            for k in ("median", "p95", "max"):
                expect(close(D["hol_%s_s" % k], w["total"][k + "_s"]),
                       "%s first towards %s: hol %s %s, truth %s" % (
                           first, D["towards"], k, D["hol_%s_s" % k], w["total"][k + "_s"]))
            by_client = {}
            for s in D["subflows"]:
                by_client[s["tcp_stream"] if first == "client" else s["peer_tcp_stream"]] = s
            for ws in w["subflows"]:
                s = by_client[ws["client_tcp_stream"]]
                expect(s["application_bytes_delivered"] == ws["bytes"],
                       "towards %s tcp.stream %d delivered %d, truth %d" % (
                           D["towards"], ws["client_tcp_stream"], s["application_bytes_delivered"], ws["bytes"]))
                for k in ("median", "p95", "max"):
                    expect(close(s["hol_%s_s" % k], ws[k + "_s"]),
                           "towards %s tcp.stream %d hol %s %s, truth %s" % (
                               D["towards"], ws["client_tcp_stream"], k, s["hol_%s_s" % k], ws[k + "_s"]))


def p5_published_qualify():
    c2, s2 = (os.path.join(CAPS, n) for n in ("client_2.pcap", "server_2.pcap"))
    if not os.path.exists(c2):
        raise Skip("%s absent" % CAPS)
    for m in connections(c2):
        listed = [r for r in tool("list-reinjections", c2, str(m))["reinjections"]
                  if r["towards"] == "server"]     # client_2 holds their sender
        d = tool("qualify-reinjections", c2, str(m), s2)
        mine = [r for r in d["reinjections"] if r["sender_capture"] == d["capture"]]
        expect(all(r["towards"] == "server" for r in mine), "client_2 sends only towards the server")
        expect(sorted(r["frame"] for r in mine) == sorted(r["frame"] for r in listed),
               "mptcp.stream %d: qualified %s, listed %s" % (m, [r["frame"] for r in mine],
                                                            [r["frame"] for r in listed]))
        for r in d["reinjections"]:
            expect(r["verdict"] in ("useful", "redundant", "delivered", "lost"), r)
            expect((r["gain_s"] is None) == (r["verdict"] == "lost" or r["gain_s"] is None), r)


# ---------------------------------------------------------------------------
# 6. plots of two captures: their data files = the commands' figures

def plot_data(*args):
    """run plot with --data; the rows of the data file as dicts"""
    out = os.path.join(TMP, "plot-%d.tsv" % len(os.listdir(TMP)))
    png = out[:-4] + ".png"
    r = run(["-q", "plot"] + list(args) + ["-o", png, "--data", out])
    expect(r.rc == 0, "plot %s: %s" % (args[0], r.describe()))
    lines = [l for l in open(out).read().splitlines() if not l.startswith("#")]
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:]]


def p6_plot_owd(case):
    t, files = pair_files(case)
    for m in connections(files["client"])[:1]:
        d = tool("owd", files["client"], str(m), files["server"], "--packets")
        want = {}
        for s in d["subflows"]:
            for D in s["directions"]:
                for p in D["packets"]:
                    if p["owd_s"] is not None:
                        want[(D["towards"], p["frame"], p["peer_frame"])] = p["owd_s"]
        rows = plot_data("owd", files["client"], str(m), files["server"])
        got = {(r["towards"], int(r["frame"]), int(r["peer_frame"])): float(r["owd_s"]) for r in rows}
        expect(set(got) <= set(want), "plotted packets owd does not list: %s" % sorted(set(got) - set(want))[:3])
        bad = [k for k in got if abs(got[k] - want[k]) > 1e-9]
        expect(not bad, "plotted delays differ from owd --packets: %s" % bad[:3])
        expect(len(got) >= min(len(want), 500), "only %d of %d packets plotted" % (len(got), len(want)))


def nearest_rank(rows, p):
    total = sum(w for _, w in rows)
    seen = 0
    for v, w in sorted(rows):
        seen += w
        if seen >= p * total:
            return v


def p6_plot_hol(case):
    t, files = pair_files(case)
    m = connections(files["client"])[0]
    d = tool("mptcp-summary", files["client"], str(m), "--peer", files["server"])
    rows = plot_data("hol", files["client"], str(m), files["server"])
    for D in d["directions"]:
        mine = [(float(r["hol_s"]), int(r["bytes"])) for r in rows if r["towards"] == D["towards"]]
        expect(sum(w for _, w in mine) + D["hol_unreadable_bytes"] == D["application_bytes_delivered"],
               "towards %s: %d bytes plotted, %d delivered" % (
                   D["towards"], sum(w for _, w in mine), D["application_bytes_delivered"]))
        for k, p in (("median", 0.5), ("p95", 0.95)):
            expect(abs(nearest_rank(mine, p) - D["hol_%s_s" % k]) < 1e-9,
                   "towards %s hol %s: plotted %s, summary %s" % (
                       D["towards"], k, nearest_rank(mine, p), D["hol_%s_s" % k]))
        expect(abs(max(v for v, _ in mine) - D["hol_max_s"]) < 1e-9, "hol max")


def p6_plot_verdicts(case):
    t, files = pair_files(case)
    for first, second in ORDERS:
        ms = str(t["stream_map"]["mptcp"][0]["%s_mptcp_stream" % first])
        q = tool("qualify-reinjections", files[first], ms, files[second])
        want = {r["frame"]: r["verdict"] for r in q["reinjections"]
                if r["sender_capture"] == q["capture"]}
        if not want:
            continue
        rows = plot_data("reinjections", files[first], ms, files[second])
        got = {int(r["frame"]): r["series"] for r in rows if r["series"] != "all"}
        expect(got == want, "%s first: plotted verdicts %s, qualify-reinjections %s" % (first, got, want))


def p6_export_peer(case):
    """export --peer read back with the csv module: every packet's copy,
    delay and fate = the crafter's truth, from either capture"""
    import csv
    t, files = pair_files(case)
    pairs = {(p["client_frame"], p["server_frame"]): p["delay_s"] for p in t["packet_pairs"]}
    lost = {(x["direction"], x["sender_frame"]) for x in t["lost_in_network"]}
    for side, other in ORDERS:
        out = os.path.join(TMP, "export-%s.csv" % side)
        args = ["-q", "export", files[side], "--peer", files[other], "-o", out]
        off = offset_for(t, side)
        if off is not None:
            args += ["--clock-offset", repr(off)]
        r = run(args)
        expect(r.rc == 0, r.describe())
        rows = list(csv.DictReader(open(out, newline="")))
        got_pairs, got_lost = {}, set()
        for row in rows:
            f = int(row["frame"])
            if row["peer_frame"]:
                key = (f, int(row["peer_frame"])) if side == "client" else (int(row["peer_frame"]), f)
                got_pairs[key] = float(row["owd_s"])
            if row["lost"] == "1":
                sent_towards = row["towards"]
                d = "to_server" if (sent_towards == "server") else "to_client"
                got_lost.add((d, f))
        want_lost = {x for x in lost if (x[0] == "to_server") == (side == "client")}
        expect(got_lost == want_lost, "%s: lost %s, truth %s" % (side, sorted(got_lost), sorted(want_lost)))
        expect(set(got_pairs) == set(pairs), "%s: pairs missing %s extra %s" % (
            side, sorted(set(pairs) - set(got_pairs))[:4], sorted(set(got_pairs) - set(pairs))[:4]))
        bad = [k for k in pairs if abs(got_pairs[k] - pairs[k]) > US]
        expect(not bad, "%s: delays differ %s" % (side, bad[:4]))


# ---------------------------------------------------------------------------
# 7. bad input

def p6_bad():
    t, files = pair_files("crafted-pair-mptcp")
    other = T.fixture("v1-basic-server.pcapng")
    fails(["map-mptcp", files["client"], "0", other], "no MPTCP connection")
    fails(["owd", files["client"], "0", other], "no MPTCP connection")
    fails(["owd", files["client"], "0", files["client"]], "same capture")
    copy = os.path.join(TMP, "copy of client.pcap")
    shutil.copy(files["client"], copy)
    fails(["owd", files["client"], "0", copy], "same packets")
    fails(["owd", files["client"], "9", files["server"]], "no MPTCP connection with mptcp.stream 9")
    fails(["map-tcp", files["client"], "99", files["server"]], "no TCP connection with tcp.stream 99")
    fails(["owd", files["client"], "0", os.path.join(TMP, "missing.pcap")], "missing.pcap")
    fails(["owd", files["client"], "0", files["server"], "--clock-offset", "soon"], "not a number")
    fails(["qualify-reinjections", files["client"], "0", other], "no MPTCP connection")


def main():
    if not T.start("peer"):
        return 1
    try:
        check("1 map-tcp: NAT, a reused 4-tuple, a decoy (crafted-pair-tcp-nat), both orders",
              p1_map_tcp, "crafted-pair-tcp-nat")
        for case in ("crafted-pair-mptcp", "v1-nat", "v1-paired", "v1-fourpath"):
            check("1 map-mptcp %s: connections and subflows one to one = truth, both orders" % case,
                  p1_map_mptcp, case)
        check("1 map-mptcp client_2/server_2: same keys, subflows by SYN ISN, tcp.stream 7 alone",
              p1_published_map)
        for case in ("crafted-pair-mptcp", "crafted-pair-tcp-nat", "crafted-pair-clock", "crafted-pair-clock-far"):
            check("2 owd %s: sent, matched, lost, missed, min/median/max = the drawn delays" % case,
                  p2_owd, case)
            check("2 owd --packets %s: every pair of frames and its delay" % case, p2_packets, case)
        check("2 clocks an hour apart: one line asking for --clock-offset", p2_far_clock)
        for case in ("v1-paired", "v1-nat", "v1-fourpath"):
            check("3 %s: packets lost in the network = the router's drops, delays >= 0" % case,
                  p3_drops, case)
            check("3 %s: mptcp-summary --peer lost = drops, delivered/sent = each end's own figures"
                  % case, p3_summary_peer, case)
        check("3 v1-paired: editcap -t 12.5 and --clock-offset 12.5 give the same delays",
              p3_clock_shift, "v1-paired", 12.5)
        check("3 clocks 2.75 s apart, no offset given: negative delays reported", p3_negative_reported)
        check("4 client_1/server_1 tcp-only: owd = a matcher on tshark's fields (about 50 ms)",
              p4_published_tcp)
        check("5 qualify-reinjections crafted-pair-mptcp: verdicts and gains = truth", p5_qualify,
              "crafted-pair-mptcp")
        check("5 head-of-line blocking crafted-pair-mptcp = truth", p5_hol, "crafted-pair-mptcp")
        check("5 client_2/server_2: every reinjection qualified", p5_published_qualify)
        for case in ("crafted-pair-mptcp", "v1-paired"):
            check("6 plot owd %s: the data file's delays = owd --packets" % case, p6_plot_owd, case)
            check("6 plot hol %s: the data file's CDF = mptcp-summary --peer" % case, p6_plot_hol, case)
        for case in ("crafted-pair-mptcp", "v1-fourpath"):
            check("6 plot reinjections %s with the other end: verdicts = qualify-reinjections"
                  % case, p6_plot_verdicts, case)
        for case in ("crafted-pair-mptcp", "crafted-pair-tcp-nat", "crafted-pair-clock"):
            check("6 export --peer %s: copies, delays, losses = truth, from either end" % case,
                  p6_export_peer, case)
        check("7 bad input: unrelated captures, one capture twice, unknown ids, bad offset", p6_bad)
    finally:
        status = T.finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
