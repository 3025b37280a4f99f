#!/usr/bin/python3
"""Integration suite for `plot`: the data files behind the plots, checked
against the JSON of tcp-summary, mptcp-summary and list-reinjections and
against tshark's own fields; the pictures (PNG, SVG, PDF, the text
terminal); thinning; bad input; gnuplot missing or failing.

Usage: MPTCPANALYZER_BIN=build/asan/mptcpanalyzer tests/integration_plot.py
       tests/integration_plot.py [BINARY]
Reuses the helpers of tests/integration.py (run, tool_json, check, Skip,
Fail, expect). Every expected value is computed here, at test time, from
the tool's JSON for the matching command, from tshark or from the data
file itself. Prints `ok - ...` / `not ok - ...` lines, then
`# SUMMARY PASSED FAILED SKIPPED`. Python stdlib only.
"""
import decimal
import glob
import os
import re
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration as T  # noqa: E402
from integration import Skip, Fail, expect, check, run, tool_json  # noqa: E402

REPO, CAPS, FIXTURES, BIN, LABEL = T.REPO, T.CAPS, T.FIXTURES, T.BIN, T.LABEL
TMP = os.path.join(REPO, "tests", "tmp", "plot-%s-%d" % (LABEL, os.getpid()))
T.TMP = TMP
TSHARK = shutil.which("tshark") or "/usr/bin/tshark"
GNUPLOT = shutil.which("gnuplot")
KINDS = ["tcp-seq", "tcp-throughput", "mptcp-throughput", "mptcp-dsn", "reinjections"]


