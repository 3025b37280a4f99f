#!/usr/bin/python3
"""Integration suite: figures rest on evidence. Captures that start or end
mid-way, captures missing packets, a fallback to TCP, an infinite mapping,
a DATA_FIN the capture missed, and single absurd values among sound ones:
application bytes must equal the application's own counts where the
capture shows them, never go negative or wrap, and no subflow may be
credited with more than its own sequence numbers and its peer's ACKs show.

Usage: MPTCPANALYZER_BIN=build/asan/mptcpanalyzer tests/integration_evidence.py
Reuses the helpers of tests/integration.py. Expected values come from the
truth files (the crafter's and the application's own counts), from
tshark's export of the same files (sequence spans), and from the complete
capture of the other end of the same loss-free run. Python stdlib only.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration as T  # noqa: E402
from integration import Skip, expect, check, run  # noqa: E402

REPO, CAPS, FIXTURES, LABEL = T.REPO, T.CAPS, T.FIXTURES, T.LABEL
TMP = os.path.join(REPO, "tests", "tmp", "evidence-%s-%d" % (LABEL, os.getpid()))
T.TMP = TMP
M32 = 1 << 32
JSON_MAX = 1 << 53            # figures past this cannot be exact in JSON


def truth(name):
    return json.load(open(T.fixture(name)))


def tool(*args):
    """--json output of a command (the suite's own cache folder)."""
    r = run(["-q", "--json"] + list(args))
    expect(r.rc == 0, "%s: %s" % (" ".join(args), r.describe()))
    return json.loads(r.out)


def summary(path, stream):
    return {d["towards"]: d for d in tool("mptcp-summary", path, str(stream), "--full")["directions"]}


# ---------------------------------------------------------------------------
# 1. crafted evidence cases

def e1_fallback():
    t = truth("crafted-fallback.truth.json")
    s = summary(T.fixture("crafted-fallback.pcap"), 0)
    for side, d in (("client", "server"), ("server", "client")):
        want = t["%s_app_bytes_sent" % side]
        expect(s[d]["application_bytes"] == want, "towards %s: %d application bytes, "
               "the application sent %d" % (d, s[d]["application_bytes"], want))
        expect(s[d]["fallback"] is True, "towards %s: fallback not reported" % d)
        expect(s[d]["subflows"][0]["application_bytes"] == want,
               "towards %s: the subflow carries %d" % (d, s[d]["subflows"][0]["application_bytes"]))


def e1_infinite():
    t = truth("crafted-infinite-mapping.truth.json")
    s = summary(T.fixture("crafted-infinite-mapping.pcap"), 0)
    for side, d in (("client", "server"), ("server", "client")):
        want = t["%s_app_bytes_sent" % side]
        expect(s[d]["application_bytes"] == want, "towards %s: %d application bytes, "
               "the application sent %d" % (d, s[d]["application_bytes"], want))
        expect(s[d]["infinite_mapping_frame"] is not None,
               "towards %s: infinite mapping not reported" % d)
        expect(s[d]["inferred_bytes"] == 0, "towards %s: %d bytes inferred, all were "
               "captured" % (d, s[d]["inferred_bytes"]))


def e1_datafin_missed():
    t = truth("crafted-datafin-missed.truth.json")
    s = summary(T.fixture("crafted-datafin-missed.pcap"), 0)
    for side, d in (("client", "server"), ("server", "client")):
        want = t["%s_app_bytes_sent" % side]
        expect(s[d]["application_bytes"] == want, "towards %s: %d application bytes, "
               "the application sent %d (a missed DATA_FIN is not a data byte)"
               % (d, s[d]["application_bytes"], want))
        expect(s[d]["data_fin"] and s[d]["data_fin_inferred"],
               "towards %s: the missed DATA_FIN is not reported as inferred" % d)
    sub = {x["tcp_stream"]: x for x in s["client"]["subflows"]}
    expect(sub[1]["inferred_bytes"] == 200 and sub[1]["application_bytes"] <= sub[1]["span_bytes"],
           "the missed 200-byte segment: %s" % sub[1])


def e1_bogus():
    t = truth("crafted-bogus-values.truth.json")
    path = T.fixture("crafted-bogus-values.pcap")
    for c in t["crafted_connections"]:
        i = c["mptcp_stream"]
        s = summary(path, i)
        for side, d in (("client", "server"), ("server", "client")):
            want = c["%s_app_bytes_sent" % side]
            expect(s[d]["application_bytes"] == want, "connection %d towards %s: %d "
                   "application bytes, the application sent %d"
                   % (i, d, s[d]["application_bytes"], want))
        want = sorted((b["frame"], b["field"]) for b in t["bogus"] if b["mptcp_stream"] == i)
        got = sorted((o["frame"], o["field"]) for d in s.values() for o in d["outliers"])
        expect(got == want, "connection %d: outliers %s, the crafter planted %s" % (i, got, want))


# ---------------------------------------------------------------------------
# 2. invariants on any capture, cut or with packets missing

def tshark_spans(path):
    """(tcp.stream, sender ip, sender port) -> the most bytes its sequence
    numbers and its peer's ACKs can show: max - min over its sequence
    numbers, sequence ends and the peer's ACK numbers, in 32-bit arithmetic
    around its first sequence number (SYN and RST excluded)."""
    fields = ["tcp.stream", "ip.src", "ipv6.src", "tcp.srcport", "tcp.seq_raw",
              "tcp.ack_raw", "tcp.len", "tcp.flags.syn", "tcp.flags.reset", "tcp.flags.ack"]
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=l"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    pk = {}
    for line in out.splitlines():
        v = line.split("\t")
        if len(v) != len(fields) or not v[0] or not v[4]:
            continue
        pk.setdefault(int(v[0]), []).append(
            ((v[1] or v[2], int(v[3])), int(v[4]), int(v[5] or 0), int(v[6] or 0),
             v[7] in ("1", "True"), v[8] in ("1", "True"), v[9] in ("1", "True")))
    spans = {}
    for st, ps in pk.items():
        for me in {p[0] for p in ps}:
            mine = [p for p in ps if p[0] == me and not p[4] and not p[5]]
            syn = [p for p in ps if p[0] == me and p[4]]
            ref = syn[0][1] if syn else (mine[0][1] if mine else None)
            if ref is None:
                continue
            rel = lambda x: ((x - ref + (1 << 31)) % M32) - (1 << 31)
            vals = [rel(p[1]) for p in mine] + [rel(p[1]) + p[3] for p in mine]
            vals += [rel(p[2]) for p in ps if p[0] != me and p[6]]
            if syn:
                vals.append(1)
            spans[(st,) + me] = max(vals) - min(vals) + 1
    return spans


def connections(path):
    r = run(["-q", "--json", "list-mptcp", path])
    if r.rc == 1 and "no MPTCP connections" in r.err:
        return []                      # a cut that kept no MPTCP option
    expect(r.rc == 0, "list-mptcp %s: %s" % (path, r.describe()))
    doc = json.loads(r.out)
    out = [(c["mptcp_stream"], c["subflows"]) for c in doc["mptcp_connections"]]
    out += [(o["mptcp_stream"] if "mptcp_stream" in o else o["wireshark_mptcp_stream"], [o])
            for o in doc["orphan_subflows"]]
    return out


def check_invariants(path, bound=None):
    """every figure of every connection of path is sane; returns problems"""
    spans = tshark_spans(path)
    problems = []
    for m, subs in connections(path):
        ends = {sf["tcp_stream"]: sf for sf in subs}
        for d in tool("mptcp-summary", path, str(m))["directions"]:
            total = d["unattributed_bytes"]
            for k in ("application_bytes", "throughput_bytes", "inferred_bytes",
                      "unattributed_bytes", "unmapped_bytes"):
                if not 0 <= d[k] < JSON_MAX:
                    problems.append("%d %s %s %d" % (m, d["towards"], k, d[k]))
            if bound and d["application_bytes"] > bound[d["towards"]]:
                problems.append("%d towards %s: %d application bytes, more than the "
                                "application sent (%d)" % (m, d["towards"],
                                                           d["application_bytes"], bound[d["towards"]]))
            for s in d["subflows"]:
                total += s["application_bytes"]
                if s["application_bytes"] > s["span_bytes"] or s["inferred_bytes"] > s["application_bytes"]:
                    problems.append("%d towards %s tcp.stream %d: %d application bytes "
                                    "(%d inferred) over a span of %d" % (
                                        m, d["towards"], s["tcp_stream"], s["application_bytes"],
                                        s["inferred_bytes"], s["span_bytes"]))
                sf = ends.get(s["tcp_stream"])
                if sf is None or not s["span_bytes"]:
                    continue
                to_server = (d["towards"] == "server") == (sf.get("towards") in ("server", None))
                who = (sf["client_ip"], sf["client_port"]) if to_server else (sf["server_ip"], sf["server_port"])
                limit = spans.get((s["tcp_stream"],) + who, 0)
                if s["span_bytes"] > limit:
                    problems.append("%d tcp.stream %d: span %d, but tshark's sequence "
                                    "numbers and ACKs show at most %d" % (
                                        m, s["tcp_stream"], s["span_bytes"], limit))
            if total != d["application_bytes"]:
                problems.append("%d towards %s: subflows and unattributed add up to %d, not %d"
                                % (m, d["towards"], total, d["application_bytes"]))
    return problems


def capture_bound(path):
    """application bytes each way, from the truth file next to a fixture"""
    base = os.path.basename(path)
    for tf in os.listdir(FIXTURES):
        if not tf.endswith(".truth.json"):
            continue
        t = json.load(open(os.path.join(FIXTURES, tf)))
        names = list((t.get("captures") or {}).values()) + [t.get("capture")]
        if base not in names:
            continue
        if "connections" in t:
            return {"server": sum(c["client_bytes_sent"] for c in t["connections"]),
                    "client": sum(c["server_bytes_sent"] for c in t["connections"])}
        conns = t.get("crafted_connections") or [t]
        if "client_app_bytes_sent" in t.get("second_connection", {}):
            conns = conns + [t["second_connection"]]
        if t.get("mptcp_connections", 1) > len(conns):
            return None                 # not every connection's bytes known
        return {"server": sum(c["client_app_bytes_sent"] for c in conns),
                "client": sum(c["server_app_bytes_sent"] for c in conns)}
    return None


def drop_frames(path, out, frames):
    """path without the given frames (editcap takes at most 512 of them)"""
    keep = "!(frame.number in {%s})" % ",".join(map(str, frames))
    subprocess.run(["tshark", "-r", path, "-Y", keep, "-w", out], check=True,
                   capture_output=True, timeout=120)


def packets(path):
    out = subprocess.run(["capinfos", "-Mc", path], capture_output=True, text=True).stdout
    return int(out.split(":")[-1].strip().replace(",", ""))


def e2_cuts(path, n_cuts):
    """cuts of a capture at fixed, seeded points: start and end mid-way"""
    rnd = random.Random(os.path.basename(path))
    n = packets(path)
    bound = capture_bound(path)
    problems = []
    d = tempfile.mkdtemp(dir=TMP)
    for _ in range(n_cuts):
        a = rnd.randint(2, max(2, n // 2))
        b = rnd.randint(min(n, a + 5), n)
        out = os.path.join(d, "cut-%d-%d.pcapng" % (a, b))
        subprocess.run(["editcap", "-r", path, out, "%d-%d" % (a, b)], check=True)
        problems += ["frames %d-%d: %s" % (a, b, p) for p in check_invariants(out, bound)]
    expect(not problems, "; ".join(problems[:6]))


def e2_drops(path, rates):
    """frames deleted at random (as a capturing host that drops them)"""
    rnd = random.Random("drops " + os.path.basename(path))
    n = packets(path)
    bound = capture_bound(path)
    problems = []
    d = tempfile.mkdtemp(dir=TMP)
    for rate in rates:
        drop = sorted(rnd.sample(range(1, n + 1), max(1, int(n * rate))))
        out = os.path.join(d, "drop-%g.pcapng" % rate)
        drop_frames(path, out, drop)
        problems += ["%g%% dropped: %s" % (rate * 100, p) for p in check_invariants(out, bound)]
    expect(not problems, "; ".join(problems[:6]))


def e2_whole(path):
    problems = check_invariants(path, capture_bound(path))
    expect(not problems, "; ".join(problems[:6]))


# ---------------------------------------------------------------------------
# 3. loss-free runs: a receiver capture missing packets still splits the
#    data among subflows exactly as the complete capture of the sender

def per_subflow(path):
    res = {}
    for m, subs in connections(path):
        ends = {sf["tcp_stream"]: (sf["client_ip"], sf["client_port"]) for sf in subs}
        for d in tool("mptcp-summary", path, str(m))["directions"]:
            for s in d["subflows"]:
                res[(ends[s["tcp_stream"]], d["towards"])] = s["application_bytes"]
    return res


def control_frames(path):
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.number",
                          "-e", "tcp.flags.syn", "-e", "tcp.flags.fin", "-e", "tcp.flags.reset"],
                         capture_output=True, text=True, timeout=120).stdout
    return {int(v[0]) for v in (l.split("\t") for l in out.splitlines())
            if any(x in ("1", "True") for x in v[1:])}


def e3_lossfree(name):
    t = truth(name + ".truth.json")
    if any(p.get("loss_permille") for p in t.get("paths", [])):
        raise Skip("%s has network loss" % name)
    client, server = (T.fixture(t["captures"][s]) for s in ("client", "server"))
    want = per_subflow(client)
    n = packets(server)
    keep = control_frames(server)       # a lost handshake unlinks a subflow
    cands = [f for f in range(1, n + 1) if f not in keep]
    rnd = random.Random("lossfree " + name)
    d = tempfile.mkdtemp(dir=TMP)
    problems = []
    for rate in (0.02, 0.05, 0.1, 0.2):
        out = os.path.join(d, "drop-%g.pcapng" % rate)
        drop = sorted(rnd.sample(cands, int(n * rate)))
        drop_frames(server, out, drop)
        got = per_subflow(out)
        problems += ["%g%% of %s dropped: %s towards %s: %s, the client capture %d"
                     % (rate * 100, os.path.basename(server), k[0], k[1], got.get(k), v)
                     for k, v in sorted(want.items()) if got.get(k) != v]
    expect(not problems, "; ".join(problems[:5]))


def e3_server2():
    """server_2's subflow tcp.stream 6 never received the last 1,428
    bytes its client-side twin sent (reinjected on another subflow): it
    may not be credited with them"""
    path = os.path.join(CAPS, "server_2.pcap")
    if not os.path.exists(path):
        raise Skip("%s absent" % path)
    problems = check_invariants(path)
    expect(not problems, "; ".join(problems[:5]))


def e4_snaplen():
    """a subflow whose every option a snap length cut (so its DSS mappings
    are unknown) is still credited with the bytes it carried, not the
    other subflow: robust-snaplen, no loss, so each subflow's application
    bytes are its payload"""
    path = os.path.join(FIXTURES, "robust", "robust-snaplen.pcap")
    if not os.path.exists(path):
        raise Skip("robust-snaplen.pcap absent")
    t = json.load(open(path.replace(".pcap", ".truth.json")))
    s = summary(path, 0)
    for i, d in enumerate(("server", "client")):
        got = {x["tcp_stream"]: x["application_bytes"] for x in s[d]["subflows"]}
        want = {int(k): v[i] for k, v in t["payload"].items() if int(k) in got}
        expect(got == want, "towards %s: %s, payload %s" % (d, got, want))


def main():
    if not T.start("evidence"):
        return 1
    try:
        for name, fn in [
            ("1 fallback to TCP: application bytes = the subflow's, in order", e1_fallback),
            ("1 infinite mapping: every byte after it counted", e1_infinite),
            ("1 missed DATA_FIN: not a data byte; missed segment inferred", e1_datafin_missed),
            ("1 absurd data ACK, DSN, data-level length, DSN below the IDSN: "
             "left out, reported, figures exact", e1_bogus),
        ]:
            check(name, fn)
        reals = sorted(f for f in os.listdir(FIXTURES) if f.startswith("v1-") and ".pcap" in f)
        crafted = sorted(f for f in os.listdir(FIXTURES) if f.startswith("crafted-") and f.endswith(".pcap"))
        samples = [p for p in (os.path.join(CAPS, n) for n in ("client_2.pcap", "server_2.pcap"))
                   if os.path.exists(p)]
        # the cut and damaged captures cost tshark runs, not the tool's
        # time: under the sanitizers, a sample of them (the release pass
        # does them all)
        light = LABEL == "asan"
        if light:
            reals = [f for f in reals if "lossy" in f or "fourpath" in f]
            crafted = crafted[::4]
            print("# [asan] cuts and drops of a sample of the captures "
                  "(all of them in the release pass)")
        for f in reals + crafted:
            check("2 %s: figures sane, subflows within their spans" % f,
                  e2_whole, os.path.join(FIXTURES, f))
        points = 1 if light else 3
        for f in reals:
            check("2 %s cut mid-way at %d point%s: never negative, wrapped or past the spans"
                  % (f, points, "s" if points > 1 else ""), e2_cuts, os.path.join(FIXTURES, f), points)
        for f in crafted:
            check("2 %s cut mid-way at 2 points" % f, e2_cuts, os.path.join(FIXTURES, f), 2)
        for p in ([] if light else samples):
            check("2 %s cut mid-way at 2 points" % os.path.basename(p), e2_cuts, p, 2)
        drops = [x for x in reals if "lossy" in x] + [os.path.basename(p) for p in samples]
        for f in drops[:1] if light else drops:
            path = os.path.join(FIXTURES, f) if f.startswith("v1-") else os.path.join(CAPS, f)
            check("2 %s with 5%% and 20%% of its frames deleted" % f, e2_drops, path, (0.05, 0.2))
        for name in ("v1-basic", "v1-multi", "v1-drop"):
            check("3 %s: server capture missing 2-20%% of its frames splits the data among "
                  "subflows as the complete client capture does" % name, e3_lossfree, name)
        check("3 server_2: no subflow credited past its span (stream 6 lost its last segment)",
              e3_server2)
        check("4 options cut by the snap length on one path: its subflow keeps its bytes",
              e4_snaplen)
    finally:
        status = T.finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
