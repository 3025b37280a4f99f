#!/usr/bin/python3
"""Integration suite for the analyst's toolbox (issue 11): export (one
record per packet, CSV and JSON Lines), summarize (campaigns, also through
GNU parallel), the man page, bash completion, make install/uninstall, the
Debian package, the shell prompt, thousands separators and the examples of
`help COMMAND`.

Usage: MPTCPANALYZER_BIN=build/asan/mptcpanalyzer tests/integration_toolbox.py
       tests/integration_toolbox.py [BINARY]
Reuses the helpers of tests/integration.py. The export is read back with
Python's csv and json modules, as pandas users would, and every value is
checked against something independent: tshark's own export of the same
capture (frames, epoch times to the nanosecond, lengths, flags, relative
sequence numbers, DSNs), or the tool's JSON summaries (byte sums per
connection and direction, reinjections). Prints `ok - ...` / `not ok - ...`
lines, then `# SUMMARY PASSED FAILED SKIPPED`. Python stdlib only.
"""
import csv
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration as T  # noqa: E402
from integration import Skip, Fail, expect, check, run, tool_json  # noqa: E402

REPO, CAPS, FIXTURES, BIN, LABEL = T.REPO, T.CAPS, T.FIXTURES, T.BIN, T.LABEL
TMP = os.path.join(REPO, "tests", "tmp", "toolbox-%s-%d" % (LABEL, os.getpid()))
T.TMP = TMP
TSHARK = shutil.which("tshark") or "/usr/bin/tshark"
SHARE = os.path.join(REPO, "share")
MANPAGE = os.path.join(SHARE, "mptcpanalyzer.1")
COMPLETION = os.path.join(SHARE, "mptcpanalyzer.bash")
COLUMNS = ["frame", "time_epoch", "time_s", "tcp_stream", "mptcp_stream",
           "towards", "mptcp_towards", "seq", "ack", "len", "flags", "dsn",
           "data_ack", "first_carrier", "retransmission", "reinjection_of"]


def tmpdir(name):
    d = os.path.join(TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def fixture_captures():
    return sorted(glob.glob(os.path.join(FIXTURES, "*.pcap*")))


def sample(name):
    p = os.path.join(CAPS, name)
    return [p] if os.path.exists(p) else []


def all_captures():
    return T.all_captures()


_memo = {}


def memo(fn):
    def wrapped(*args):
        key = (fn.__name__,) + args
        if key not in _memo:
            try:
                _memo[key] = fn(*args)
            except (Fail, Skip) as e:
                _memo[key] = e
        v = _memo[key]
        if isinstance(v, (Fail, Skip)):
            raise v
        return v
    wrapped.__name__ = fn.__name__
    return wrapped


# ---------------------------------------------------------------------------
# tshark's own view, once per capture

TFIELDS = ["frame.number", "frame.time_epoch", "tcp.stream", "tcp.len",
           "tcp.flags.str", "tcp.seq", "tcp.ack", "tcp.flags.ack",
           "tcp.flags.syn", "mptcp.stream", "mptcp.dsn", "ip.src", "ipv6.src",
           "tcp.srcport"]


@memo
def tshark_rows(path):
    """{frame: dict} of the TCP packets of a capture, as tshark exports
    them (with its relative sequence numbers and MPTCP mapping analysis).
    An ICMP error quoting a TCP header is not a packet of the connection
    (tshark gives it the quoted header's tcp.stream): left out."""
    cmd = [TSHARK, "-r", path, "-Y", "not icmp and not icmpv6",
           "-o", "mptcp.analyze_mappings:TRUE",
           "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
           "-E", "aggregator=,", "-E", "quote=n"]
    for f in TFIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, timeout=T.TIMEOUT)
    rows = {}
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        f = line.split("\t")
        if len(f) != len(TFIELDS) or f[2] == "":
            continue
        last = T._last
        rows[int(f[0])] = {
            "time": Decimal(f[1]), "stream": int(last(f[2])),
            "len": int(last(f[3]) or 0),
            "flags": last(f[4])[3:].replace("\u00b7", "") if f[4] else "",
            "flags_raw": last(f[4]),
            "seq": int(last(f[5])) if f[5] else None,
            "ack": int(last(f[6])) if f[6] else None,
            "ackflag": last(f[7]) in ("1", "True"),
            "syn": last(f[8]) in ("1", "True"),
            "mstream": int(f[9].split(",")[0]) if f[9] else None,
            "dsn": int(f[10].split(",")[0]) if f[10] else None,
            "src": (last(f[11]) or last(f[12]), int(last(f[13]))),
        }
    if not rows:
        raise Skip("tshark sees no TCP packet in %s" % path)
    return rows


# ---------------------------------------------------------------------------
# the tool's export, read back as pandas users would

def export_file(path, fmt, extra=()):
    d = tmpdir("export-%s-%s-%d" % (os.path.basename(path), fmt, len(_memo)))
    out = os.path.join(d, "out." + fmt)
    r = run(["export", path, "--format", fmt, "-o", out] + list(extra))
    expect(r.rc == 0, "export %s: %s" % (" ".join(extra), r.describe()))
    expect(os.path.exists(out), "no file %s" % out)
    expect(r.err == "", "stderr not empty: %r" % r.err[:300])
    m = re.match(r"exported (\d+) packets", r.out)
    expect(m, "no report line: %r" % r.out)
    return out, int(m.group(1))


def csv_value(col, v):
    """A CSV field as the JSON value it stands for."""
    if v == "":
        return None
    if col in ("towards", "mptcp_towards", "flags", "time_epoch"):
        return v
    if col == "time_s":
        return Decimal(v)
    if col == "reinjection_of":
        return [int(x) for x in v.split(" ")]
    return int(v)