def tmpdir(name):
    d = os.path.join(TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def need_gnuplot():
    if not GNUPLOT:
        raise Skip("gnuplot is not installed (Debian package gnuplot-nox)")


def sample(name):
    p = os.path.join(CAPS, name)
    return [p] if os.path.exists(p) else []


def fixture(name):
    return os.path.join(FIXTURES, name)


def mptcp_captures():
    caps = sorted(glob.glob(os.path.join(FIXTURES, "*.pcap*")))
    return sample("client_2.pcap") + sample("server_2.pcap") + caps


def tcp_captures():
    return (sample("client_1_tcp_only.pcap") + sample("client_2.pcap") +
            [fixture("v1-lossy-client.pcapng"), fixture("crafted-midway.pcap"),
             fixture("crafted-ipv6-mixed.pcap")])


# ---------------------------------------------------------------------------
# running plot and reading its data file

def read_data(path):
    """(comments, header, rows as dicts of strings) of a data file."""
    comments, header, rows = [], None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                expect(header is None, "comment line after the header: %r" % line)
                comments.append(line)
            elif header is None:
                header = line.split("\t")
            else:
                cells = line.split("\t")
                expect(len(cells) == len(header), "row %r has %d cells, header %d"
                       % (line, len(cells), len(header)))
                rows.append(dict(zip(header, cells)))
    expect(header is not None, "%s has no header line" % path)
    return comments, header, rows


_plots = {}


def plot_data(kind, cap, stream, *extra):
    """Run plot with --data into TMP (cached); returns (result, data file
    contents or None)."""
    key = (kind, cap, stream) + extra
    if key in _plots:
        return _plots[key]
    d = tmpdir("data-%d" % len(_plots))
    data = os.path.join(d, "series.tsv")
    r = run(["plot", kind, cap, str(stream), "-o", os.path.join(d, "p.png"),
             "--data", data] + list(extra))
    out = (r, read_data(data)) if r.rc == 0 else (r, None)
    _plots[key] = out
    return out


def plot_ok(kind, cap, stream, *extra):
    r, d = plot_data(kind, cap, stream, *extra)
    expect(r.rc == 0, "plot %s %s %s: %s" % (kind, os.path.basename(cap), stream,
                                             r.describe()))
    return d


def mptcp_streams(cap):
    """the MPTCP connections of a capture ([] for a TCP-only one)"""
    r = run(["-q", "--json", "list-mptcp", cap])
    if r.rc == 1 and "no MPTCP connections" in r.err:
        return []
    return [m["mptcp_stream"] for m in tool_json("list-mptcp", cap)["mptcp_connections"]]


def summary_dir(doc, towards):
    return [d for d in doc["directions"] if d["towards"] == towards][0]


# ---------------------------------------------------------------------------
# 1. mptcp-throughput: windows add up to mptcp-summary's figures

def check_windows(rows, duration, what):
    """Windows contiguous from 0, the last one ending at the duration."""
    expect(rows, "%s: no rows" % what)
    t = decimal.Decimal(0)
    for r in rows:
        expect(decimal.Decimal(r["time_s"]) == t, "%s: window at %s, expected %s"
               % (what, r["time_s"], t))
        w = decimal.Decimal(r["window_s"])
        expect(w > 0, "%s: window of %s s" % (what, w))
        t += w
    expect(abs(float(t) - duration) < 2e-6, "%s: windows end at %s s, the "
           "connection lasts %s s" % (what, t, duration))


def window_sum(rows, col):
    """Bytes of a series: each rate times its window, rounded per row."""
    return sum(round(float(r[col]) * float(r["window_s"])) for r in rows)


def c1_mptcp_throughput(cap, stream):
    _, header, rows = plot_ok("mptcp-throughput", cap, stream)
    expect(header == ["time_s", "window_s", "towards", "tcp_stream",
                      "throughput_bytes_per_s", "goodput_bytes_per_s"],
           "header %r" % header)
    doc = tool_json("mptcp-summary", cap, str(stream))
    busy = lambda d: d["throughput_bytes"] + d["application_bytes"] > 0  # noqa: E731
    for d in doc["directions"]:
        if not busy(d) and any(busy(o) for o in doc["directions"]):
            expect(not [r for r in rows if r["towards"] == d["towards"]],
                   "rows towards the %s, which carried nothing" % d["towards"])
            continue
        series = {}
        for r in rows:
            if r["towards"] == d["towards"]:
                series.setdefault(r["tcp_stream"], []).append(r)
        want = {str(s["tcp_stream"]): s for s in d["subflows"]}
        expect(set(series) == set(want) | {"all"}, "towards %s: series %s, "
               "subflows %s" % (d["towards"], sorted(series), sorted(want)))
        for sid, srows in series.items():
            what = "towards %s tcp.stream %s" % (d["towards"], sid)
            check_windows(srows, d["duration_s"], what)
            fig = d if sid == "all" else want[sid]
            got = window_sum(srows, "throughput_bytes_per_s")
            expect(got == fig["throughput_bytes"], "%s: throughput x window = %d, "
                   "mptcp-summary throughput_bytes %d" % (what, got, fig["throughput_bytes"]))
            got = window_sum(srows, "goodput_bytes_per_s")
            want_app = fig["application_bytes"]
            if sid == "all":
                want_app -= d["unattributed_bytes"]
            expect(got == want_app, "%s: goodput x window = %d, application_bytes %d"
                   % (what, got, want_app))


# ---------------------------------------------------------------------------
# 2. mptcp-dsn: highest DSN = dsn_max, inferred = inferred_bytes,
#    reinjections = list-reinjections

def c2_mptcp_dsn(cap, stream):
    full = tool_json("mptcp-summary", cap, str(stream), "--full")
    reinj = tool_json("list-reinjections", cap, str(stream))["reinjections"]
    for towards in ("server", "client"):
        d = summary_dir(full, towards)
        r, data = plot_data("mptcp-dsn", cap, stream, "--towards", towards)
        if d["dsn_max"] == 0:
            expect(r.rc != 0 and len(r.err_lines()) == 1 and "nothing to plot" in r.err,
                   "towards %s carried no data: expected one 'nothing to plot' "
                   "line, got %s" % (towards, r.describe()))
            continue
        expect(r.rc == 0, "towards %s: %s" % (towards, r.describe()))
        _, header, rows = data
        expect(header == ["time_s", "frame", "towards", "tcp_stream", "series",
                          "dsn_start", "dsn_end"], "header %r" % header)
        data_rows = [x for x in rows if x["series"] in
                     ("segment", "retransmission", "reinjection")]
        top = max(int(x["dsn_end"]) for x in data_rows)
        expect(top == d["dsn_max"], "towards %s: highest DSN plotted %d, "
               "dsn_max %d" % (towards, top, d["dsn_max"]))
        inferred = sum(int(x["dsn_end"]) - int(x["dsn_start"]) for x in rows
                       if x["series"] == "inferred")
        expect(inferred == d["inferred_bytes"], "towards %s: inferred bytes plotted "
               "%d, inferred_bytes %d" % (towards, inferred, d["inferred_bytes"]))
        got = sorted(int(x["frame"]) for x in rows if x["series"] == "reinjection")
        want = sorted(x["frame"] for x in reinj if x["towards"] == towards)
        expect(got == want, "towards %s: reinjection frames %s, list-reinjections %s"
               % (towards, got[:20], want[:20]))
        for x in rows:
            expect(x["towards"] == (towards if x["series"] != "data_ack" else
                                    ("client" if towards == "server" else "server")),
                   "row %r: wrong towards" % x)
        acks = [int(x["dsn_start"]) for x in rows if x["series"] == "data_ack"]
        expect(acks == sorted(acks), "data ACK line goes down")
        if acks:
            expect(acks[-1] == d["data_acked"], "towards %s: last data ACK %d, "
                   "data_acked %d" % (towards, acks[-1], d["data_acked"]))


# ---------------------------------------------------------------------------
# 3. reinjections: delays = list-reinjections delay_s

def c3_reinjections(cap, stream):
    reinj = tool_json("list-reinjections", cap, str(stream))["reinjections"]
    timed = {(x["frame"], x["towards"]): x for x in reinj if x["delay_s"] is not None}
    r, data = plot_data("reinjections", cap, stream)
    if not timed:
        expect(r.rc != 0 and len(r.err_lines()) == 1 and "nothing to plot" in r.err,
               "no reinjection with a delay: expected 'nothing to plot', got %s"
               % r.describe())
        return
    expect(r.rc == 0, r.describe())
    comments, header, rows = data
    expect(header == ["delay_s", "frame", "towards", "tcp_stream", "cdf"], "header %r" % header)
    got = {(int(x["frame"]), x["towards"]): x for x in rows}
    expect(set(got) == set(timed), "frames %s, list-reinjections %s"
           % (sorted(got)[:10], sorted(timed)[:10]))
    for k, x in got.items():
        want = timed[k]
        expect(abs(float(x["delay_s"]) - want["delay_s"]) < 1e-9,
               "frame %d: delay %s, list-reinjections %s" % (k[0], x["delay_s"], want["delay_s"]))
        expect(int(x["tcp_stream"]) == want["tcp_stream"], "frame %d: tcp_stream" % k[0])
    untimed = len(reinj) - len(timed)
    if untimed:
        expect(any(("%d reinjection" % untimed) in c for c in comments),
               "%d reinjections without a delay are not said: %r" % (untimed, comments))
    series = {}
    for x in rows:
        series.setdefault((x["towards"], x["tcp_stream"]), []).append(x)
    for key, xs in series.items():
        n = len(xs)
        delays = [float(x["delay_s"]) for x in xs]
        expect(delays == sorted(delays), "%s: delays not sorted" % (key,))
        for i, x in enumerate(xs):
            expect(abs(float(x["cdf"]) - (i + 1) / n) < 1e-12, "%s: cdf of row %d is %s"
                   % (key, i, x["cdf"]))


# ---------------------------------------------------------------------------
# 4. TCP kinds against tcp-summary and tshark

_tshark_tcp = {}


def tshark_tcp(cap):
    """frame -> (tcp.stream, raw seq, len, syn, time as Decimal), via tshark."""
    if cap not in _tshark_tcp:
        cmd = [TSHARK, "-r", cap, "-T", "fields", "-E", "separator=/t",
               "-E", "occurrence=l", "-e", "frame.number", "-e", "tcp.stream",
               "-e", "tcp.seq_raw", "-e", "tcp.len", "-e", "tcp.flags.syn",
               "-e", "frame.time_epoch", "-Y", "tcp"]
        p = subprocess.run(cmd, capture_output=True, timeout=T.TIMEOUT)
        out = {}
        for line in p.stdout.decode().splitlines():
            f = line.split("\t")
            if len(f) == 6 and f[1]:
                out[int(f[0])] = (int(f[1]), int(f[2]), int(f[3] or 0),
                                  f[4] in ("1", "True"), decimal.Decimal(f[5]))
        _tshark_tcp[cap] = out
    return _tshark_tcp[cap]


def tcp_streams_with_data(cap):
    return [t["tcp_stream"] for t in tool_json("list-tcp", cap)["tcp_connections"]
            if t["bytes_to_server"] + t["bytes_to_client"] > 0]


def c4_tcp_throughput(cap):
    for stream in tcp_streams_with_data(cap):
        _, header, rows = plot_ok("tcp-throughput", cap, stream)
        expect(header == ["time_s", "window_s", "towards", "tcp_stream",
                          "throughput_bytes_per_s", "goodput_bytes_per_s"], "header %r" % header)
        doc = tool_json("tcp-summary", cap, str(stream))
        for d in doc["directions"]:
            srows = [r for r in rows if r["towards"] == d["towards"]]
            what = "tcp.stream %d towards %s" % (stream, d["towards"])
            if d["payload_bytes"] == 0:
                expect(not srows, what + ": rows for a direction that carried nothing")
                continue
            expect(all(r["tcp_stream"] == str(stream) for r in srows), what + ": tcp_stream column")
            check_windows(srows, d["duration_s"], what)
            got = window_sum(srows, "throughput_bytes_per_s")
            expect(got == d["payload_bytes"], "%s: throughput x window %d, payload_bytes %d"
                   % (what, got, d["payload_bytes"]))
            got = window_sum(srows, "goodput_bytes_per_s")
            expect(got == d["unique_bytes"], "%s: goodput x window %d, unique_bytes %d"
                   % (what, got, d["unique_bytes"]))


def c4_windows_vs_tshark(cap, window):
    """Per window, the bytes tshark's packets put there (their times from
    the connection's first packet, exact decimals)."""
    pk = tshark_tcp(cap)
    stream = max(tcp_streams_with_data(cap),
                 key=lambda s: sum(v[2] for v in pk.values() if v[0] == s))
    _, _, rows = plot_ok("tcp-throughput", cap, stream, "--window", window)
    mine = [v for v in pk.values() if v[0] == stream]
    t0 = min(v[4] for v in mine)
    w = decimal.Decimal(window)
    n = len([r for r in rows if r["towards"] == "server"])
    per = {}
    for v in mine:
        k = min(int((v[4] - t0) // w), n - 1)
        per[k] = per.get(k, 0) + v[2]
    got = {}
    for r in rows:
        k = int(decimal.Decimal(r["time_s"]) // w)
        got[k] = got.get(k, 0) + round(float(r["throughput_bytes_per_s"]) * float(r["window_s"]))
    got = {k: v for k, v in got.items() if v}
    per = {k: v for k, v in per.items() if v}
    expect(got == per, "tcp.stream %d, window %s: bytes per window differ from "
           "tshark's, first differences %s" % (stream, window, sorted(
               (k, got.get(k), per.get(k)) for k in set(got) | set(per)
               if got.get(k) != per.get(k))[:5]))


def c4_tcp_seq(cap):
    pk = tshark_tcp(cap)
    for stream in tcp_streams_with_data(cap)[:6]:
        doc = tool_json("tcp-summary", cap, str(stream))
        for d in doc["directions"]:
            r, data = plot_data("tcp-seq", cap, stream, "--towards", d["towards"])
            what = "tcp.stream %d towards %s" % (stream, d["towards"])
            if d["payload_bytes"] == 0:
                expect(r.rc != 0 and "nothing to plot" in r.err, what + ": " + r.describe())
                continue
            expect(r.rc == 0, what + ": " + r.describe())
            _, header, rows = data
            expect(header == ["time_s", "frame", "towards", "tcp_stream", "series",
                              "seq_start", "seq_end"], "header %r" % header)
            segs = [x for x in rows if x["series"] in ("segment", "retransmission")]
            total = sum(int(x["seq_end"]) - int(x["seq_start"]) for x in segs)
            expect(total == d["payload_bytes"], "%s: bytes plotted %d, payload_bytes %d"
                   % (what, total, d["payload_bytes"]))
            covered, union = [], 0
            for x in sorted(segs, key=lambda x: int(x["seq_start"])):
                a, b = int(x["seq_start"]), int(x["seq_end"])
                if covered and a <= covered[-1][1]:
                    covered[-1][1] = max(covered[-1][1], b)
                else:
                    covered.append([a, b])
            union = sum(b - a for a, b in covered)
            expect(union == d["unique_bytes"], "%s: union of ranges %d, unique_bytes %d"
                   % (what, union, d["unique_bytes"]))
            t0 = min(v[4] for v in pk.values() if v[0] == stream)
            offsets = set()
            for x in segs:
                f = int(x["frame"])
                ts = pk[f]
                expect(ts[0] == stream and ts[2] == int(x["seq_end"]) - int(x["seq_start"]),
                       "%s: frame %d is tcp.stream %d with %d bytes in tshark" % (what, f, ts[0], ts[2]))
                offsets.add((ts[1] - int(x["seq_start"])) % 2**32)
                expect(decimal.Decimal(x["time_s"]) == ts[4] - t0, "%s: frame %d at %s s, "
                       "tshark says %s s after the first packet" % (what, f, x["time_s"], ts[4] - t0))
            expect(len(offsets) == 1, "%s: raw minus relative sequence numbers are not "
                   "one constant: %s" % (what, sorted(offsets)[:5]))
            retrans = sum(1 for x in segs if x["series"] == "retransmission")
            expect((retrans > 0) == (d["retransmitted_bytes"] > 0), "%s: %d retransmission "
                   "rows, retransmitted_bytes %d" % (what, retrans, d["retransmitted_bytes"]))


# ---------------------------------------------------------------------------
# 5. pictures: formats, sizes, colours; the terminal

def png_size(data):
    expect(data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG: %r" % data[:8])
    return struct.unpack(">II", data[16:24])


def c5_formats():
    cap = fixture("v1-lossy-client.pcapng")
    d = tmpdir("formats")
    for name, magic in [("a.png", b"\x89PNG\r\n\x1a\n"), ("a.svg", b"<?xml"),
                        ("a.pdf", b"%PDF-"), ("noext", b"\x89PNG\r\n\x1a\n"),
                        ("UPPER.PNG", b"\x89PNG\r\n\x1a\n")]:
        out = os.path.join(d, name)
        r = run(["plot", "mptcp-dsn", cap, "0", "-o", out])
        expect(r.rc == 0, "%s: %s" % (name, r.describe()))
        expect(r.out.strip() == "wrote %s" % out, "stdout %r" % r.out)
        data = open(out, "rb").read()
        expect(data.startswith(magic), "%s starts with %r" % (name, data[:10]))
        expect(len(data) > 10000, "%s is only %d bytes" % (name, len(data)))
        if magic.startswith(b"\x89PNG"):
            expect(png_size(data) == (1280, 720), "%s is %s pixels" % (name, png_size(data)))
    expect(sorted(os.listdir(d)) == sorted(["a.png", "a.svg", "a.pdf", "noext", "UPPER.PNG"]),
           "stray files: %s" % sorted(os.listdir(d)))


def c5_every_kind_png():
    for cap, stream, tcp in [(fixture("v1-lossy-client.pcapng"), 0, 0)] + \
            [(c, 1, 3) for c in sample("client_2.pcap")]:
        d = tmpdir("kinds")
        for kind in KINDS:
            sid = tcp if kind.startswith("tcp") else stream
            out = os.path.join(d, kind + ".png")
            r = run(["plot", kind, cap, str(sid), "-o", out])
            expect(r.rc == 0, "%s: %s" % (kind, r.describe()))
            png_size(open(out, "rb").read())


def svg_colours(path):
    """legend text -> stroke colour of its sample line, from gnuplot's SVG."""
    text = open(path, encoding="utf-8").read()
    out = {}
    for chunk in text.split('<g id="gnuplot_plot_')[1:]:
        t = re.search(r"<text>([^<]*)</text>", chunk)
        c = re.search(r"stroke='(rgb\([^)]*\))'", chunk)
        if t and c:
            out[t.group(1)] = c.group(1)
    return out


def c5_colours_consistent(cap, stream):
    """A subflow has one colour in every plot of its connection, and
    subflows of a connection have different colours."""
    d = tmpdir("colours")
    subs = tool_json("list-subflows", cap, str(stream))["subflows"]
    seen = {}
    runs = [("mptcp-dsn", stream), ("mptcp-throughput", stream)] + \
        [("tcp-seq", s["tcp_stream"]) for s in subs]
    for kind, sid in runs:
        out = os.path.join(d, "%s-%s.svg" % (kind, sid))
        r = run(["plot", kind, cap, str(sid), "-o", out])
        if r.rc != 0 and "nothing to plot" in r.err:
            continue
        expect(r.rc == 0, "%s %s: %s" % (kind, sid, r.describe()))
        for title, colour in svg_colours(out).items():
            m = re.match(r"tcp\.stream (\d+) ", title)
            if m:
                seen.setdefault(int(m.group(1)), set()).add(colour)
    expect(seen, "no subflow legend found in the SVGs")
    for sid, cols in seen.items():
        expect(len(cols) == 1, "tcp.stream %d drawn in %s" % (sid, sorted(cols)))
    colours = [c.pop() for c in seen.values()]
    expect(len(set(colours)) == len(colours), "two subflows share a colour: %s" % seen)


def c5_title_and_legend(cap, stream):
    d = tmpdir("legend")
    out = os.path.join(d, "t.svg")
    r = run(["plot", "mptcp-dsn", cap, str(stream), "-o", out])
    expect(r.rc == 0, r.describe())
    text = open(out, encoding="utf-8").read()
    base = os.path.basename(cap)
    expect("%s: mptcp.stream %d towards the" % (base, stream) in text, "title lacks capture/stream")
    expect("time since the connection&apos;s first packet (s)" in text or
           "time since the connection's first packet (s)" in text, "time axis label missing")
    for s in tool_json("list-subflows", cap, str(stream))["subflows"]:
        ip = s["client_ip"] if ":" not in s["client_ip"] else "[%s]" % s["client_ip"]
        want = "tcp.stream %d %s:%d -> " % (s["tcp_stream"], ip, s["client_port"])
        expect(want.replace(">", "&gt;") in text or want in text, "legend lacks %r" % want)


def term_env(cols="100", lines="30"):
    return {"COLUMNS": cols, "LINES": lines}


def c5_term(kind, cap, sid, extra=()):
    r = run(["plot", kind, cap, str(sid), "--term"] + list(extra), env=term_env())
    expect(r.rc == 0, r.describe())
    lines = r.out.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    expect(len(lines) <= 30, "%d lines on a 30-line terminal" % len(lines))
    wide = max(len(x) for x in lines)
    expect(wide <= 100, "a line of %d characters on a 100-column terminal" % wide)
    expect("\f" not in r.out and "\x1b" not in r.out, "form feed or escape codes in the output")
    base = os.path.basename(cap)
    expect(any(base in x and ("stream %s" % sid) in x for x in lines),
           "no title naming %s and stream %s" % (base, sid))
    expect(any("time since the connection's first packet" in x or "delay from" in x
               for x in lines), "no x axis label")


# ---------------------------------------------------------------------------
# 6. thinning

def c6_thinning():
    """On a narrow terminal the mptcp-dsn series are thinned: the kept rows
    are rows of the full series, every retransmission and reinjection stays,
    and each pixel column keeps its first, last, lowest and highest row."""
    cap = fixture("v1-lossy-client.pcapng")
    d = tmpdir("thin")
    full, thin = os.path.join(d, "full.tsv"), os.path.join(d, "thin.tsv")
    for towards in ("client", "server"):
        r = run(["plot", "mptcp-dsn", cap, "0", "--towards", towards, "-o",
                 os.path.join(d, "f.png"), "--data", full])
        expect(r.rc == 0, r.describe())
        columns = 40
        r = run(["plot", "mptcp-dsn", cap, "0", "--towards", towards, "--term", "--data", thin],
                env=term_env(str(columns), "30"))
        expect(r.rc == 0, r.describe())
        fc, _, frows = read_data(full)
        tc, _, trows = read_data(thin)
        expect(not any("thinned" in c for c in fc), "full-size plot was thinned: %r" % fc)
        note = [c for c in tc if "thinned" in c]
        expect(note, "no 'thinned' comment in %r" % tc)
        m = re.search(r"([\d,]+) points kept as ([\d,]+)", note[0])
        a, b = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
        expect(len(frows) - len(trows) == a - b, "comment says %d -> %d, rows %d -> %d"
               % (a, b, len(frows), len(trows)))
        key = lambda x: tuple(sorted(x.items()))  # noqa: E731
        fset = {key(x) for x in frows}
        expect(all(key(x) in fset for x in trows), "a thinned row is not in the full data")
        for s in ("retransmission", "reinjection"):
            expect(sorted(key(x) for x in frows if x["series"] == s) ==
                   sorted(key(x) for x in trows if x["series"] == s), "%s rows were thinned" % s)
        xs = [float(x["time_s"]) for x in frows]
        lo, hi = min(xs), max(xs)
        tset = {key(x) for x in trows}
        groups, unsure = {}, set()
        for x in frows:
            f = (float(x["time_s"]) - lo) * columns / (hi - lo)
            c = min(int(f), columns - 1)
            g = (x["series"], x["tcp_stream"])
            if abs(f - round(f)) < 1e-6 and 0 < round(f) < columns:
                unsure |= {g + (round(f) - 1,), g + (round(f),)}   # rounding
            groups.setdefault(g + (c,), []).append(x)
        count = lambda rows, g: sum(1 for x in rows if (x["series"], x["tcp_stream"]) == g)  # noqa: E731
        for g, rows in groups.items():
            if g in unsure or count(trows, g[:2]) == count(frows, g[:2]):
                continue                     # not thinned: every row kept
            lowest = min(int(x["dsn_start"]) for x in rows)
            highest = max(int(x["dsn_end"]) for x in rows)
            kept = [x for x in rows if key(x) in tset]
            expect(key(rows[0]) in tset and key(rows[-1]) in tset,
                   "%s: first or last row of the column dropped" % (g,))
            expect(any(int(x["dsn_start"]) == lowest for x in kept) and
                   any(int(x["dsn_end"]) == highest for x in kept),
                   "%s: the column's extremes were dropped" % (g,))
            expect(len(kept) <= 4, "%s: %d rows kept in one column" % (g, len(kept)))


# ---------------------------------------------------------------------------
# 7. bad input: one line, non-zero exit, nothing left behind

def expect_clean(d):
    left = os.listdir(d)
    expect(left == [], "files left in %s: %s" % (d, left))


def bad_plot(args, must_contain, env=None, cwd=None):
    d = tmpdir("bad")
    out = os.path.join(d, "out.png")
    args = [a.replace("OUT", out).replace("DIR", d) for a in args]
    r = run(args, env=env, cwd=cwd or d)
    T.expect_one_error(r, must_contain, " ".join(args))
    expect_clean(d)


def c7_bad_inputs():
    cap = fixture("v1-lossy-client.pcapng")
    multi = fixture("v1-multi-client.pcapng")
    cases = [
        (["plot", "nonsense", cap, "0", "-o", "OUT"], ["unknown kind", "nonsense"]),
        (["plot", "owd", cap, "0", cap, "-o", "OUT"], ["same capture"]),
        (["plot", "owd", cap, "0", "-o", "OUT"], ["no capture loaded"]),
        (["plot", "hol", cap, "0", multi, "-o", "OUT"], ["no MPTCP connection"]),
        (["plot", "mptcp-dsn", multi, "4", "-o", "OUT"], ["tcp.stream 4", "mptcp.stream"]),
        (["plot", "mptcp-dsn", cap, "7", "-o", "OUT"], ["mptcp.stream 7"]),
        (["plot", "tcp-seq", cap, "99", "-o", "OUT"], ["tcp.stream 99"]),
        (["plot", "mptcp-dsn", cap, "x", "-o", "OUT"], ["not a mptcp.stream number"]),
        (["plot", "mptcp-dsn", cap, "0", "-o", "DIR/missing/out.png"], ["missing"]),
        (["plot", "mptcp-dsn", cap, "0", "-o", "DIR"], ["DIR"]),
        (["plot", "mptcp-dsn", cap, "0", "-o", "OUT.jpg"], ["jpg"]),
        (["plot", "mptcp-dsn", cap, "0", "-o", "OUT", "--towards", "up"], ["--towards"]),
        (["plot", "mptcp-throughput", cap, "0", "-o", "OUT", "--window", "0"], ["--window"]),
        (["plot", "mptcp-throughput", cap, "0", "-o", "OUT", "--window", "1e-9"], ["--window"]),
        (["plot", "mptcp-dsn", cap, "0", "-o", "OUT", "--window", "1"], ["--window"]),
        (["plot", "mptcp-dsn", cap, "0", "-o", "OUT", "--clock-offset", "1"], ["--clock-offset"]),
        (["plot", "mptcp-dsn", cap, "0", "-o", "OUT", "--term"], ["--term"]),
        (["plot", "mptcp-dsn", cap, "-o", "OUT"], ["no capture loaded"]),
        (["plot", "mptcp-dsn", "DIR/none.pcap", "0", "-o", "OUT"], ["none.pcap"]),
        (["plot", "mptcp-dsn", cap, "0", "-o", "OUT", "--data", "DIR/no/d.tsv"], ["d.tsv"]),
    ]
    for args, must in cases:
        try:
            d = os.path.join(TMP, "bad")
            bad_plot(args, [m.replace("DIR", d) for m in must])
        except Fail as e:
            raise Fail("%s: %s" % (" ".join(args[:4] + args[5:]), e))


def c7_empty_connection():
    """A TCP connection that carried no data (a rejected MP_JOIN)."""
    cap = fixture("v1-multi-client.pcapng")
    empty = [t["tcp_stream"] for t in tool_json("list-tcp", cap)["tcp_connections"]
             if t["bytes_to_server"] + t["bytes_to_client"] == 0]
    if not empty:
        raise Skip("this v1-multi capture has no connection without data")
    for kind in ("tcp-seq", "tcp-throughput"):
        bad_plot(["plot", kind, cap, str(empty[0]), "-o", "OUT"], ["nothing to plot"])


def c7_no_gnuplot():
    cap = fixture("v1-basic-client.pcapng")
    bad_plot(["plot", "mptcp-dsn", cap, "0", "-o", "OUT"], ["gnuplot", "gnuplot-nox"],
             env={"MPTCPANALYZER_GNUPLOT": "/nonexistent/gnuplot"})
    d = tmpdir("path")
    os.symlink(TSHARK, os.path.join(d, "tshark"))
    bad_plot(["plot", "mptcp-dsn", cap, "0", "-o", "OUT"], ["gnuplot-nox"],
             env={"PATH": d})


def fake_gnuplot(body):
    d = tmpdir("fake")
    p = os.path.join(d, "gnuplot")
    with open(p, "w") as f:
        f.write("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'gnuplot 5.4 patchlevel 4'; "
                "exit 0; fi\n" + body)
    os.chmod(p, 0o755)
    return p


def c7_gnuplot_fails():
    """gnuplot writes half a picture, then fails: its message on one line,
    no output file, no temporary file."""
    cap = fixture("v1-basic-client.pcapng")
    fake = fake_gnuplot("cat >/dev/null\nprintf 'PNGHALF'\n"
                        "printf 'plot $S0\\n     ^\\n         line 12: all "
                        "points y value undefined!\\n' >&2\nexit 1\n")
    bad_plot(["plot", "mptcp-dsn", cap, "0", "-o", "OUT", "--data", "DIR/d.tsv"],
             ["gnuplot failed", "all points y value undefined"],
             env={"MPTCPANALYZER_GNUPLOT": fake})
    old = fake_gnuplot("echo 'gnuplot 4.6 patchlevel 6'\n")
    with open(old, "w") as f:
        f.write("#!/bin/sh\necho 'gnuplot 4.6 patchlevel 6'\n")
    bad_plot(["plot", "mptcp-dsn", cap, "0", "-o", "OUT"], ["too old", "gnuplot-nox"],
             env={"MPTCPANALYZER_GNUPLOT": old})


def c7_gnuplot_reads_no_startup_file():
    """A ~/.gnuplot that would change the terminal changes nothing."""
    need_gnuplot()
    cap = fixture("v1-basic-client.pcapng")
    home = tmpdir("home")
    with open(os.path.join(home, ".gnuplot"), "w") as f:
        f.write("set terminal dumb\nset output '/dev/null'\n")
    out = os.path.join(home, "p.png")
    r = run(["plot", "mptcp-dsn", cap, "0", "-o", out], env={"HOME": home})
    expect(r.rc == 0, r.describe())
    png_size(open(out, "rb").read())


# ---------------------------------------------------------------------------
# 8. command line: scripts, the default output name, --json, checkhealth

def c8_script_and_default_name():
    cap = fixture("v1-basic-client.pcapng")
    d = tmpdir("script")
    script = os.path.join(d, "s.txt")
    with open(script, "w") as f:
        f.write("load-pcap %s\nplot mptcp-throughput 0\nplot tcp-seq 1 --towards server "
                "-o 'with space.svg'\n" % cap)
    r = run(["-f", script], cwd=d)
    expect(r.rc == 0, r.describe())
    want = "v1-basic-client-mptcp-throughput-0.png"
    expect(sorted(os.listdir(d)) == sorted(["s.txt", want, "with space.svg"]),
           "files: %s" % sorted(os.listdir(d)))
    png_size(open(os.path.join(d, want), "rb").read())


def c8_json():
    cap = fixture("v1-basic-client.pcapng")
    d = tmpdir("json")
    out = os.path.join(d, "p.png")
    r = run(["--json", "plot", "mptcp-dsn", cap, "0", "-o", out, "--data",
             os.path.join(d, "d.tsv")])
    expect(r.rc == 0, r.describe())
    doc = T.json.loads(r.out)
    expect(doc["kind"] == "mptcp-dsn" and doc["mptcp_stream"] == 0 and doc["output"] == out,
           "JSON %r" % doc)
    _, _, rows = read_data(os.path.join(d, "d.tsv"))
    expect(doc["points"] == len(rows), "points %d, data rows %d" % (doc["points"], len(rows)))


def c8_checkhealth():
    need_gnuplot()
    doc = T.json.loads(run(["--json", "checkhealth"]).out)
    ver = subprocess.run([GNUPLOT, "--version"], capture_output=True).stdout.decode()
    m = re.match(r"gnuplot (\d+)\.(\d+) patchlevel (\d+)", ver)
    expect(doc["gnuplot"] == os.path.realpath(GNUPLOT) or doc["gnuplot"] == GNUPLOT,
           "gnuplot %r, which says %r" % (doc["gnuplot"], GNUPLOT))
    expect(doc["gnuplot_version"] == "%s.%s.%s" % m.groups(), "version %r, gnuplot says %r"
           % (doc["gnuplot_version"], ver))
    r = run(["checkhealth"], env={"MPTCPANALYZER_GNUPLOT": "/nonexistent/gnuplot"})
    expect(r.rc != 0 and "gnuplot-nox" in r.err, "checkhealth without gnuplot: %s" % r.describe())


def c8_help():
    r = run(["help", "plot"])
    expect(r.rc == 0, r.describe())
    for k in KINDS + ["owd", "hol"]:
        expect(k in r.out, "help plot does not name %s" % k)
    expect("other end's capture" in r.out, "help plot does not say which kinds take two captures")


# ---------------------------------------------------------------------------

def main():
    if not T.start("plot"):
        return 1
    try:
        if not os.path.isdir(CAPS):
            print("# %s absent: checks on the sample captures are skipped" % CAPS)
        if not GNUPLOT:
            print("# gnuplot absent: checks that draw are skipped")
        draw = [] if GNUPLOT else None
        for cap in mptcp_captures():
            for stream in (mptcp_streams(cap) if draw is not None else []):
                name = "%s mptcp.stream %d" % (os.path.basename(cap), stream)
                check("1 %s: mptcp-throughput windows x rates = mptcp-summary bytes" % name,
                      c1_mptcp_throughput, cap, stream)
                check("2 %s: mptcp-dsn top = dsn_max, inferred, reinjections, data ACK" % name,
                      c2_mptcp_dsn, cap, stream)
                check("3 %s: reinjection CDF = list-reinjections delays" % name,
                      c3_reinjections, cap, stream)
        for cap in tcp_captures():
            name = os.path.basename(cap)
            check("4 %s: tcp-throughput windows x rates = tcp-summary bytes" % name,
                  c4_tcp_throughput, cap)
            check("4 %s: tcp-seq rows = tshark seq/len/time, sums = tcp-summary" % name,
                  c4_tcp_seq, cap)
        for cap in [fixture("v1-lossy-client.pcapng")] + sample("client_1_tcp_only.pcap"):
            for window in ("0.05", "0.3"):
                check("4 %s: tcp-throughput --window %s bytes per window = tshark"
                      % (os.path.basename(cap), window), c4_windows_vs_tshark, cap, window)
        checks = [
            ("5 -o FILE: format from the extension, PNG 1280x720, no stray file", c5_formats),
            ("5 every kind draws a PNG", c5_every_kind_png),
            ("6 thinning keeps extremes, retransmissions, reinjections; says so", c6_thinning),
            ("7 bad input: one line, non-zero exit, no file left", c7_bad_inputs),
            ("7 empty connection: nothing to plot", c7_empty_connection),
            ("7 gnuplot missing: names gnuplot-nox", c7_no_gnuplot),
            ("7 gnuplot failing or too old: one line, no partial file", c7_gnuplot_fails),
            ("7 gnuplot start-up files are not read", c7_gnuplot_reads_no_startup_file),
            ("8 plot in a script; default output name", c8_script_and_default_name),
            ("8 --json report", c8_json),
            ("8 checkhealth shows gnuplot", c8_checkhealth),
            ("8 help plot lists the kinds", c8_help),
        ]
        for name, fn in checks:
            if name.startswith(("5", "6", "8 plot", "8 --json")) and not GNUPLOT:
                check(name, need_gnuplot)
            else:
                check(name, fn)
        for cap, stream in [(fixture("v1-lossy-client.pcapng"), 0),
                            (fixture("crafted-ipv6-mixed.pcap"), 0)] + \
                [(c, 1) for c in sample("client_2.pcap")]:
            name = "%s mptcp.stream %d" % (os.path.basename(cap), stream)
            check("5 %s: one colour per subflow in every plot" % name,
                  c5_colours_consistent, cap, stream)
            check("5 %s: title, time axis, legend with 4-tuples" % name,
                  c5_title_and_legend, cap, stream)
        term_cases = [(k, fixture("v1-lossy-client.pcapng"), 0, ["--towards", "client"])
                      for k in KINDS] + \
            [("mptcp-dsn", c, 1, []) for c in sample("client_2.pcap")]
        for kind, cap, sid, extra in term_cases:
            check("5 %s --term %s: fits 100x30, titled" % (kind, os.path.basename(cap)),
                  c5_term, kind, cap, sid, extra)
    finally:
        status = T.finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
