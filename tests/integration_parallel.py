#!/usr/bin/python3
"""Integration suite for loading in frame ranges (-j N), the tshark version
memo, bounded waits on tshark and Ctrl-C.

Usage: MPTCPANALYZER_BIN=build/asan/mptcpanalyzer tests/integration_parallel.py
Reuses the helpers of tests/integration.py. The reference for every split
load is the same command on one tshark pass (-j 1), whose tcp.stream and
mptcp.stream numbers are tshark's own; every comparison also requires the
split to have happened (--stats says how many ranges ran), so a silent
fallback to one pass fails. The hidden MPTCPANALYZER_SPLIT forces cuts at
chosen frames ("frames:A,B,...") or lowers the size threshold
("min-packets:0"). Captures for the odd cases (pcapng layouts, ICMP errors,
IP fragments, shared unknown tokens) are written here, at test time, with
scripts/craft-captures as a library. Splitting the crafted captures at
every frame runs with the release binary; the sanitizer binary runs the
same code on a few cuts per capture. Python stdlib only.
"""
import glob
import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration as T  # noqa: E402
from integration import Skip, Fail, expect, check, run  # noqa: E402

REPO, CAPS, FIXTURES, BIN, LABEL = T.REPO, T.CAPS, T.FIXTURES, T.BIN, T.LABEL
TMP = os.path.join(REPO, "tests", "tmp", "parallel-%s-%d" % (LABEL, os.getpid()))
T.TMP = TMP
T.TIMEOUT = 300          # a run that starts dozens of tsharks on a busy machine
TSHARK = shutil.which("tshark") or "/usr/bin/tshark"
RELEASE = LABEL == "release"