@memo
def export_rows(path, *extra):
    """The export read back from CSV (csv module) and JSON Lines (json
    module); they must agree value for value. Rows as dicts, JSON typed."""
    cpath, ccount = export_file(path, "csv", extra)
    jpath, jcount = export_file(path, "jsonl", extra)
    with open(cpath, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        crows = [dict(zip(header, r)) for r in reader]
    expect(header == COLUMNS, "CSV header %s" % header)
    with open(jpath) as f:
        jrows = [json.loads(line) for line in f]
    expect(len(crows) == ccount and len(jrows) == jcount == ccount,
           "rows: csv %d (said %d), jsonl %d (said %d)"
           % (len(crows), ccount, len(jrows), jcount))
    for c, j in zip(crows, jrows):
        expect(list(j.keys()) == COLUMNS, "JSON keys %s" % list(j.keys()))
        for col in COLUMNS:
            cv = csv_value(col, c[col])
            jv = j[col]
            if col == "time_s":
                jv = Decimal(repr(jv))
                ok = abs(cv - jv) < Decimal("1e-9")
            elif col == "retransmission":
                ok = cv == (1 if jv else 0) and isinstance(jv, bool)
            else:
                ok = cv == jv
            expect(ok, "frame %s column %s: csv %r, json %r" % (c["frame"], col, c[col], j[col]))
    return jrows


def by_key(rows, *cols):
    out = {}
    for r in rows:
        out.setdefault(tuple(r[c] for c in cols), []).append(r)
    return out


# ---------------------------------------------------------------------------
# 1. export against tshark

def x1_frames_times(path):
    rows = export_rows(path)
    ts = tshark_rows(path)
    frames = [r["frame"] for r in rows]
    if frames != sorted(ts):
        first = next((a, b) for a, b in zip(frames + [None], sorted(ts) + [None]) if a != b)
        raise Fail("frames differ from tshark's TCP frames: %d vs %d, first differing %s"
                   % (len(frames), len(ts), first))
    load = tool_json("load-pcap", path)
    expect(len(rows) == load["tcp_packets"], "rows %d, load-pcap tcp_packets %d"
           % (len(rows), load["tcp_packets"]))
    bad = []
    for r in rows:
        t = ts[r["frame"]]
        if Decimal(r["time_epoch"]) != t["time"] or not re.fullmatch(r"\d+\.\d{9}", r["time_epoch"]):
            bad.append("frame %d time %s vs tshark %s" % (r["frame"], r["time_epoch"], t["time"]))
        for col, key in (("tcp_stream", "stream"), ("len", "len"), ("flags", "flags")):
            if r[col] != t[key]:
                bad.append("frame %d %s %r vs tshark %r" % (r["frame"], col, r[col], t[key]))
        if t["mstream"] is not None and r["mptcp_stream"] != t["mstream"]:
            bad.append("frame %d mptcp_stream %r vs tshark %r" % (r["frame"], r["mptcp_stream"], t["mstream"]))
        if (r["ack"] is None) == t["ackflag"]:
            bad.append("frame %d ack %r but tshark ACK flag %r" % (r["frame"], r["ack"], t["ackflag"]))
    expect(not bad, "%d differences: %s" % (len(bad), "; ".join(bad[:6])))


def x1_seq_ack(path):
    """Relative seq/ack equal tshark's on connections whose SYN and SYN/ACK
    are both in the capture, from the SYN/ACK on (where tshark's relative
    numbers are defined from both ISNs, as ours)."""
    rows = export_rows(path)
    ts = tshark_rows(path)
    syn, synack = {}, {}
    for frame in sorted(ts):
        t = ts[frame]
        if t["syn"] and not t["ackflag"]:
            syn.setdefault(t["stream"], frame)
        if t["syn"] and t["ackflag"]:
            synack.setdefault(t["stream"], frame)
    full = {s for s in syn if s in synack}
    checked, bad = 0, []
    for r in rows:
        if r["tcp_stream"] not in full or r["frame"] < synack[r["tcp_stream"]]:
            continue
        t = ts[r["frame"]]
        checked += 1
        if r["seq"] % 2**32 != t["seq"]:
            bad.append("frame %d seq %d vs %d" % (r["frame"], r["seq"], t["seq"]))
        if r["ack"] is not None and t["ack"] is not None and r["ack"] % 2**32 != t["ack"]:
            bad.append("frame %d ack %d vs %d" % (r["frame"], r["ack"], t["ack"]))
    if not checked:
        raise Skip("no connection with both SYNs")
    print("# %s: seq/ack of %d packets on %d connections compared" % (os.path.basename(path), checked, len(full)))
    expect(not bad, "%d differences: %s" % (len(bad), "; ".join(bad[:6])))


def x1_dsn(path):
    """DSNs equal tshark's mptcp.dsn (relative, with mapping analysis) on
    the published captures, where REFERENCE.md says tshark's are right."""
    rows = export_rows(path)
    ts = tshark_rows(path)
    checked, bad = 0, []
    for r in rows:
        t = ts[r["frame"]]
        if r["dsn"] is None or t["dsn"] is None or r["len"] == 0:
            continue
        checked += 1
        if r["dsn"] != t["dsn"]:
            bad.append("frame %d dsn %d vs tshark %d" % (r["frame"], r["dsn"], t["dsn"]))
    expect(checked > 100, "only %d DSNs to compare" % checked)
    print("# %s: %d DSNs compared with tshark" % (os.path.basename(path), checked))
    expect(not bad, "%d differences: %s" % (len(bad), "; ".join(bad[:6])))


def x1_towards(path):
    """towards: the packet's source is the client list-tcp names."""
    rows = export_rows(path)
    ts = tshark_rows(path)
    conns = {c["tcp_stream"]: c for c in tool_json("list-tcp", path)["tcp_connections"]}
    bad = []
    for r in rows:
        c = conns[r["tcp_stream"]]
        from_client = ts[r["frame"]]["src"] == (c["client_ip"], c["client_port"])
        if (r["towards"] == "server") != from_client:
            bad.append("frame %d towards %s" % (r["frame"], r["towards"]))
    expect(not bad, "; ".join(bad[:6]))


def x1_time_s(path):
    """time_s = time_epoch minus the epoch time of the first packet (by
    frame) of its connection: the MPTCP connection for a subflow."""
    rows = export_rows(path)
    start = {}
    for r in rows:
        key = ("m", r["mptcp_stream"]) if r["mptcp_stream"] is not None else ("t", r["tcp_stream"])
        start.setdefault(key, Decimal(r["time_epoch"]))
        want = Decimal(r["time_epoch"]) - start[key]
        expect(abs(Decimal(repr(r["time_s"])) - want) < Decimal("1e-9"),
               "frame %d time_s %r, want %s" % (r["frame"], r["time_s"], want))


# ---------------------------------------------------------------------------
# 2. export against the summaries

def mptcp_ids(path):
    """MPTCP connections, then orphan subflows (each its own mptcp.stream)."""
    if all(c["mptcp_stream"] is None for c in tool_json("list-tcp", path)["tcp_connections"]):
        return []
    doc = tool_json("list-mptcp", path)
    ids = [c["mptcp_stream"] for c in doc["mptcp_connections"]]
    return ids + [o["wireshark_mptcp_stream"] for o in doc["orphan_subflows"]]


def x2_tcp_sums(path):
    """Every TCP connection, per direction: rows = tcp-summary packets, sum
    of len = payload_bytes. Plain TCP connections also: sum of
    first_carrier = unique_bytes, sum of (len - first_carrier) =
    retransmitted_bytes, and retransmission set exactly then."""
    rows = export_rows(path)
    groups = by_key(rows, "tcp_stream", "towards")
    plain = 0
    for s in sorted({k[0] for k in groups}):
        doc = tool_json("tcp-summary", path, str(s))
        for d in doc["directions"]:
            g = groups.get((s, d["towards"]), [])
            got = (len(g), sum(r["len"] for r in g))
            want = (d["packets"], d["payload_bytes"])
            if g and g[0]["mptcp_stream"] is None:
                plain += 1
                got += (sum(r["first_carrier"] for r in g), sum(r["len"] - r["first_carrier"] for r in g))
                want += (d["unique_bytes"], d["retransmitted_bytes"])
                flagged = [r["frame"] for r in g if r["retransmission"] != (r["len"] > r["first_carrier"])]
                expect(not flagged, "retransmission flag wrong on frames %s" % flagged[:10])
            expect(got == want, "tcp.stream %d towards %s: export %s, tcp-summary %s"
                   % (s, d["towards"], got, want))
    print("# %s: %d TCP connections, %d plain TCP directions" % (os.path.basename(path), len(groups) // 2, plain))


def x2_mptcp_sums(path):
    """MPTCP connections: per direction and subflow, rows = packets, sum of
    len = throughput_bytes, rows with reinjection_of = reinjections; per
    direction, sum of first_carrier = application bytes carried by a
    captured packet (application - inferred - unattributed); subflows with
    no retransmitted bytes have no retransmission flagged."""
    rows = export_rows(path)
    ids = mptcp_ids(path)
    if not ids:
        raise Skip("no MPTCP connection")
    for m in ids:
        doc = tool_json("mptcp-summary", path, str(m))
        mine = [r for r in rows if r["mptcp_stream"] == m]
        for d in doc["directions"]:
            dr = [r for r in mine if r["mptcp_towards"] == d["towards"]]
            carried = d["application_bytes"] - d["inferred_bytes"] - d["unattributed_bytes"]
            got = sum(r["first_carrier"] for r in dr)
            expect(got == carried, "mptcp.stream %d towards %s: sum first_carrier %d, "
                   "summary application-inferred-unattributed %d" % (m, d["towards"], got, carried))
            expect(len(dr) == d["packets"] and sum(r["len"] for r in dr) == d["throughput_bytes"],
                   "mptcp.stream %d towards %s: %d rows / %d bytes, summary %d / %d"
                   % (m, d["towards"], len(dr), sum(r["len"] for r in dr), d["packets"], d["throughput_bytes"]))
            for sf in d["subflows"]:
                sr = [r for r in dr if r["tcp_stream"] == sf["tcp_stream"]]
                got = (len(sr), sum(r["len"] for r in sr),
                       sum(1 for r in sr if r["reinjection_of"] is not None))
                want = (sf["packets"], sf["throughput_bytes"], sf["reinjections"])
                expect(got == want, "mptcp.stream %d towards %s tcp.stream %d: export "
                       "(rows, bytes, reinjections) %s, summary %s"
                       % (m, d["towards"], sf["tcp_stream"], got, want))
                if sf["retransmitted_bytes"] == 0:
                    expect(not any(r["retransmission"] for r in sr),
                           "tcp.stream %d: retransmission flagged, summary says 0 bytes" % sf["tcp_stream"])
                else:
                    expect(any(r["retransmission"] for r in sr),
                           "tcp.stream %d: %d bytes retransmitted, none flagged"
                           % (sf["tcp_stream"], sf["retransmitted_bytes"]))


def x2_reinjections(path):
    """reinjection_of = list-reinjections' original frames, frame by frame."""
    rows = export_rows(path)
    got = {r["frame"]: r["reinjection_of"] for r in rows if r["reinjection_of"] is not None}
    want = {}
    for m in mptcp_ids(path):
        for ri in tool_json("list-reinjections", path, str(m))["reinjections"]:
            want[ri["frame"]] = ri["original_frames"]
    differ = sorted(f for f in set(got) | set(want) if got.get(f) != want.get(f))
    expect(not differ, "export %d reinjections, list-reinjections %d; differing frames %s"
           % (len(got), len(want), differ[:10]))
    print("# %s: %d reinjections" % (os.path.basename(path), len(got)))


def x2_selections(path):
    """--tcp-stream N and --mptcp-stream N give the rows of the whole export
    that belong to that connection, unchanged."""
    rows = export_rows(path)
    tcps = sorted({r["tcp_stream"] for r in rows})
    for s in sorted({tcps[0], tcps[-1]}):
        sub = export_rows(path, "--tcp-stream", str(s))
        expect(sub == [r for r in rows if r["tcp_stream"] == s], "--tcp-stream %d differs" % s)
    for m in mptcp_ids(path)[-1:]:
        sub = export_rows(path, "--mptcp-stream", str(m))
        expect(sub == [r for r in rows if r["mptcp_stream"] == m], "--mptcp-stream %d differs" % m)


def x2_stdout():
    """Without -o the records go to stdout (CSV, or JSON Lines with the
    global --json), and they are the same as in the file."""
    path = os.path.join(FIXTURES, "v1-basic-client.pcapng")
    rows = export_rows(path)
    r = run(["export", path])
    expect(r.rc == 0 and r.err == "", r.describe())
    got = list(csv.reader(r.out.splitlines()))
    expect(got[0] == COLUMNS and len(got) == len(rows) + 1, "stdout CSV: %d lines" % len(got))
    r = run(["--json", "export", path, "--mptcp-stream", "0"])
    expect(r.rc == 0, r.describe())
    got = [json.loads(line) for line in r.out.splitlines()]
    expect(got == [x for x in rows if x["mptcp_stream"] == 0], "--json export differs from the file")
    d = tmpdir("export-json-report")
    out = os.path.join(d, "x.jsonl")
    r = run(["--json", "export", path, "-o", out])
    doc = json.loads(r.out)
    expect(doc == {"capture": path, "output": out, "format": "jsonl", "rows": len(rows)},
           "report %r" % doc)


def x2_bad_inputs():
    path = os.path.join(FIXTURES, "v1-basic-client.pcapng")
    d = tmpdir("export-bad")
    cases = [
        (["--tcp-stream", "0", "--mptcp-stream", "0"], "not both"),
        (["--tcp-stream", "99"], "99"),
        (["--mptcp-stream", "x"], "'x'"),
        (["--format", "xml"], "xml"),
        (["-o", os.path.join(d, "no", "such", "dir", "x.csv")], "x.csv"),
        (["-o", "/dev/full"], "/dev/full"),
        (["-o", d], d),
    ]
    for extra, needle in cases:
        r = run(["export", path] + extra)
        T.expect_one_error(r, [needle], " ".join(extra))
    expect(os.listdir(d) == [], "files left behind: %s" % os.listdir(d))
    r = run(["export", path, "-o", ""])
    T.expect_one_error(r, ["-o needs a file name"], "-o ''")
    keep = os.path.join(d, "keep.csv")
    with open(keep, "w") as f:
        f.write("old\n")
    r = run(["export", path, "--tcp-stream", "99", "-o", keep])
    expect(r.rc != 0 and open(keep).read() == "old\n" and os.listdir(d) == ["keep.csv"],
           "a failed export touched %s: %s" % (keep, os.listdir(d)))
    r = run(["export", os.path.join(d, "missing.pcap")])
    T.expect_one_error(r, ["missing.pcap"], "missing capture")
    mine = os.path.join(d, "mine.pcapng")
    shutil.copyfile(path, mine)
    size = os.path.getsize(mine)
    r = run(["export", mine, "-o", os.path.join(d, ".", "mine.pcapng")])
    T.expect_one_error(r, ["mine.pcapng", "capture itself"], "-o the capture")
    expect(os.path.getsize(mine) == size, "the capture was overwritten")


def x2_odd_names():
    """A capture and an output whose names hold spaces, quotes and commas;
    the JSON report and the CSV fields stay intact."""
    src = os.path.join(FIXTURES, "crafted-v0-wrap.pcap")
    d = tmpdir("export-names")
    path = os.path.join(d, 'a "b", c.pcap')
    shutil.copyfile(src, path)
    out = os.path.join(d, "out, \"x\".csv")
    r = run(["--json", "export", path, "--format", "csv", "-o", out])
    expect(r.rc == 0, r.describe())
    expect(json.loads(r.out)["output"] == out, r.out)
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    expect(rows[0] == COLUMNS and all(len(x) == len(COLUMNS) for x in rows), "CSV shape")


# ---------------------------------------------------------------------------
# 3. summarize, and a campaign with GNU parallel

def summarize_lines(paths, env=None, extra=()):
    r = run(["summarize"] + list(extra) + list(paths), env=env)
    return r, [json.loads(line) for line in r.out.splitlines()]


def s1_summarize(path):
    """Each line equals mptcp-summary's or tcp-summary's JSON (plus "kind");
    every MPTCP connection and every plain TCP connection is there once."""
    r, lines = summarize_lines([path])
    expect(r.rc == 0 and r.err == "", r.describe())
    expect(all(len(line.split("\n")) == 1 for line in r.out.splitlines()), "not one object per line")
    seen_m, seen_t = [], []
    for doc in lines:
        kind = doc.pop("kind")
        if kind == "mptcp":
            seen_m.append(doc["mptcp_stream"])
            want = tool_json("mptcp-summary", path, str(doc["mptcp_stream"]))
        else:
            expect(kind == "tcp", "kind %r" % kind)
            seen_t.append(doc["tcp_stream"])
            want = tool_json("tcp-summary", path, str(doc["tcp_stream"]))
        expect(doc == want, "%s %s differs from its summary" % (kind, doc.get("mptcp_stream", doc.get("tcp_stream"))))
    expect(seen_m == mptcp_ids(path), "mptcp lines %s, list-mptcp %s" % (seen_m, mptcp_ids(path)))
    plain = [c["tcp_stream"] for c in tool_json("list-tcp", path)["tcp_connections"]
             if c["mptcp_stream"] is None]
    expect(seen_t == plain, "tcp lines %s, plain TCP in list-tcp %s" % (seen_t, plain))


def s2_full():
    path = os.path.join(FIXTURES, "v1-multi-client.pcapng")
    r, lines = summarize_lines([path], extra=["--full"])
    expect(r.rc == 0, r.describe())
    for doc in lines:
        doc.pop("kind")
        want = tool_json("mptcp-summary", path, str(doc["mptcp_stream"]), "--full")
        expect(doc == want, "--full line differs from mptcp-summary --full")


def s3_bad_capture():
    """A capture that fails gives one line on stderr naming it; the others
    are summarised; the exit status says something failed."""
    good = fixture_captures()[:2]
    bad = T.write("not-a-capture.pcap", b"hello, this is not a capture\n" * 10)
    r, lines = summarize_lines([good[0], bad, good[1]])
    expect(r.rc == 1, "exit status %d" % r.rc)
    errs = r.err_lines()
    expect(len(errs) == 1 and bad in errs[0], "stderr %r" % r.err)
    _, a = summarize_lines([good[0]])
    _, b = summarize_lines([good[1]])
    expect(lines == a + b, "the good captures' lines differ")


def s4_parallel():
    """GNU parallel over every fixture (one job per capture, a shared
    fresh cache) gives the same lines as one sequential run."""
    par = shutil.which("parallel")
    if not par:
        raise Skip("GNU parallel absent (Debian package parallel)")
    caps = fixture_captures()
    env = dict(os.environ, XDG_CACHE_HOME=tmpdir("parallel-cache"),
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=0")
    seq = run(["summarize"] + caps, env={"XDG_CACHE_HOME": tmpdir("seq-cache")})
    expect(seq.rc == 0, seq.describe())
    p = subprocess.run([par, "--will-cite", "-k", "-j", "2", BIN, "summarize", ":::"] + caps,
                       capture_output=True, env=env, cwd=REPO, timeout=T.TIMEOUT)
    out = p.stdout.decode()
    expect(p.returncode == 0, "parallel: %d %r" % (p.returncode, p.stderr[:300]))
    for mark in T.SANITIZER_MARKS:
        expect(mark.encode() not in p.stderr, "sanitizer report under parallel")
    expect(out == seq.out, "parallel -k output differs from the sequential run (%d vs %d lines)"
           % (len(out.splitlines()), len(seq.out.splitlines())))
    p = subprocess.run([par, "--will-cite", "-j", "2", BIN, "summarize", ":::"] + caps,
                       capture_output=True, env=env, cwd=REPO, timeout=T.TIMEOUT)
    expect(sorted(p.stdout.decode().splitlines()) == sorted(seq.out.splitlines()),
           "parallel (unordered) lines differ")
    print("# %d captures, %d lines, same with GNU parallel" % (len(caps), len(seq.out.splitlines())))


# ---------------------------------------------------------------------------
# 4. man page

def help_commands():
    r = run(["help"])
    expect(r.rc == 0, r.describe())
    return [m.group(1) for m in re.finditer(r"^  (\S+)\s", r.out, re.M)]


def global_options():
    r = run(["--help"])
    expect(r.rc == 0, r.describe())
    opts = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", r.out))
    return sorted(opts)


def m1_lint():
    if not os.path.exists(MANPAGE):
        raise Fail("%s missing" % MANPAGE)
    ran = 0
    if shutil.which("groff"):
        p = subprocess.run(["groff", "-man", "-ww", "-z", MANPAGE], capture_output=True)
        expect(p.returncode == 0 and not p.stderr, "groff: %r" % p.stderr[:500])
        ran += 1
    if shutil.which("mandoc"):
        p = subprocess.run(["mandoc", "-Tlint", MANPAGE], capture_output=True)
        expect(p.returncode == 0 and not p.stdout and not p.stderr,
               "mandoc -Tlint: %r" % (p.stdout + p.stderr)[:500])
        ran += 1
    if not ran:
        raise Skip("neither groff nor mandoc installed")


def man_text():
    """The page as man renders it (via groff), plain text."""
    if not shutil.which("groff"):
        raise Skip("groff absent")
    p = subprocess.run(["groff", "-man", "-Tutf8", "-P", "-cbou", MANPAGE],
                       capture_output=True, env=dict(os.environ, MANWIDTH="200"))
    return p.stdout.decode("utf-8", "replace").replace("\u2010", "-").replace("\u2212", "-")


def section(text, name):
    m = re.search(r"^%s\n(.*?)(?=^[A-Z][A-Z ]+\n)" % name, text, re.M | re.S)
    expect(m, "no %s section" % name)
    return m.group(1)


def m2_complete():
    """Every command of the table (with its options), every global option,
    every environment variable the code reads, the cache and history files
    and the exit statuses are in the page."""
    text = man_text()
    cmds = section(text, "COMMANDS")
    missing = [c for c in help_commands() if not re.search(r"^ {7}%s\b" % re.escape(c), cmds, re.M)]
    expect(not missing, "commands missing from COMMANDS: %s" % missing)
    names = help_commands()
    for c in names:
        r = run(["help", c])
        usage = r.out.splitlines()[0]
        others = "|".join(re.escape(n) for n in names if n != c)
        entry = re.search(r"^ {7}%s\b.*?(?=^ {7}(?:%s)\b|\Z)" % (re.escape(c), others),
                          cmds, re.M | re.S).group(0)
        for opt in re.findall(r"\[(--?[a-z][a-z-]*)", usage):
            expect(opt in entry or opt == "--json", "%s: option %s not in its entry" % (c, opt))
    opts = section(text, "OPTIONS")
    missing = [o for o in global_options() if not re.search(r"(^|\s|,)%s\b" % re.escape(o), opts)]
    expect(not missing, "global options missing: %s" % missing)
    env_vars = set()
    for src in glob.glob(os.path.join(REPO, "src", "*.c")):
        code = open(src).read()
        env_vars |= set(re.findall(r'g_getenv\s*\(\s*"([A-Z_]+)"', code))
        env_vars |= set(re.findall(r'\bgetenv\s*\(\s*"([A-Z_]+)"', code))
        env_vars |= set(re.findall(r'"(MPTCPANALYZER_[A-Z_]+)"', code))  # read by a helper
        env_vars |= set(re.findall(r'\benv_[a-z]+\s*\(\s*"([A-Z_]+)"', code))
        if "g_get_user_cache_dir" in code:
            env_vars.add("XDG_CACHE_HOME")
        if "g_get_user_state_dir" in code:
            env_vars.add("XDG_STATE_HOME")
    envs = section(text, "ENVIRONMENT")
    missing = sorted(v for v in env_vars if v not in envs)
    expect(not missing, "environment variables missing: %s" % missing)
    files = section(text, "FILES")
    expect("mptcpanalyzer/history" in files and ".cache" in files, "FILES lacks cache or history")
    status = section(text, "EXIT STATUS")
    for code in ("0", "1", "2"):
        expect(re.search(r"^ {7}%s\b" % code, status, re.M), "exit status %s missing" % code)
    r = run(["--bogus-option"])
    expect(r.rc == 2, "an unknown global option exits %d, the page says 2" % r.rc)
    expect("EXAMPLES" in text and "mptcpanalyzer export" in text, "no examples")


# ---------------------------------------------------------------------------
# 5. completion

def complete(words, cword=None, env=None):
    """--complete with COMP_WORDS = mptcpanalyzer WORDS...; cword counts the
    program (the last word by default)."""
    cword = len(words) if cword is None else cword
    r = run(["--complete", str(cword), "mptcpanalyzer"] + list(words), env=env)
    expect(r.rc == 0 and r.err == "", r.describe())
    return r.out.splitlines()


def c1_words():
    """Commands, global options, a command's options from the table (also
    --opt=value spelled as bash splits it), choices, capture files."""
    expect(complete(["list-"]) == [c for c in help_commands() if c.startswith("list-")],
           "list-: %s" % complete(["list-"]))
    expect(complete([""]) == help_commands(), "all commands: %s" % complete([""]))
    g = complete(["-"])
    missing = [o for o in global_options() if o not in g]
    expect(not missing, "global options not offered: %s" % missing)
    for c in help_commands():
        usage = run(["help", c]).out.splitlines()[0]
        want = re.findall(r"\[(--?[a-z][a-z-]*)", usage)
        got = complete([c, "-"])
        expect(sorted(got) == sorted(set(want)), "%s options: offered %s, usage %s" % (c, got, want))
    expect(complete(["export", "--format", ""]) == ["csv", "jsonl"], "format choices")
    expect(complete(["export", "--format", "=", "j"], 4) == ["jsonl"], "--format=j split by bash")
    expect(complete(["export", "--format", "="], 3) == ["csv", "jsonl"], "--format= split by bash")
    expect(complete(["export", "--format=c"]) == ["--format=csv"], "--format=c in one word")
    expect(complete(["list-tcp", ""]) == ["@captures"], "capture position")
    expect(complete(["-f", ""]) == ["@files"] and complete(["--cache-dir", ""]) == ["@dirs"],
           "global option values")
    expect(complete(["help", "mptcp-"]) == ["mptcp-summary"], "help COMMAND")


def c2_ids_from_cache_without_tshark():
    """Stream ids come from the cache: with a logging stand-in for tshark,
    a TAB after a cached capture offers its ids and starts nothing; after
    a capture that is not cached it offers nothing and starts nothing."""
    src = os.path.join(FIXTURES, "v1-multi-client.pcapng")
    d = tmpdir("complete-cache")
    capture = os.path.join(d, "multi.pcapng")
    other = os.path.join(d, "other.pcapng")
    shutil.copyfile(src, capture)
    shutil.copyfile(src, other)
    log = os.path.join(d, "tshark.log")
    fake = os.path.join(d, "tshark")
    with open(fake, "w") as f:
        f.write('#!/bin/sh\necho "$*" >> %s\nexec %s "$@"\n' % (log, TSHARK))
    os.chmod(fake, 0o755)
    env = {"MPTCPANALYZER_TSHARK": fake, "XDG_CACHE_HOME": os.path.join(d, "cache")}
    r = run(["--json", "list-tcp", capture], env=env)
    expect(r.rc == 0, r.describe())
    tcp = [c["tcp_stream"] for c in json.loads(r.out)["tcp_connections"]]
    mptcp = [c["mptcp_stream"] for c in json.loads(run(["--json", "list-mptcp", capture], env=env).out)["mptcp_connections"]]
    before = open(log).read()
    expect(complete(["list-subflows", capture, ""], env=env) == [str(i) for i in mptcp], "mptcp ids")
    expect(complete(["tcp-summary", capture, ""], env=env) == [str(i) for i in tcp], "tcp ids")
    expect(complete(["export", capture, "--tcp-stream", "1"], env=env) ==
           [str(i) for i in tcp if str(i).startswith("1")], "--tcp-stream ids")
    expect(complete(["--json", "export", capture, "--mptcp-stream", ""], env=env) ==
           [str(i) for i in mptcp], "--mptcp-stream ids")
    expect(complete(["--no-cache", "list-subflows", capture, ""], env=env) == [], "--no-cache still read the cache")
    expect(complete(["list-subflows", other, ""], env=env) == [], "ids for an uncached capture")
    expect(open(log).read() == before, "tshark started while completing: %r" % open(log).read()[len(before):])


def bash_complete(line_words, cword=None, cwd=None):
    """Call the completion function as bash does, in a bash that sourced
    share/mptcpanalyzer.bash; COMPREPLY, one per line."""
    cword = len(line_words) - 1 if cword is None else cword
    script = ('source %s\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\n_mptcpanalyzer\n'
              'printf "%%s\\n" "${COMPREPLY[@]}"\n'
              % (shlex.quote(COMPLETION), " ".join(shlex.quote(w) for w in [BIN] + line_words), cword + 1))
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True,
                       cwd=cwd or REPO, timeout=60)
    expect(p.returncode == 0, "bash: %r" % p.stderr[:300])
    return [x for x in p.stdout.decode().splitlines() if x]


def c3_bash_function():
    if not shutil.which("bash"):
        raise Skip("bash absent")
    expect(bash_complete(["list-s"]) == ["list-subflows"], "command")
    got = bash_complete(["list-mptcp", "fixtures/v1-m"])
    want = sorted(os.path.relpath(p, REPO) for p in glob.glob(os.path.join(FIXTURES, "v1-m*.pcap*")))
    expect(sorted(got) == want, "capture files %s, want %s" % (got, want))
    d = tmpdir("bash-files")
    for n in ("a.txt", "b.json"):
        open(os.path.join(d, n), "w").close()
    expect(sorted(bash_complete(["list-tcp", ""], cwd=d)) == ["a.txt", "b.json"],
           "no capture there: every file is offered")
    expect(bash_complete(["export", "--format", "=", ""], 3) == ["csv", "jsonl"], "--format=")
    path = os.path.join(FIXTURES, "v1-multi-client.pcapng")
    tool_json("list-mptcp", path)             # cached (the default cache)
    expect(bash_complete(["list-subflows", path, ""]) == ["0", "1", "2"], "ids")


def c4_bash_tab_on_pty():
    """A real interactive bash on a pseudo-terminal, completion sourced,
    the program on PATH: TAB completes a command name."""
    if not shutil.which("bash"):
        raise Skip("bash absent")
    env = dict(os.environ, PATH=os.path.dirname(BIN) + ":" + os.environ["PATH"],
               TERM="dumb", PS1="$ ", HOME=tmpdir("pty-home"),
               ASAN_OPTIONS="detect_leaks=0")
    sh = T.PtyRun("/bin/bash", ["bash", "--norc", "--noprofile", "-i"], env)
    talk = sh.talk
    talk(b"source " + COMPLETION.encode() + b"\n", 1.0)
    talk(b"mptcpanalyzer list-subfl\t", 2.0)
    talk(b"\x15", 0.5)                      # ^U: clear the line, run nothing
    talk(b"exit\n", 1.0)
    _, text = sh.close()
    typed = text.split("mptcpanalyzer list-subfl", 1)
    expect(len(typed) == 2 and typed[1].startswith("ows"), "TAB did not complete: %r" % text[-400:])


# ---------------------------------------------------------------------------
# 6. make install / uninstall, Debian package

def make(args, timeout=300):
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(k, None)
    return subprocess.run(["make", "-s", "-C", REPO] + args, capture_output=True,
                          env=env, timeout=timeout)


def i1_install_uninstall():
    if LABEL != "release":
        raise Skip("installs build/mptcpanalyzer: checked in the release pass")
    dest = tmpdir("destdir")
    p = make(["install", "DESTDIR=" + dest, "PREFIX=/usr/local"])
    expect(p.returncode == 0, "make install: %r" % p.stderr[-500:])
    base = os.path.join(dest, "usr", "local")
    want = ["bin/mptcpanalyzer", "share/bash-completion/completions/mptcpanalyzer",
            "share/man/man1/mptcpanalyzer.1"]
    got = sorted(os.path.relpath(os.path.join(r, n), base) for r, _, ns in os.walk(base) for n in ns)
    expect(got == want, "installed %s" % got)
    exe = os.path.join(base, "bin", "mptcpanalyzer")
    p = subprocess.run([exe, "--version"], capture_output=True)
    expect(p.returncode == 0 and p.stdout.startswith(b"mptcpanalyzer "), "installed --version: %r" % p.stdout)
    if shutil.which("man"):
        p = subprocess.run(["man", "-M", os.path.join(base, "share", "man"), "mptcpanalyzer"],
                           capture_output=True, env=dict(os.environ, MANPAGER="cat", PAGER="cat", MANWIDTH="80"))
        expect(p.returncode == 0 and b"mptcpanalyzer" in p.stdout and b"EXIT STATUS" in p.stdout,
               "man: %r" % (p.stdout[:200] + p.stderr[:200]))
    script = ("source %s; complete -p mptcpanalyzer" %
              shlex.quote(os.path.join(base, "share/bash-completion/completions/mptcpanalyzer")))
    p = subprocess.run(["bash", "--norc", "-c", script], capture_output=True)
    expect(b"_mptcpanalyzer" in p.stdout, "installed completion: %r" % p.stdout)
    loader = "/usr/share/bash-completion/bash_completion"
    if os.path.exists(loader):      # loaded on demand from PREFIX/share
        script = ("source %s; __load_completion mptcpanalyzer; complete -p mptcpanalyzer"
                  % loader)
        p = subprocess.run(["bash", "--norc", "-c", script], capture_output=True,
                           env=dict(os.environ, XDG_DATA_DIRS=os.path.join(base, "share")))
        expect(b"_mptcpanalyzer" in p.stdout, "bash-completion did not load it from "
               "%s/share: %r" % (base, p.stdout + p.stderr[:300]))
    p = make(["uninstall", "DESTDIR=" + dest, "PREFIX=/usr/local"])
    expect(p.returncode == 0, "make uninstall: %r" % p.stderr[-500:])
    left = [os.path.join(r, n) for r, _, ns in os.walk(dest) for n in ns]
    expect(left == [], "left after uninstall: %s" % left)


def i2_debian_package():
    """dpkg-buildpackage -us -uc -b from a clean copy of the tree, then
    the .deb unpacked into a temporary root: its program runs."""
    if LABEL != "release":
        raise Skip("the package is built once, in the release pass")
    for tool in ("dpkg-buildpackage", "dh", "dpkg-deb", "git"):
        if not shutil.which(tool):
            raise Skip("%s absent (Debian packages dpkg-dev, debhelper)" % tool)
    work = tmpdir("deb")
    src = os.path.join(work, "mptcpanalyzer")
    os.makedirs(src)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                           capture_output=True).stdout.decode().split("\0")
    for f in filter(None, files):
        if os.path.isfile(os.path.join(REPO, f)) and not f.startswith("tests/tmp/"):
            os.makedirs(os.path.dirname(os.path.join(src, f)), exist_ok=True)
            shutil.copy2(os.path.join(REPO, f), os.path.join(src, f))
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
        env.pop(k, None)
    t0 = time.time()
    p = subprocess.run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src, capture_output=True,
                       env=env, timeout=900)
    expect(p.returncode == 0, "dpkg-buildpackage: %r" % (p.stdout[-600:] + p.stderr[-600:]))
    debs = [d for d in glob.glob(os.path.join(work, "mptcpanalyzer_*.deb"))]
    expect(len(debs) == 1, "packages: %s" % os.listdir(work))
    listing = subprocess.run(["dpkg-deb", "-c", debs[0]], capture_output=True).stdout.decode()
    for f in ("./usr/bin/mptcpanalyzer", "./usr/share/man/man1/mptcpanalyzer.1.gz",
              "./usr/share/bash-completion/completions/mptcpanalyzer"):
        expect(f in listing, "%s not in the package" % f)
    depends = subprocess.run(["dpkg-deb", "-f", debs[0], "Depends"], capture_output=True).stdout.decode()
    expect("tshark" in depends and "libcsv" in depends, "Depends: %s" % depends)
    root = os.path.join(work, "root")
    p = subprocess.run(["dpkg", "-x", debs[0], root], capture_output=True)
    expect(p.returncode == 0, "dpkg -x: %r" % p.stderr)
    exe = os.path.join(root, "usr", "bin", "mptcpanalyzer")
    p = subprocess.run([exe, "--version"], capture_output=True)
    expect(p.returncode == 0 and p.stdout.startswith(b"mptcpanalyzer "), "--version: %r" % p.stdout)
    fx = os.path.join(FIXTURES, "v1-basic-client.pcapng")
    p = subprocess.run([exe, "--no-cache", "--json", "list-mptcp", fx], capture_output=True, timeout=120)
    expect(p.returncode == 0 and json.loads(p.stdout)["mptcp_connections"],
           "the packaged program on %s: %r" % (fx, p.stderr[:300]))
    print("# package built in %.1f s: %s" % (time.time() - t0, os.path.basename(debs[0])))


# ---------------------------------------------------------------------------
# 7. small things: prompt, thousands separators, help examples

def p1_prompt():
    path = os.path.join(FIXTURES, "v1-basic-client.pcapng")
    env = dict(os.environ, XDG_STATE_HOME=tmpdir("prompt-state"), TERM="dumb",
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=0")
    sh = T.PtyRun(BIN, [BIN, "-q"], env)
    talk = sh.talk
    talk(b"", 1.0)
    talk(b"load-pcap " + path.encode() + b"\n", 3.0)
    talk(b"quit\n", 1.0)
    _, text = sh.close()
    expect(text.lstrip().startswith("mptcpanalyzer> "), "first prompt: %r" % text[:80])
    expect("v1-basic-client.pcapng> " in text, "no capture prompt: %r" % text[-300:])


GROUPED = re.compile(r"^\d{1,3}(,\d{3})*$")


def p2_separators(path):
    """Human byte counts: every number before "bytes" and in byte columns
    has thousands separators, and equals the JSON figure."""
    bad = []
    texts = [run(["list-tcp", path]).out]
    for c in tool_json("list-tcp", path)["tcp_connections"]:
        texts.append(run(["tcp-summary", path, str(c["tcp_stream"])]).out)
    for m in mptcp_ids(path):
        texts.append(run(["mptcp-summary", path, str(m)]).out)
        texts.append(run(["list-reinjections", path, str(m)]).out)
        doc = tool_json("mptcp-summary", path, str(m))
        text = texts[-2]
        for d in doc["directions"]:
            part = text.split("towards the %s:" % d["towards"])[1].split("towards the ")[0]
            for key, words in (("inferred_bytes", "application bytes were attributed"),
                               ("unmapped_bytes", "payload bytes came without"),
                               ("unattributed_bytes", "application bytes were carried by no")):
                m2 = re.search(r"\(([\d,]+) %s" % words, part)
                if d[key] and (not m2 or m2.group(1).replace(",", "") != str(d[key]) or not GROUPED.match(m2.group(1))):
                    bad.append("%s %s: %r" % (d["towards"], key, m2 and m2.group(1)))
    for text in texts:
        for m in re.finditer(r"(?<![\d.,])(\d{4,})(?=\s+(?:\w+\s+)?bytes\b)", text):
            bad.append("ungrouped %r" % text[max(0, m.start() - 30):m.end() + 20])
    lt = texts[0].splitlines()
    for row in lt[2:]:
        cells = re.split(r"\s{2,}", row.strip())
        byte_cells = [c for c in cells if re.fullmatch(r"[\d,]+/[\d,]+", c)]
        if len(byte_cells) != 2 or not all(GROUPED.match(x) for x in byte_cells[1].split("/")):
            bad.append("list-tcp row %r" % row)
    for text in texts:
        if "reinjected packets" in text:
            for row in text.splitlines()[2:]:
                cells = row.split()
                if len(cells) > 4 and not GROUPED.match(cells[4]):
                    bad.append("list-reinjections length %r" % cells[4])
    expect(not bad, "; ".join(bad[:6]))


def p3_help_examples():
    """Every command's `help` example runs and exits 0, with a private
    cache, in a folder of its own (a plot example writes its image there);
    the fixtures the examples name are those of the repo."""
    env = {"XDG_CACHE_HOME": tmpdir("examples-cache"), "XDG_STATE_HOME": tmpdir("examples-state")}
    cwd = tmpdir("examples-cwd")
    ran = []
    for c in help_commands():
        r = run(["help", c])
        m = re.search(r"^  example: mptcpanalyzer (.*)$", r.out, re.M)
        expect(m, "help %s shows no example: %r" % (c, r.out))
        args = [re.sub(r"(^|(?<= ))fixtures/", os.path.join(REPO, "fixtures") + "/", a)
                for a in shlex.split(m.group(1))]
        r = run(args, env=env, cwd=cwd)
        expect(r.rc == 0, "example of %s: %s" % (c, r.describe()))
        ran.append(c)
    print("# %d examples ran" % len(ran))


# ---------------------------------------------------------------------------

def main():
    if not T.start("toolbox"):
        return 1
    try:
        if not os.path.isdir(CAPS):
            print("# %s absent: checks on the sample captures are skipped" % CAPS)
        for path in all_captures():
            name = os.path.basename(path)
            check("x1 %s: export frames, epoch times (ns), streams, len, flags = tshark" % name,
                  x1_frames_times, path)
            check("x1 %s: export relative seq/ack = tshark (connections with both SYNs)" % name,
                  x1_seq_ack, path)
            check("x1 %s: export towards = list-tcp roles; time_s from the connection's start" % name,
                  lambda p=path: (x1_towards(p), x1_time_s(p)))
            check("x2 %s: export sums = tcp-summary (packets, payload; unique, retransmitted)" % name,
                  x2_tcp_sums, path)
            check("x2 %s: export sums = mptcp-summary (packets, bytes, first carriers, reinjections)" % name,
                  x2_mptcp_sums, path)
            check("x2 %s: export reinjection_of = list-reinjections" % name, x2_reinjections, path)
            check("x2 %s: --tcp-stream / --mptcp-stream = the whole export filtered" % name,
                  x2_selections, path)
            check("s1 %s: summarize lines = tcp-summary / mptcp-summary JSON" % name, s1_summarize, path)
            check("p2 %s: thousands separators in human byte counts" % name, p2_separators, path)
        for path in sample("client_2.pcap") + sample("server_2.pcap"):
            check("x1 %s: export dsn = tshark mptcp.dsn" % os.path.basename(path), x1_dsn, path)
        for name, fn in [
            ("x2 export to stdout (CSV, JSON Lines with --json) and the -o report", x2_stdout),
            ("x2 export bad inputs: one line, exit 1, no file left, old file kept", x2_bad_inputs),
            ("x2 export: names with spaces, quotes and commas", x2_odd_names),
            ("s2 summarize --full = mptcp-summary --full", s2_full),
            ("s3 summarize: a bad capture among good ones", s3_bad_capture),
            ("s4 summarize over every fixture with GNU parallel = sequential", s4_parallel),
            ("m1 man page: groff -ww and mandoc -Tlint without warnings", m1_lint),
            ("m2 man page: every command, option, environment variable, file, exit status", m2_complete),
            ("c1 --complete: commands, options from the table, values, captures", c1_words),
            ("c2 --complete: stream ids from the cache, tshark never started", c2_ids_from_cache_without_tshark),
            ("c3 bash completion function: commands, capture files, ids, --opt=", c3_bash_function),
            ("c4 bash completion: TAB in an interactive bash on a pty", c4_bash_tab_on_pty),
            ("i1 make install / uninstall with DESTDIR and PREFIX; man and completion work", i1_install_uninstall),
            ("i2 Debian package: dpkg-buildpackage -b, dpkg -x, the program runs", i2_debian_package),
            ("p1 shell prompt names the loaded capture", p1_prompt),
            ("p3 every command's help example runs, exit 0", p3_help_examples),
        ]:
            check(name, fn)
    finally:
        status = T.finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