def tmpdir(name):
    d = os.path.join(TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def craft():
    loader = importlib.machinery.SourceFileLoader(
        "craft", os.path.join(REPO, "scripts", "craft-captures"))
    spec = importlib.util.spec_from_loader("craft", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


CC = craft()


def sample(name):
    p = os.path.join(CAPS, name)
    return [p] if os.path.exists(p) else []


def packet_count(path):
    out = subprocess.run(["capinfos", "-Mc", path], capture_output=True, text=True).stdout
    m = re.search(r"Number of packets:\s*(\d+)", out)
    return int(m.group(1)) if m else 0


# ---------------------------------------------------------------------------
# the commands compared

def json_docs(text):
    """The JSON documents printed one after another."""
    dec, docs, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return docs
        doc, i = dec.raw_decode(text, i)
        docs.append(doc)


def command_lines(path):
    """Every report of the capture: list-tcp, list-mptcp, each connection's
    mptcp-summary --full and list-reinjections, each stream's tcp-summary
    --full (ids from a one-pass load)."""
    r = run(["--no-cache", "--json", "-j", "1", "list-tcp " + path, "list-mptcp"])
    docs = json_docs(r.out)
    expect(docs and "tcp_connections" in docs[0], "list-tcp: %s" % r.describe())
    streams = [c["tcp_stream"] for c in docs[0]["tcp_connections"]]
    lines = ["load-pcap " + path, "list-tcp"]
    ids = []
    if r.rc == 0:                       # else plain TCP only
        d = docs[1]
        ids = sorted({c["mptcp_stream"] for c in d["mptcp_connections"]} |
                     {c["wireshark_mptcp_stream"] for c in d["orphan_subflows"]})
        lines.append("list-mptcp")
    lines += ["mptcp-summary %d --full" % m for m in ids]
    lines += ["list-reinjections %d" % m for m in ids]
    lines += ["tcp-summary %d --full" % s for s in streams]
    return lines


def load_run(path, jobs, env=None, json_out=True, lines=None):
    """One run of all the command lines on one load; (stdout, stderr less
    the stats line, the stats line's ranges=...)."""
    args = ["--no-cache", "--stats", "-j", str(jobs)] + (["--json"] if json_out else [])
    r = run(args + (lines or command_lines(path)), env=env)
    expect(r.rc == 0, "-j %d: %s" % (jobs, r.describe()))
    stats = [l for l in r.err_lines() if l.startswith("stats:")]
    expect(stats, "no stats line: %r" % r.err[-300:])
    m = re.search(r" ranges=(\d+)( single=\"([^\"]*)\")?", stats[-1])
    err = "\n".join(l for l in r.err_lines() if not l.startswith("stats:"))
    return r.out, err, (int(m.group(1)), m.group(3)) if m else (None, None)


_reference = {}


def reference(path, json_out=True):
    key = (path, json_out)
    if key not in _reference:
        lines = command_lines(path)
        out, err, (n, why) = load_run(path, 1, json_out=json_out, lines=lines)
        expect(n == 1, "-j 1 ran %s ranges" % n)
        _reference[key] = (lines, out, err)
    return _reference[key]


def same_as_one_pass(path, jobs, env, want_ranges=None, json_out=True,
                     may_fall_back=False):
    """The split load's output (stdout and warnings) = the one-pass load's;
    the split happened (want_ranges ranges when given, else at least 2),
    or, where may_fall_back, the replay disagreed and said why."""
    lines, ref_out, ref_err = reference(path, json_out)
    out, err, (n, why) = load_run(path, jobs, env=env, json_out=json_out, lines=lines)
    if may_fall_back and n == 1:
        expect(why and "range" in why, "one range without a disagreement: %r" % why)
        want_ranges = None
    else:
        expect(n is not None and n >= 2, "not split: ran %s range(s) (%s)" % (n, why))
    if want_ranges is not None:
        expect(n == want_ranges, "%d ranges, wanted %d" % (n, want_ranges))
    if out != ref_out:
        a, b = ref_out.splitlines(), out.splitlines()
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        raise Fail("output differs from -j 1 at line %d: %r vs %r" % (
            i + 1, a[i] if i < len(a) else None, b[i] if i < len(b) else None))
    expect(err == ref_err, "stderr %r, -j 1: %r" % (err[:300], ref_err[:300]))
    return n


def cuts_env(frames):
    return {"MPTCPANALYZER_SPLIT": "frames:" + ",".join(str(f) for f in frames)}


# ---------------------------------------------------------------------------
# 1. split captures = one pass

def p1_every_frame(path, lo, hi):
    """Cuts before every frame in [lo, hi): one range per frame. The replay
    does not model every robustness case (an ICMP-quoted header with MPTCP
    options, options cut by the snap length, tunnels): there a range may
    disagree, and the load must then fall back to one pass, same output."""
    frames = list(range(lo, hi))
    same_as_one_pass(path, 8, cuts_env(frames), want_ranges=len(frames) + 1,
                     may_fall_back="robust-" in path)


def every_frame_checks(path):
    n = packet_count(path)
    for lo in range(2, n + 1, 24):
        hi = min(lo + 24, n + 1)
        check("1 %s: cut before each of frames %d-%d = one pass"
              % (os.path.basename(path), lo, hi - 1), p1_every_frame, path, lo, hi)


def p1_some_cuts(path):
    n = packet_count(path)
    if n < 8:
        raise Skip("%d packets" % n)
    frames = sorted({max(2, n * k // 7) for k in range(1, 7)})
    same_as_one_pass(path, 3, cuts_env(frames), want_ranges=len(frames) + 1,
                     may_fall_back="robust-" in path)


def p1_jobs(path, jobs):
    """-j N with the size threshold lifted: N ranges of equal size."""
    same_as_one_pass(path, jobs, {"MPTCPANALYZER_SPLIT": "min-packets:0"},
                     want_ranges=jobs)


def p1_text(path):
    same_as_one_pass(path, 7, {"MPTCPANALYZER_SPLIT": "min-packets:0"}, want_ranges=7,
                     json_out=False)


def crafted():
    """The small crafted fixtures and the robustness ones (ICMP errors,
    same keys, cut options, time going back, tunnels): cut everywhere."""
    return sorted(glob.glob(os.path.join(FIXTURES, "crafted-*.pcap")) +
                  glob.glob(os.path.join(FIXTURES, "robust", "robust-*.pcap*")))


def all_fixtures():
    return sorted(glob.glob(os.path.join(FIXTURES, "*.pcap*")))


def published():
    return [p for n in ("client_1_tcp_only.pcap", "client_2.pcap",
                        "server_1_tcp_only.pcap", "server_2.pcap") for p in sample(n)]


# ---------------------------------------------------------------------------
# 2. captures written here: odd layouts and numbering cases

def pcap_records(path):
    """(linktype, [(sec, usec, frame bytes)]) of a classic little-endian pcap."""
    data = open(path, "rb").read()
    linktype = struct.unpack("<I", data[20:24])[0]
    out, off = [], 24
    while off + 16 <= len(data):
        sec, usec, caplen, _ = struct.unpack("<IIII", data[off:off + 16])
        out.append((sec, usec, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return linktype, out


def block(btype, body, big=False):
    e = ">" if big else "<"
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def shb(big=False):
    e = ">" if big else "<"
    return block(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1), big)


def idb(linktype, big=False):
    e = ">" if big else "<"
    return block(1, struct.pack(e + "HHI", linktype, 0, 262144), big)


def epb(iface, sec, usec, data, big=False):
    e = ">" if big else "<"
    ts = sec * 1000000 + usec
    return block(6, struct.pack(e + "IIIII", iface, ts >> 32, ts & 0xffffffff,
                                len(data), len(data)) + data, big)


def pcapng_variant(src, kind):
    """A pcapng of src's packets: 'late-idb' (a second interface declared
    after 20 packets, later packets alternating), 'sections' (a new
    section every 25 packets, interfaces declared again), 'big-endian'."""
    lt, recs = pcap_records(src)
    big = kind == "big-endian"
    out = [shb(big), idb(lt, big)]
    n_if = 1
    for i, (sec, usec, data) in enumerate(recs):
        if kind == "late-idb" and i == 20:
            out.append(idb(lt, big))
            n_if = 2
        if kind == "sections" and i and i % 25 == 0:
            out += [shb(big), idb(lt, big)]
        iface = (i % n_if) if kind == "late-idb" else 0
        out.append(epb(iface, sec, usec, data, big))
    return b"".join(out)


def write_tmp(name, data):
    path = os.path.join(tmpdir("made-" + name), name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def p2_variant(kind):
    src = os.path.join(FIXTURES, "crafted-stream-reuse.pcap")
    if not os.path.exists(src):
        raise Skip("%s absent" % src)
    path = write_tmp("variant-%s.pcapng" % kind, pcapng_variant(src, kind))
    n = packet_count(path)
    expect(n > 80, "%d packets written" % n)
    # every 4th frame, and each frame around the late interface / sections
    special = {20, 21, 22, 25, 26, 27, 50, 51, 52, 75, 76, 77}
    frames = sorted(set(range(2, n + 1, 4 if RELEASE else 23)) | special)
    same_as_one_pass(path, 8, cuts_env(frames), want_ranges=len(frames) + 1)


def icmp_error(inner_frame, quote, router="10.0.9.9", to="10.0.0.1"):
    """An ICMP 'network unreachable' quoting the IPv4 header and `quote`
    bytes of TCP of an Ethernet frame built by craft-captures."""
    inner = inner_frame[14:14 + 20 + quote]
    body = struct.pack("!BBHI", 3, 0, 0, 0) + inner
    body = body[:2] + struct.pack("!H", CC.csum(body)) + body[4:]
    import ipaddress
    s, d = ipaddress.ip_address(router).packed, ipaddress.ip_address(to).packed
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 0, 0, 64, 1, 0, s, d)
    ip = ip[:10] + struct.pack("!H", CC.csum(ip)) + ip[12:]
    return bytes.fromhex("020000000001020000000002") + b"\x08\x00" + ip + body


def numbering_capture():
    """Cases kept out of fixtures/ (the one-pass reports do not all make
    sense of them yet): two joins with the same unknown token (one made-up
    mptcp.stream in Wireshark), ICMP errors quoting subflow packets (one
    the first packet of its port pair), the initial subflow's port pair
    reused by a connection with the first one's keys, a capture that starts
    with packets of the middle of a connection."""
    pc = CC.Pcap()
    c1 = CC.Conn(1, 0x1111222233334444, 0x5555666677778888)
    a = CC.Subflow(pc, "10.0.0.1", 41000, "10.0.0.2", 5201, 100, 200)
    mid = CC.Subflow(pc, "10.0.5.1", 41500, "10.0.0.2", 5201, 70000, 80000)
    mid.nxt[True] += 5000
    mid.nxt[False] += 9000
    mid.send(False, CC.ACK, CC.dss(ack=123456, ack8=True))   # mid-way, server first
    pc.add(icmp_error(CC.frame("10.0.7.1", "10.0.0.2", 41700, 5201, 4242, 0, CC.ACK), 20))
    c1.handshake(a)
    c1.data(a, True, 300)
    c1.pure_ack(a, False)
    mid.send(True, CC.ACK | CC.PSH, CC.dss(ack=99, ack8=True), b"x" * 40)
    tok = 0xABCDEF01
    for i, port in enumerate((41001, 41002)):
        j = CC.Subflow(pc, "10.0.1.1", port, "10.0.0.2", 5201, 1000 * (i + 3), 1000 * (i + 5))
        j.send(True, CC.SYN, CC.MSS + CC.join_syn(tok, 0x1000 + i))
        j.send(False, CC.SYN | CC.ACK, CC.MSS + CC.join_synack(0x2000 + i))
        pc.add(icmp_error(CC.frame("10.0.1.1", "10.0.0.2", port, 5201, j.nxt[True], 0,
                                   CC.ACK), 20 if i == 0 else 8))
        j.send(True, CC.ACK, CC.join_ack())
        j.send(False, CC.RST | CC.ACK)
        c1.data(a, True, 200)
        c1.pure_ack(a, False)
    c1.data_fin(a, True)
    c1.pure_ack(a, False)
    c1.close_subflow(a)
    again = CC.Conn(1, 0x1111222233334444, 0x5555666677778888)   # same keys
    b = CC.Subflow(pc, "10.0.0.1", 41000, "10.0.0.2", 5201, 900000, 950000)
    again.handshake(b)
    again.data(b, False, 500)
    again.pure_ack(b, True)
    again.close_subflow(b)
    return pc


def p2_numbering():
    pc = numbering_capture()
    path = os.path.join(tmpdir("numbering"), "numbering.pcap")
    pc.write(path)
    n = packet_count(path)
    frames = list(range(2, n + 1)) if RELEASE else [2, 3, 4, 9, 12, 15, n - 3]
    same_as_one_pass(path, 8, cuts_env(frames), want_ranges=len(frames) + 1)


def p2_one_packet():
    """A one-packet capture cannot be cut: one pass, same output."""
    lt, recs = pcap_records(os.path.join(FIXTURES, "crafted-midway.pcap"))
    data = T.pcap_header(lt) + b"".join(
        struct.pack("<IIII", s, u, len(d), len(d)) + d for s, u, d in recs[:1])
    path = write_tmp("one.pcap", data)
    lines, ref_out, ref_err = reference(path)
    out, err, (n, why) = load_run(path, 4, env={"MPTCPANALYZER_SPLIT": "min-packets:0"},
                                  lines=lines)
    expect(n == 1 and why, "ranges %s (%s)" % (n, why))
    expect(out == ref_out and err == ref_err, "output differs: %r" % out[:200])


def p2_truncated():
    """A capture cut short: only the last range sees the cut; same output
    and the same 'cut short' warning as one pass."""
    src = os.path.join(FIXTURES, "v1-lossy-client.pcapng")
    if not os.path.exists(src):
        raise Skip("%s absent" % src)
    data = open(src, "rb").read()
    path = write_tmp("cut.pcapng", data[:len(data) * 7 // 10 + 5])
    lines, ref_out, ref_err = reference(path)
    expect("cut short" in ref_err, "one pass gave no warning: %r" % ref_err)
    same_as_one_pass(path, 3, {"MPTCPANALYZER_SPLIT": "min-packets:0"}, want_ranges=3)


def fragmented_capture():
    """200 packets of one connection; two of its segments are carried in
    two IPv4 fragments each (frames 11-12 and 102-103)."""
    pc = CC.Pcap()
    for i in range(198):
        if i in (10, 100):
            full = CC.frame("10.0.0.1", "10.0.0.2", 40000, 80, 1 + 100 * i, 1,
                            CC.ACK | CC.PSH, payload=bytes(range(200)))
            ip, tcp = full[14:34], full[34:]
            for off, part, more in ((0, tcp[:104], 1), (13, tcp[104:], 0)):
                h = bytearray(ip)
                h[2:4] = struct.pack("!H", 20 + len(part))
                h[6:8] = struct.pack("!H", (more << 13) | off)
                h[10:12] = b"\0\0"
                h[10:12] = struct.pack("!H", CC.csum(bytes(h)))
                pc.add(full[:14] + bytes(h) + part)
        else:
            pc.add(CC.frame("10.0.0.1", "10.0.0.2", 40000, 80, 1 + 100 * i, 1,
                            CC.ACK, payload=b"y" * 100))
    return pc


def p2_fragments():
    """Cuts asked for between the two fragments of a datagram (tshark
    reassembles them) move on, past the fragments: same output."""
    path = os.path.join(tmpdir("frag"), "frag.pcap")
    fragmented_capture().write(path)
    expect(packet_count(path) == 200, "%d packets" % packet_count(path))
    same_as_one_pass(path, 4, cuts_env([12, 103]), want_ranges=3)


# ---------------------------------------------------------------------------
# 3. one tshark per cold load: the version memo

def logging_tshark(d, body=None):
    """A tshark stand-in that logs each start (its arguments) and runs the
    real one (or body)."""
    path = os.path.join(d, "tshark")
    log = os.path.join(d, "tshark.log")
    with open(path, "w") as f:
        f.write('#!/bin/sh\necho "$*" >> %s\n%s\n' % (log, body or 'exec %s "$@"' % TSHARK))
    os.chmod(path, 0o755)
    return path, log


def starts(log):
    return open(log).read().splitlines() if os.path.exists(log) else []


def small_fixture():
    return T.fixture("v1-basic-client.pcapng")


def p3_one_start():
    d = tmpdir("memo")
    ts, log = logging_tshark(d)
    cache = os.path.join(d, "cache")
    env = {"MPTCPANALYZER_TSHARK": ts}
    r = run(["--cache-dir", cache, "list-tcp", small_fixture()], env=env)
    expect(r.rc == 0, r.describe())
    first = starts(log)
    expect(len(first) == 2 and first[0] == "--version", "first run started %s" % first)
    other = os.path.join(FIXTURES, "v1-multi-client.pcapng")
    r = run(["--cache-dir", cache, "list-tcp", other], env=env)
    expect(r.rc == 0, r.describe())
    second = starts(log)[len(first):]
    expect(len(second) == 1 and " -r " in " " + second[0], "a cold load started %s" % second)
    r = run(["--cache-dir", cache, "checkhealth"], env=env)
    expect(r.rc == 0, r.describe())
    third = starts(log)[len(first) + 1:]
    expect(third and third[0] == "--version", "checkhealth did not ask tshark: %s" % third)


def p3_old_memo_refused():
    d = tmpdir("memo-old")
    ts, log = logging_tshark(d, "echo 'TShark (Wireshark) 3.4.0'\nexit 0")
    cache = os.path.join(d, "cache")
    for i in range(2):
        r = run(["--cache-dir", cache, "list-tcp", small_fixture()],
                env={"MPTCPANALYZER_TSHARK": ts})
        T.expect_one_error(r, ["too old", "3.4.0"], "old tshark, run %d" % (i + 1))
    expect(len(starts(log)) == 1, "tshark started %s (the memo should answer the "
           "second run)" % starts(log))


def p3_changed_binary():
    """A memo for a binary that changed since is not trusted."""
    d = tmpdir("memo-changed")
    ts, log = logging_tshark(d)
    cache = os.path.join(d, "cache")
    env = {"MPTCPANALYZER_TSHARK": ts}
    r = run(["--cache-dir", cache, "list-tcp", small_fixture()], env=env)
    expect(r.rc == 0, r.describe())
    n = len(starts(log))
    time.sleep(0.05)
    with open(ts, "w") as f:       # same path, now an old tshark
        f.write("#!/bin/sh\necho \"$*\" >> %s\necho 'TShark (Wireshark) 3.2.1'\n" % log)
    r = run(["--cache-dir", cache, "list-tcp", os.path.join(FIXTURES, "v1-multi-client.pcapng")],
            env=env)
    T.expect_one_error(r, ["too old"], "replaced tshark")
    expect(starts(log)[n:][:1] == ["--version"], "the changed tshark was not asked: %s"
           % starts(log)[n:])


def p3_no_cache():
    d = tmpdir("memo-nocache")
    ts, log = logging_tshark(d)
    xdg = os.path.join(d, "xdg")
    r = run(["--no-cache", "list-tcp", small_fixture()],
            env={"MPTCPANALYZER_TSHARK": ts, "XDG_CACHE_HOME": xdg})
    expect(r.rc == 0, r.describe())
    expect(len(starts(log)) == 2, "starts %s" % starts(log))
    expect(not os.path.exists(xdg), "--no-cache wrote in %s" % xdg)


# ---------------------------------------------------------------------------
# 4. bounded waits, non-regular captures

def fake_tshark(d, export_body, version_body=None):
    """A tshark answering --version like the real one (or version_body) and
    running export_body for everything else; it records the pids of itself
    and its children in d/pids."""
    path = os.path.join(d, "tshark")
    pids = os.path.join(d, "pids")
    with open(path, "w") as f:
        f.write("#!/bin/sh\necho $$ >> %s\n"
                "case \"$1\" in --version) %s;; esac\n%s\n"
                % (pids, version_body or 'exec %s --version' % TSHARK, export_body))
    os.chmod(path, 0o755)
    return path, pids


def alive(pids_file):
    """The recorded pids still running (a zombie waiting for init to reap
    it has ended)."""
    left = []
    for line in (open(pids_file).read().split() if os.path.exists(pids_file) else []):
        try:
            stat = open("/proc/%s/stat" % line).read()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2] != "Z":
            left.append(int(line))
    return left


def p4_silent_tshark():
    d = tmpdir("silent")
    ts, pids = fake_tshark(d, "sleep 60 &\necho $! >> %s\nwait" % os.path.join(d, "pids"))
    t0 = time.monotonic()
    r = run(["--no-cache", "list-tcp", small_fixture()],
            env={"MPTCPANALYZER_TSHARK": ts, "MPTCPANALYZER_TSHARK_IDLE": "1.5"})
    dt = time.monotonic() - t0
    T.expect_one_error(r, ["no output", small_fixture()], "silent tshark")
    expect(dt < 10, "took %.1f s" % dt)
    expect(not alive(pids), "left running: %s" % alive(pids))


def p4_grandchild_keeps_pipe():
    """tshark exits but a child of it keeps its output open: we stop
    reading a moment after tshark exited, with the right result."""
    d = tmpdir("linger")
    ts, pids = fake_tshark(d, '%s "$@"\nrc=$?\nsleep 60 &\necho $! >> %s\nexit $rc'
                           % (TSHARK, os.path.join(d, "pids")))
    path = small_fixture()
    want = run(["--no-cache", "--json", "list-tcp", path])
    t0 = time.monotonic()
    r = run(["--no-cache", "--json", "list-tcp", path], env={"MPTCPANALYZER_TSHARK": ts})
    dt = time.monotonic() - t0
    expect(r.rc == 0 and r.out == want.out, r.describe())
    expect(dt < 20, "took %.1f s" % dt)
    expect(not alive(pids), "left running: %s" % alive(pids))


def p4_version_hangs():
    d = tmpdir("hang-version")
    ts, pids = fake_tshark(d, "exit 1", version_body="exec sleep 60")
    for args in (["--no-cache", "list-tcp", small_fixture()], ["checkhealth"]):
        t0 = time.monotonic()
        r = run(args, env={"MPTCPANALYZER_TSHARK": ts, "MPTCPANALYZER_TSHARK_TIMEOUT": "1.5"})
        T.expect_one_error(r, ["--version", "within"], " ".join(args))
        expect(time.monotonic() - t0 < 10, "%s took too long" % args)
    expect(not alive(pids), "left running: %s" % alive(pids))


def p4_fields_hang():
    d = tmpdir("hang-fields")
    ts, pids = fake_tshark(d, "exec sleep 60")
    r = run(["checkhealth"], env={"MPTCPANALYZER_TSHARK": ts, "MPTCPANALYZER_TSHARK_TIMEOUT": "1.5"})
    T.expect_one_error(r, ["-G", "within"], "checkhealth, -G fields hangs")
    expect(not alive(pids), "left running: %s" % alive(pids))


def p4_fifo():
    d = tmpdir("fifo")
    path = os.path.join(d, "capture.pcap")
    os.mkfifo(path)
    cache = os.path.join(d, "cache")
    t0 = time.monotonic()
    r = run(["--cache-dir", cache, "list-tcp", path])
    T.expect_one_error(r, [path, "not a regular file"], "FIFO")
    expect(time.monotonic() - t0 < 5, "took %.1f s" % (time.monotonic() - t0))
    expect(not os.path.exists(cache), "cache folder made: %s" % cache)


# ---------------------------------------------------------------------------
# 5. Ctrl-C

def slow_tshark(d):
    """Answers --version; any export just waits (and says which pids)."""
    return fake_tshark(d, "sleep 60 &\necho $! >> %s\nwait" % os.path.join(d, "pids"))


def files_under(d):
    return sorted(os.path.join(r, n) for r, _, ns in os.walk(d) for n in ns
                  if not n.startswith("tshark-version-"))


def p5_sigint(split):
    d = tmpdir("sigint-%d" % split)
    ts, pids = slow_tshark(d)
    cache = os.path.join(d, "cache")
    env = dict(os.environ, MPTCPANALYZER_TSHARK=ts, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0")
    if split:
        env["MPTCPANALYZER_SPLIT"] = "frames:100,200,300"
    p = subprocess.Popen([BIN, "-j", "4", "--cache-dir", cache, "list-tcp", small_fixture()],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 20
    want = 1 + (8 if split else 2)          # --version, then tshark + sleep per range
    while len(open(pids).read().split() if os.path.exists(pids) else []) < want:
        expect(time.monotonic() < deadline and p.poll() is None, "tsharks did not start")
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Fail("still running 20 s after SIGINT")
    err = err.decode("utf-8", "replace")
    for mark in T.SANITIZER_MARKS:
        expect(mark not in err, "sanitizer report: %r" % err[:400])
    lines = err.splitlines()
    expect(p.returncode not in (0, -signal.SIGINT), "exit status %d" % p.returncode)
    expect(len(lines) == 1 and "interrupted" in lines[0], "stderr %r" % err[:300])
    time.sleep(0.2)
    expect(not alive(pids), "left running: %s" % alive(pids))
    expect(files_under(cache) == [], "cache holds %s" % files_under(cache))


def p5_shell():
    """In the shell, Ctrl-C at the prompt gives a new prompt; during a load
    it stops the load (every tshark ended) and the shell goes on."""
    d = tmpdir("sigint-shell")
    ts, pids = slow_tshark(d)
    env = dict(os.environ, TERM="dumb", MPTCPANALYZER_TSHARK=ts,
               XDG_STATE_HOME=os.path.join(d, "state"), XDG_CACHE_HOME=os.path.join(d, "xdg"),
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=0")
    sh = T.PtyRun(BIN, [BIN, "-q"], env)
    talk = sh.talk
    talk(b"", 1.0)
    talk(b"some words\x03", 1.0)
    talk(b"load-pcap " + small_fixture().encode() + b"\n", 2.0)
    running = alive(pids)
    talk(b"\x03", 2.0)
    talk(b"help quit\n", 1.0)
    talk(b"quit\n", 1.0)
    status, text = sh.close()
    expect(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
           "shell exit status %r: %r" % (status, text[-300:]))
    for mark in T.SANITIZER_MARKS:
        expect(mark not in text, "sanitizer report: %r" % text[text.find(mark):][:300])
    expect(len(running) >= 2, "the load did not start tshark: %s" % running)
    expect(not alive(pids), "left running: %s" % alive(pids))
    expect(re.search(r"\^C\s*\r?\n.*mptcpanalyzer> load-pcap", text, re.S),
           "no new prompt after Ctrl-C at the prompt: %r" % text[:300])
    expect("interrupted" in text and "usage: quit" in text,
           "the shell did not go on after the interrupted load: %r" % text[-400:])


# ---------------------------------------------------------------------------
# 6. progress over all ranges, -j

def p6_progress():
    """On a terminal, a load over a second shows one progress line: the
    share of packets read by all tsharks together."""
    path = small_fixture()
    d = tmpdir("progress")
    # a tshark whose rows trickle: the load takes a few seconds
    ts, _ = fake_tshark(d, '%s "$@" | while IFS= read -r l; do printf "%%s\\n" "$l"; '
                        'sleep 0.01; done' % TSHARK)
    env = dict(os.environ, TERM="dumb", MPTCPANALYZER_TSHARK=ts,
               MPTCPANALYZER_SPLIT="frames:200", ASAN_OPTIONS="detect_leaks=1:abort_on_error=0")
    prog = T.PtyRun(BIN, [BIN, "--no-cache", "--stats", "-j", "2", "list-tcp", path], env)
    prog.read_to_end(30)
    status, text = prog.close()
    expect(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "status %r: %r" % (status, text[-300:]))
    expect("ranges=2" in text, "not split: %r" % text[-300:])
    shares = [int(x) for x in re.findall(r"\] +(\d+)%  \d+ packets/s", text)]
    expect(shares, "no progress line: %r" % text[:300])
    expect(shares == sorted(shares) and 0 < max(shares) <= 100,
           "shares not one growing line: %s" % shares)
    expect("\r\x1b[K" in text, "progress line not cleared")


def p6_jobs_option():
    path = small_fixture()
    for bad in ("0", "65", "x", "-1"):
        r = run(["-j", bad, "list-tcp", path])
        expect(r.rc == 2 and len(r.err_lines()) == 1 and "-j" in r.err_lines()[0],
               "-j %r: %s" % (bad, r.describe()))
    for good in (["-j1"], ["-j", "3"], ["-j7"]):
        r = run(["--no-cache", "--json"] + good + ["list-tcp", path])
        expect(r.rc == 0 and json.loads(r.out)["tcp_connections"], "%s: %s" % (good, r.describe()))
    r = run(["--help"])
    expect("-j N" in r.out, "--help does not mention -j")


def p6_small_stays_single():
    """Below the size threshold a capture is read by one tshark (the
    default -j is the number of CPUs)."""
    d = tmpdir("single")
    ts, log = logging_tshark(d)
    r = run(["--no-cache", "--stats", "-j", "4", "list-tcp", small_fixture()],
            env={"MPTCPANALYZER_TSHARK": ts})
    expect(r.rc == 0, r.describe())
    loads = [l for l in starts(log) if l.startswith("-r")]
    expect(len(loads) == 1 and "-r " + small_fixture() in loads[0], "starts %s" % starts(log))
    expect('ranges=1 single="small capture' in r.err, r.err[-200:])


# ---------------------------------------------------------------------------

def main():
    if not T.start("parallel"):
        return 1
    try:
        if not os.path.isdir(CAPS):
            print("# %s absent: checks on the sample captures are skipped" % CAPS)
        for path in crafted():
            if RELEASE:
                every_frame_checks(path)
            else:
                check("1 %s: six cuts = one pass" % os.path.basename(path), p1_some_cuts, path)
        # the sanitizer binary runs the same code on fewer splits
        for path in all_fixtures() + published():
            for jobs in (2, 3, 7) if RELEASE else (3,):
                check("1 %s: -j %d = -j 1" % (os.path.basename(path), jobs), p1_jobs, path, jobs)
        for path in published():
            check("1 %s: -j 7 text output = -j 1" % os.path.basename(path), p1_text, path)
            check("1 %s: six cuts = one pass" % os.path.basename(path), p1_some_cuts, path)
        for kind in ("late-idb", "sections", "big-endian"):
            check("2 pcapng with %s, cut at every frame = one pass" % kind, p2_variant, kind)
        for name, fn in [
            ("2 shared unknown join token, ICMP errors, reused keys and port pair, mid-way start: "
             "cut at every frame = one pass", p2_numbering),
            ("2 one-packet capture: one pass, same output", p2_one_packet),
            ("2 truncated capture: last range cut short, same output and warning", p2_truncated),
            ("2 cuts near IP fragments move away from them", p2_fragments),
            ("3 a cold load starts one tshark; checkhealth asks tshark", p3_one_start),
            ("3 a too-old tshark is refused, also from the memo", p3_old_memo_refused),
            ("3 a changed tshark binary is asked again", p3_changed_binary),
            ("3 --no-cache: version asked, nothing written", p3_no_cache),
            ("4 silent tshark stopped after the idle limit, nothing left running", p4_silent_tshark),
            ("4 grandchild holding tshark's output: result right, not waited for", p4_grandchild_keeps_pipe),
            ("4 tshark --version hanging: bounded (load and checkhealth)", p4_version_hangs),
            ("4 tshark -G fields hanging: checkhealth bounded", p4_fields_hang),
            ("4 FIFO capture refused at once, nothing cached", p4_fifo),
            ("5 SIGINT during a load: interrupted, tsharks ended, nothing cached", lambda: p5_sigint(0)),
            ("5 SIGINT during a split load: every tshark ended", lambda: p5_sigint(1)),
            ("5 shell: Ctrl-C at the prompt and during a load", p5_shell),
            ("6 progress: one line over all ranges", p6_progress),
            ("6 -j: bad values refused, good ones work", p6_jobs_option),
            ("6 a small capture is read by one tshark", p6_small_stays_single),
        ]:
            check(name, fn)
    finally:
        status = T.finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
