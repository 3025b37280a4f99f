#!/usr/bin/python3
"""Integration suite for mptcpanalyzer: runs the binary on the sample
captures (../shared/captures relative to the repo root), on the fixtures
(fixtures/*.pcap*) and on bad input, and compares what it says with values
computed here, independently, from tshark's own field export.

Usage: MPTCPANALYZER_BIN=build/asan/mptcpanalyzer tests/integration.py
       tests/integration.py [BINARY]
Prints `ok - NAME`, `not ok - NAME: detail` or `ok - NAME # SKIP why` per
check, then a machine-readable `# SUMMARY PASSED FAILED SKIPPED` line that
tests/run adds up. Exit status 1 when a check failed.

tshark runs at most once per capture (results cached in memory); the
binary's JSON output is cached per (command, capture) too. Python stdlib only.
"""
import glob
import hashlib
import json
import os
import pty
import random
import re
import select
import shutil
import stat
import struct
import subprocess
import sys
import time
import traceback

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# MPTCPANALYZER_TEST_CAPTURES overrides the folder (to try the suite without it)
CAPS = os.environ.get("MPTCPANALYZER_TEST_CAPTURES") or \
    os.path.normpath(os.path.join(REPO, "..", "shared", "captures"))
FIXTURES = os.environ.get("MPTCPANALYZER_TEST_FIXTURES") or os.path.join(REPO, "fixtures")
BIN = os.environ.get("MPTCPANALYZER_BIN") or (sys.argv[1] if len(sys.argv) > 1
                                              else "build/mptcpanalyzer")
BIN = os.path.abspath(os.path.join(REPO, BIN))
LABEL = "asan" if "asan" in BIN else "release"
TMP = os.path.join(REPO, "tests", "tmp", "integration-%s-%d" % (LABEL, os.getpid()))
TIMEOUT = 120
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "LeakSanitizer", "runtime error:")

counts = {"passed": 0, "failed": 0, "skipped": 0}


class Skip(Exception):
    pass


class Fail(Exception):
    pass


def check(name, fn, *args):
    """Run one named check and print its result line."""
    name = "[%s] %s" % (LABEL, name)
    try:
        fn(*args)
    except Skip as e:
        counts["skipped"] += 1
        print("ok - %s # SKIP %s" % (name, e), flush=True)
    except (Fail, AssertionError) as e:
        counts["failed"] += 1
        print("not ok - %s: %s" % (name, one_line(str(e))), flush=True)
    except Exception as e:  # a bug in this suite, or unexpected output
        counts["failed"] += 1
        tb = traceback.extract_tb(e.__traceback__)[-1]
        print("not ok - %s: %s: %s (integration.py:%d)"
              % (name, type(e).__name__, one_line(str(e)), tb.lineno), flush=True)
    else:
        counts["passed"] += 1
        print("ok - %s" % name, flush=True)


class PtyRun:
    """A program on a pseudo-terminal (the shell, bash with our completion):
    keys in, all it printed kept, its exit status at the end."""

    def __init__(self, path, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(path, argv, env)
        self.out = b""

    def talk(self, data, wait=1.0):
        """Type data, then read what comes for wait seconds."""
        os.write(self.fd, data)
        end = time.time() + wait
        while time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    self.out += os.read(self.fd, 65536)
                except OSError:
                    break

    def read_to_end(self, idle=30):
        """Read until the program closes the terminal or is silent idle s."""
        while True:
            try:
                r, _, _ = select.select([self.fd], [], [], idle)
                chunk = os.read(self.fd, 65536) if r else b""
            except OSError:
                break
            if not chunk:
                break
            self.out += chunk

    def close(self):
        """Wait for the program's end: (wait status, what it printed)."""
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return status, self.out.decode("utf-8", "replace")


def start(suite):
    """Begin a suite: make its folder and keep the tool's cache in it (the
    tool caches loaded captures under $XDG_CACHE_HOME by default: this run's
    entries stay private, out of the user's cache). False, after a failing
    summary line, when the binary cannot run."""
    if not os.access(BIN, os.X_OK):
        print("not ok - [%s] %s: binary %s not executable" % (LABEL, suite, BIN))
        print("# SUMMARY 0 1 0")
        return False
    os.makedirs(TMP, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = os.path.join(TMP, "xdg-cache")
    return True


def finish():
    """End a suite: remove its folder (and tests/tmp once empty), print the
    summary line; the exit status."""
    shutil.rmtree(TMP, ignore_errors=True)
    try:
        os.rmdir(os.path.dirname(TMP))
    except OSError:
        pass
    print("# SUMMARY %d %d %d" % (counts["passed"], counts["failed"], counts["skipped"]))
    return 1 if counts["failed"] else 0


def one_line(s, limit=600):
    s = " | ".join(line for line in s.splitlines() if line.strip())
    return s if len(s) <= limit else s[:limit] + "..."


def expect(cond, msg):
    if not cond:
        raise Fail(msg)


# ---------------------------------------------------------------------------
# running the binary

class Result:
    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.out, self.err = args, rc, out, err

    def err_lines(self):
        return self.err.splitlines()

    def describe(self):
        return "rc=%d stdout=%r stderr=%r" % (self.rc, self.out[:200], self.err[:400])


def run(args, env=None, stdin=None, cwd=None, prefix=None):
    """Run the binary; fail the calling check on any sanitizer report."""
    e = dict(os.environ)
    e["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0"
    e.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    if env:
        e.update(env)
    cmd = (prefix or []) + [BIN] + list(args)
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, env=e,
                           cwd=cwd or REPO, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Fail("timed out after %d s: %s" % (TIMEOUT, " ".join(args)))
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    for mark in SANITIZER_MARKS:
        if mark in err:
            i = err.index(mark)
            raise Fail("sanitizer report (%s): %s" % (" ".join(args), err[i:i + 400]))
    if p.returncode < 0:
        raise Fail("killed by signal %d: %s; stderr=%r" % (-p.returncode, " ".join(args), err[:400]))
    return Result(args, p.returncode, out, err)


_json_cache = {}


def tool_json(command, capture, *extra):
    """--json output of COMMAND on CAPTURE (cached); fails on non-zero exit."""
    key = (command, capture) + extra
    if key not in _json_cache:
        r = run(["--json", command, capture] + list(extra))
        if r.rc != 0:
            _json_cache[key] = Fail("%s %s: %s" % (command, os.path.basename(capture), r.describe()))
        else:
            try:
                _json_cache[key] = json.loads(r.out)
            except ValueError as e:
                _json_cache[key] = Fail("%s: output is not JSON (%s): %r" % (command, e, r.out[:300]))
    v = _json_cache[key]
    if isinstance(v, Fail):
        raise v
    return v


# ---------------------------------------------------------------------------
# tshark, once per capture

FIELDS = ["tcp.stream", "frame.time_epoch", "ip.src", "ipv6.src", "ip.dst",
          "ipv6.dst", "tcp.srcport", "tcp.dstport", "tcp.flags.syn",
          "tcp.flags.ack", "tcp.len", "mptcp.stream",
          "tcp.options.mptcp.subtype", "tcp.options.mptcp.sendkey",
          "tcp.options.mptcp.recvkey", "tcp.options.mptcp.recvtok",
          "mptcp.expected_token", "tcp.options.mptcp.version"]
_tshark_cache = {}
# ICMP errors quote the TCP header of the packet they answer, and tshark
# numbers that quote into its tcp.stream: they are not packets of the
# connection (the tool skips them), so the checks leave them out too
NOT_ICMP = "not icmp"


class Pkt:
    """One TCP packet as tshark exports it; multi-valued fields are lists."""
    __slots__ = ["stream", "time", "src", "dst", "sport", "dport", "syn", "ack",
                 "len", "mptcp_stream", "subtypes", "sendkey", "recvkey",
                 "recvtok", "expected_token", "version"]

    @property
    def is_syn(self):
        return self.syn and not self.ack

    @property
    def is_synack(self):
        return self.syn and self.ack

    @property
    def capable(self):
        return 0 in self.subtypes

    @property
    def join(self):
        return 1 in self.subtypes


def _last(v):
    return v.split(",")[-1] if v else v


def _ints(v):
    return [int(x, 0) for x in v.split(",") if x != ""] if v else []


def tshark_packets(path):
    """TCP packets of a capture, by running tshark once (cached)."""
    if path in _tshark_cache:
        return _tshark_cache[path]
    cmd = ["tshark", "-r", path, "-Y", NOT_ICMP, "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=,", "-E", "quote=n"]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
    pkts = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        f = line.split("\t")
        if len(f) != len(FIELDS) or f[0] == "":
            continue
        k = Pkt()
        k.stream = int(_last(f[0]))
        k.time = float(f[1])
        k.src = _last(f[2]) or _last(f[3])
        k.dst = _last(f[4]) or _last(f[5])
        k.sport = int(_last(f[6]))
        k.dport = int(_last(f[7]))
        k.syn = _last(f[8]) in ("1", "True")
        k.ack = _last(f[9]) in ("1", "True")
        k.len = int(_last(f[10]) or 0)
        k.mptcp_stream = int(_last(f[11])) if f[11] else None
        k.subtypes = _ints(f[12])
        k.sendkey = _ints(f[13])
        k.recvkey = _ints(f[14])
        k.recvtok = _ints(f[15])
        k.expected_token = _ints(f[16])
        k.version = _ints(f[17])
        pkts.append(k)
    _tshark_cache[path] = pkts
    return pkts


def by_stream(pkts):
    d = {}
    for k in pkts:
        d.setdefault(k.stream, []).append(k)
    return d


def tshark_mptcp(path):
    """Independent view of the MPTCP connections of a capture:
    {mptcp.stream: {"subflows": {tcp.stream}, "initial": tcp.stream or None,
    "client_key", "server_key", "client_token", "server_token", "version",
    "joins": {tcp.stream: recvtok}}}. mptcp.stream is taken from the packets
    that carry it (RSTs often have none)."""
    pkts = tshark_packets(path)
    groups = {}
    for k in pkts:
        if k.mptcp_stream is not None:
            groups.setdefault(k.mptcp_stream, set()).add(k.stream)
    streams = by_stream(pkts)
    conns = {}
    for m, subs in groups.items():
        c = {"subflows": subs, "initial": None, "client_key": None,
             "server_key": None, "client_token": None, "server_token": None,
             "version": None, "joins": {}}
        for s in sorted(subs):
            syn = [k for k in streams[s] if k.is_syn]
            if syn and syn[0].capable and c["initial"] is None:
                c["initial"] = s
            elif syn and syn[0].join and syn[0].recvtok:
                c["joins"][s] = syn[0].recvtok[0]
        if c["initial"] is not None:
            # keys and tokens from the MP_CAPABLE packets of the initial
            # subflow, by direction: v0 SYN/SYN-ACK carry the sender's key;
            # a v1 SYN carries none, the third ACK carries both (sender's
            # key first). expected_token is the token of the sender's key.
            pk = streams[c["initial"]]
            client = next((k.src, k.sport) for k in pk if k.is_syn)
            for k in pk:
                if not k.capable:
                    continue
                side = "client" if (k.src, k.sport) == client else "server"
                if k.version and c["version"] is None:
                    c["version"] = k.version[0]
                if k.sendkey and c[side + "_key"] is None:
                    c[side + "_key"] = k.sendkey[0]
                # tshark 4.0.17 prints expected_token 0 on some v1 third ACKs
                # (v1-multi-client.pcapng frame 53): take a non-zero one
                if k.expected_token and k.expected_token[0] and c[side + "_token"] is None:
                    c[side + "_token"] = k.expected_token[0]
            # no usable expected_token: derive it here (hashlib) from the key
            for side in ("client", "server"):
                if c[side + "_token"] is None and c[side + "_key"] is not None:
                    h = hashlib.sha1 if c["version"] == 0 else hashlib.sha256
                    d = h(c[side + "_key"].to_bytes(8, "big")).digest()
                    c[side + "_token"] = int.from_bytes(d[:4], "big")
        conns[m] = c
    return conns


def cap(name):
    path = os.path.join(CAPS, name)
    if not os.path.isdir(CAPS):
        raise Skip("%s absent" % CAPS)
    if not os.path.exists(path):
        raise Skip("%s absent" % path)
    return path


def fixture(name):
    """A file of the fixtures folder; Skip when it is absent."""
    path = os.path.join(FIXTURES, name)
    if not os.path.exists(path):
        raise Skip("%s absent" % name)
    return path


def tool_conn_by_subflows(doc):
    return {frozenset(sf["tcp_stream"] for sf in c["subflows"]): c
            for c in doc["mptcp_connections"]}


# ---------------------------------------------------------------------------
# a. client_2.pcap

def matched_client2():
    """(tshark connection, tool connection) pairs, matched by subflow set."""
    path = cap("client_2.pcap")
    ts = tshark_mptcp(path)
    doc = tool_json("list-mptcp", path)
    tool = tool_conn_by_subflows(doc)
    pairs = []
    for m, c in sorted(ts.items()):
        t = tool.get(frozenset(c["subflows"]))
        expect(t is not None, "tshark mptcp.stream %d subflows %s not a tool connection"
               % (m, sorted(c["subflows"])))
        pairs.append((c, t))
    return pairs


def a_count():
    path = cap("client_2.pcap")
    ts = tshark_mptcp(path)
    n_ts = sum(1 for c in ts.values() if c["initial"] is not None)
    doc = tool_json("list-mptcp", path)
    expect(n_ts == 4, "tshark sees %d connections with an MP_CAPABLE SYN, not 4" % n_ts)
    expect(len(doc["mptcp_connections"]) == n_ts,
           "%d connections listed, tshark %d" % (len(doc["mptcp_connections"]), n_ts))


def a_subflow_sets():
    path = cap("client_2.pcap")
    ts = {m: sorted(c["subflows"]) for m, c in tshark_mptcp(path).items()}
    doc = tool_json("list-mptcp", path)
    tool = {c["mptcp_stream"]: sorted(sf["tcp_stream"] for sf in c["subflows"])
            for c in doc["mptcp_connections"]}
    expect(sorted(ts.values()) == sorted(tool.values()),
           "tshark %s, tool %s" % (ts, tool))
    expect(ts == tool, "same sets but numbered differently: tshark %s, tool %s" % (ts, tool))
    expect(doc.get("orphan_subflows") == [], "orphans: %s" % doc.get("orphan_subflows"))


def a_towards():
    doc = tool_json("list-mptcp", cap("client_2.pcap"))
    bad = [(c["mptcp_stream"], sf["tcp_stream"], sf["towards"])
           for c in doc["mptcp_connections"] for sf in c["subflows"]
           if sf["towards"] != "server"]
    expect(not bad, "not towards server: %s" % bad)


def a_initial():
    for c, t in matched_client2():
        init = [sf["tcp_stream"] for sf in t["subflows"] if sf["initial"] is True]
        expect(init == [c["initial"]], "connection %s: initial %s, MP_CAPABLE SYN on %s"
               % (t["mptcp_stream"], init, c["initial"]))


def a_endpoints():
    """each subflow's client = its SYN's sender (tshark)."""
    path = cap("client_2.pcap")
    streams = by_stream(tshark_packets(path))
    for c in tool_json("list-mptcp", path)["mptcp_connections"]:
        for sf in c["subflows"]:
            syn = [k for k in streams.get(sf["tcp_stream"], []) if k.is_syn]
            expect(syn, "tcp.stream %d has no SYN" % sf["tcp_stream"])
            k = syn[0]
            got = (sf["client_ip"], sf["client_port"], sf["server_ip"], sf["server_port"])
            expect(got == (k.src, k.sport, k.dst, k.dport),
                   "tcp.stream %d: %s, SYN %s" % (sf["tcp_stream"], got, (k.src, k.sport, k.dst, k.dport)))


def a_keys():
    for c, t in matched_client2():
        expect(c["client_key"] is not None and c["server_key"] is not None,
               "tshark lacks a key for %s" % sorted(c["subflows"]))
        got = (int(t["client_key"]), int(t["server_key"]))
        expect(isinstance(t["client_key"], str) and isinstance(t["server_key"], str),
               "keys are not decimal strings: %r %r" % (t["client_key"], t["server_key"]))
        expect(got == (c["client_key"], c["server_key"]),
               "connection %s: keys %s, tshark SYN/SYN-ACK sendkey %s"
               % (t["mptcp_stream"], got, (c["client_key"], c["server_key"])))


def a_tokens():
    for c, t in matched_client2():
        got = (t["client_token"], t["server_token"])
        want = (c["client_token"], c["server_token"])
        expect(None not in want, "tshark lacks mptcp.expected_token: %s" % (want,))
        expect(got == want, "connection %s: tokens %s, tshark expected_token SYN/SYN-ACK %s"
               % (t["mptcp_stream"], got, want))


def a_idsn():
    """IDSN = last 8 bytes of SHA-1(key) (v0), computed here with hashlib;
    token = first 4 bytes, cross-checked against tshark's expected_token."""
    for c, t in matched_client2():
        for side in ("client", "server"):
            key = c[side + "_key"]
            d = hashlib.sha1(key.to_bytes(8, "big")).digest()
            expect(int.from_bytes(d[:4], "big") == c[side + "_token"],
                   "hashlib token of %s key differs from tshark" % side)
            want = int.from_bytes(d[-8:], "big")
            expect(isinstance(t[side + "_idsn"], str) and int(t[side + "_idsn"]) == want,
                   "connection %s: %s_idsn %r, SHA-1 gives %d"
                   % (t["mptcp_stream"], side, t[side + "_idsn"], want))


def a_joins():
    n = 0
    for c, t in matched_client2():
        for sf in t["subflows"]:
            if sf["initial"]:
                expect(sf["join_token"] is None, "initial subflow has join_token %r" % sf["join_token"])
                continue
            s = sf["tcp_stream"]
            expect(s in c["joins"], "tcp.stream %d: tshark sees no MP_JOIN SYN" % s)
            expect(c["joins"][s] == t["server_token"],
                   "tcp.stream %d: SYN recvtok %d != server_token %d" % (s, c["joins"][s], t["server_token"]))
            expect(sf["join_token"] == c["joins"][s],
                   "tcp.stream %d: join_token %r, SYN recvtok %d" % (s, sf["join_token"], c["joins"][s]))
            n += 1
    expect(n > 0, "no joins checked")


def a_version():
    path = cap("client_2.pcap")
    for c, t in matched_client2():
        expect(c["version"] == 0, "tshark says version %s" % c["version"])
        expect(t["version"] == 0, "connection %s: version %r" % (t["mptcp_stream"], t["version"]))


def a_list_subflows():
    """list-subflows N gives the same connection object as list-mptcp."""
    path = cap("client_2.pcap")
    doc = tool_json("list-mptcp", path)
    for c in doc["mptcp_connections"]:
        one = tool_json("list-subflows", path, str(c["mptcp_stream"]))
        expect("capture" in one, "no capture field")
        one = dict(one)
        del one["capture"]
        expect(one == c, "list-subflows %d differs from list-mptcp: %s vs %s"
               % (c["mptcp_stream"], one, c))


# ---------------------------------------------------------------------------
# b. server_2.pcap

def b_roles():
    path = cap("server_2.pcap")
    streams = by_stream(tshark_packets(path))
    tool = {c["tcp_stream"]: c for c in tool_json("list-tcp", path)["tcp_connections"]}
    n = 0
    for s, pk in sorted(streams.items()):
        syn = [k for k in pk if k.is_syn]
        if not syn:
            continue
        k = syn[0]
        expect(s in tool, "tcp.stream %d not listed" % s)
        t = tool[s]
        got = (t["client_ip"], t["client_port"], t["server_ip"], t["server_port"])
        expect(got == (k.src, k.sport, k.dst, k.dport),
               "tcp.stream %d: %s, SYN from %s:%d to %s:%d" % (s, got, k.src, k.sport, k.dst, k.dport))
        expect(t["roles_from"] == "syn", "tcp.stream %d: roles_from %r" % (s, t["roles_from"]))
        n += 1
    expect(n > 0, "no stream with a SYN")


def b_stream2_roles():
    path = cap("server_2.pcap")
    pk = by_stream(tshark_packets(path)).get(2)
    expect(pk, "tshark: no tcp.stream 2")
    expect(not any(k.syn for k in pk), "tshark: tcp.stream 2 has a SYN")
    first = pk[0]
    expect(first.ack and first.len == 0, "tshark: tcp.stream 2 does not start with a bare ACK")
    ends = {(first.src, first.sport), (first.dst, first.dport)}
    expect(ends == {("11.0.0.1", 60453), ("11.0.0.2", 5201)}, "tshark endpoints %s" % ends)
    t = [c for c in tool_json("list-tcp", path)["tcp_connections"] if c["tcp_stream"] == 2]
    expect(len(t) == 1, "tcp.stream 2 listed %d times" % len(t))
    t = t[0]
    got = "%s:%s -> %s:%s" % (t["client_ip"], t["client_port"], t["server_ip"], t["server_port"])
    expect(got == "11.0.0.1:60453 -> 11.0.0.2:5201", "tcp.stream 2 is %s" % got)
    expect(t["subflow"] == "orphan", "list-tcp subflow %r, not orphan" % t["subflow"])


def b_stream2_orphan():
    doc = tool_json("list-mptcp", cap("server_2.pcap"))
    orphans = [sf["tcp_stream"] for sf in doc["orphan_subflows"]]
    inconn = [c["mptcp_stream"] for c in doc["mptcp_connections"]
              for sf in c["subflows"] if sf["tcp_stream"] == 2]
    expect(2 in orphans, "tcp.stream 2 not in orphan_subflows %s" % orphans)
    expect(not inconn, "tcp.stream 2 in connection(s) %s" % inconn)


def b_same_keys():
    """server_2 is the other end of client_2: the same key pairs and tokens."""
    c2, s2 = cap("client_2.pcap"), cap("server_2.pcap")
    want = sorted((c["client_key"], c["server_key"], c["client_token"], c["server_token"])
                  for c in tshark_mptcp(c2).values() if c["initial"] is not None)
    ts_s2 = sorted((c["client_key"], c["server_key"], c["client_token"], c["server_token"])
                   for c in tshark_mptcp(s2).values() if c["initial"] is not None)
    expect(want == ts_s2, "tshark: client_2 keys %s, server_2 keys %s" % (want, ts_s2))
    got = sorted((int(c["client_key"]), int(c["server_key"]), c["client_token"], c["server_token"])
                 for c in tool_json("list-mptcp", s2)["mptcp_connections"])
    expect(got == want, "server_2 keys/tokens %s, tshark on client_2 %s" % (got, want))


def b_subflow_sets():
    """server_2 connections: tshark's grouping, minus the handshake-less stream."""
    path = cap("server_2.pcap")
    doc = tool_json("list-mptcp", path)
    tool = tool_conn_by_subflows(doc)
    for m, c in tshark_mptcp(path).items():
        if c["initial"] is None:
            continue
        subs = set(c["subflows"]) - {2}
        expect(frozenset(subs) in tool, "tshark mptcp.stream %d subflows %s not listed (tool: %s)"
               % (m, sorted(subs), sorted(sorted(x) for x in tool)))


# ---------------------------------------------------------------------------
# c. list-tcp against tshark, every capture

def all_captures():
    caps = []
    if os.path.isdir(CAPS):
        caps += sorted(glob.glob(os.path.join(CAPS, "*.pcap*")))
    caps += sorted(glob.glob(os.path.join(FIXTURES, "*.pcap*")))
    return caps


def tcp_pair(path):
    ts = by_stream(tshark_packets(path))
    if not ts and path.startswith(FIXTURES):
        raise Skip("tshark sees no TCP packet in this fixture (still being made?)")
    tool = {c["tcp_stream"]: c for c in tool_json("list-tcp", path)["tcp_connections"]}
    expect(sorted(ts) == sorted(tool), "tcp.streams: tshark %s, tool %s"
           % (sorted(ts)[:40], sorted(tool)[:40]))
    return ts, tool


def c_packets(path):
    ts, tool = tcp_pair(path)
    bad = [(s, tool[s]["packets"], len(p)) for s, p in ts.items() if tool[s]["packets"] != len(p)]
    expect(not bad, "(stream, tool, tshark) %s" % bad[:10])
    bad = [s for s, t in tool.items()
           if t["packets_to_server"] + t["packets_to_client"] != t["packets"]]
    expect(not bad, "packets_to_server + packets_to_client != packets on %s" % bad[:10])


def c_directions(path):
    ts, tool = tcp_pair(path)
    bad = []
    for s, p in ts.items():
        t = tool[s]
        srv = (t["server_ip"], t["server_port"])
        to_s = [k for k in p if (k.dst, k.dport) == srv]
        want = (len(to_s), len(p) - len(to_s), sum(k.len for k in to_s),
                sum(k.len for k in p) - sum(k.len for k in to_s))
        got = (t["packets_to_server"], t["packets_to_client"], t["bytes_to_server"], t["bytes_to_client"])
        if got != want:
            bad.append((s, got, want))
    expect(not bad, "(stream, tool pkts/bytes to server/client, tshark) %s" % bad[:5])


def c_times(path):
    ts, tool = tcp_pair(path)
    bad = []
    for s, p in ts.items():
        lo, hi = min(k.time for k in p), max(k.time for k in p)
        t = tool[s]
        if abs(t["first_time"] - lo) > 1e-6 or abs(t["last_time"] - hi) > 1e-6:
            bad.append((s, t["first_time"], lo, t["last_time"], hi))
    expect(not bad, "(stream, first, tshark min, last, tshark max) %s" % bad[:5])


def c_bytes(path):
    ts, tool = tcp_pair(path)
    bad = [(s, tool[s]["bytes_to_server"] + tool[s]["bytes_to_client"], sum(k.len for k in p))
           for s, p in ts.items()
           if tool[s]["bytes_to_server"] + tool[s]["bytes_to_client"] != sum(k.len for k in p)]
    expect(not bad, "(stream, tool bytes, tshark sum of tcp.len) %s" % bad[:10])


def c_flags(path):
    ts, tool = tcp_pair(path)
    bad = []
    for s, p in ts.items():
        t = tool[s]
        want = (any(k.is_syn for k in p), any(k.is_synack for k in p))
        if (t["syn"], t["synack"]) != want:
            bad.append((s, (t["syn"], t["synack"]), want))
    expect(not bad, "(stream, tool syn/synack, tshark) %s" % bad[:10])


# ---------------------------------------------------------------------------
# d. own fixtures with ground truth

def truth_cases():
    cases = []
    for tf in sorted(glob.glob(os.path.join(FIXTURES, "*.truth.json"))):
        try:
            truth = json.load(open(tf))
        except (OSError, ValueError) as e:
            cases.append((tf, None, None, "unreadable truth file: %s" % e))
            continue
        for side, name in sorted((truth.get("captures") or {}).items()):
            cases.append((tf, truth, os.path.join(FIXTURES, name), None))
    return cases


def crafted_cases():
    """single crafted captures (a pair of captures has "captures", not
    "capture", and is checked by integration_captures.py)"""
    cases = [(tf, json.load(open(tf))) for tf in
             sorted(glob.glob(os.path.join(FIXTURES, "crafted-*.truth.json")))]
    return [(tf, t) for tf, t in cases if "capture" in t]


def d_crafted(tf, truth):
    """A crafted capture's subflows, as its truth file says: which are
    initial, joins or orphans, their client and server, the direction a
    join was opened in, its token; and the connection's keys."""
    path = os.path.join(FIXTURES, truth["capture"])
    doc = tool_json("list-mptcp", path)
    got = {}
    for c in doc["mptcp_connections"]:
        for sf in c["subflows"]:
            got[sf["tcp_stream"]] = (c, sf, "initial" if sf["initial"] else "join")
    for sf in doc["orphan_subflows"]:
        got[sf["tcp_stream"]] = (None, sf, "orphan")
    orphans = set(truth.get("orphan_tcp_streams", []))
    for want in truth["subflows"]:
        st = want["tcp_stream"]
        expect(st in got, "tcp.stream %d not listed" % st)
        c, sf, kind = got[st]
        want_kind = "orphan" if st in orphans or truth["case"] == "midway" else want["kind"]
        expect(kind == want_kind, "tcp.stream %d is %s, truth %s" % (st, kind, want_kind))
        expect((sf["client_ip"], sf["client_port"], sf["server_ip"], sf["server_port"]) ==
               (want["client"]["addr"], want["client"]["port"],
                want["server"]["addr"], want["server"]["port"]),
               "tcp.stream %d endpoints %s" % (st, sf))
        if "towards" in want:
            expect(sf["towards"] == want["towards"], "tcp.stream %d towards %s, truth %s"
                   % (st, sf["towards"], want["towards"]))
        if "join_token" in want and kind == "join":
            expect(sf["join_token"] == int(want["join_token"], 16),
                   "tcp.stream %d join token %s" % (st, sf["join_token"]))
        if c is not None and "client_key_dec" in truth:
            expect(c["client_key"] == truth["client_key_dec"] and
                   c["server_key"] == truth["server_key_dec"] and
                   c["client_token"] == int(truth["client_token"], 16) and
                   c["server_token"] == int(truth["server_token"], 16) and
                   c["version"] == truth["mptcp_version"],
                   "keys/tokens/version %s" % {k: c[k] for k in (
                       "client_key", "server_key", "client_token", "server_token", "version")})


def d_fixture(tf, truth, path, err):
    expect(err is None, err or "")
    if not os.path.exists(path):
        raise Skip("%s named in %s is absent" % (os.path.basename(path), os.path.basename(tf)))
    pkts = tshark_packets(path)
    if not pkts:
        raise Skip("tshark sees no TCP packet in %s (still being made?)" % os.path.basename(path))
    ts = tshark_mptcp(path)
    mptcp_streams = {k.stream for k in pkts if k.subtypes}
    if not mptcp_streams and truth.get("connections") == []:
        # plain TCP (crafted-pair-tcp-nat): the tool must say there is no MPTCP
        r = run(["list-mptcp", path])
        expect(r.rc != 0 and "no MPTCP connections" in r.err, r.describe())
        return
    doc = tool_json("list-mptcp", path)
    seen = {}
    for c in doc["mptcp_connections"]:
        for sf in c["subflows"]:
            seen.setdefault(sf["tcp_stream"], []).append(c["mptcp_stream"])
    missing = sorted(mptcp_streams - set(seen))
    twice = sorted(s for s, l in seen.items() if len(l) > 1)
    expect(not missing, "subflows in no connection: %s" % missing)
    expect(not twice, "subflows in several connections: %s" % twice)
    expect(doc["orphan_subflows"] == [], "orphans: %s" % [sf["tcp_stream"] for sf in doc["orphan_subflows"]])
    want_n = len(truth.get("connections", []))
    expect(len(doc["mptcp_connections"]) == want_n, "%d connections, truth file says %d"
           % (len(doc["mptcp_connections"]), want_n))
    bad_v = [(c["mptcp_stream"], c["version"]) for c in doc["mptcp_connections"] if c["version"] != 1]
    expect(not bad_v, "version not 1: %s" % bad_v)
    expect(truth.get("mptcp_version", 1) == 1, "truth file says version %s" % truth.get("mptcp_version"))
    tool = tool_conn_by_subflows(doc)
    for m, c in ts.items():
        t = tool.get(frozenset(c["subflows"]))
        expect(t is not None, "tshark mptcp.stream %d subflows %s not a connection" % (m, sorted(c["subflows"])))
        for side in ("client", "server"):
            if c[side + "_token"] is not None:
                expect(t[side + "_token"] == c[side + "_token"],
                       "mptcp.stream %d: %s_token %r, tshark expected_token %d"
                       % (m, side, t[side + "_token"], c[side + "_token"]))
        for sf_stream, tok in c["joins"].items():
            expect(tok == t["server_token"], "mptcp.stream %d: join tcp.stream %d SYN token %d != server_token %r"
                   % (m, sf_stream, tok, t["server_token"]))
    # truth tokens come from the kernel's mptcp_info (when it had them)
    # the truth file holds the kernel's tokens (mptcp_info) as hex strings
    truth_tokens = sorted(int(x, 16) if isinstance(x, str) else x
                          for conn in truth.get("connections", [])
                          for x in (conn.get("client_token"), conn.get("server_token")) if x)
    if truth_tokens:
        got = sorted(x for t in doc["mptcp_connections"] for x in (t["client_token"], t["server_token"]))
        expect(set(truth_tokens) <= set(got), "truth tokens %s not all in %s" % (truth_tokens, got))


# ---------------------------------------------------------------------------
# e. bad input

def pcap_header(linktype=1):
    return struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype)


def udp_pcap(n=5):
    """Ethernet/IPv4/UDP packets only."""
    out = [pcap_header(1)]
    for i in range(n):
        payload = b"hello %d" % i
        udp = struct.pack("!HHHH", 40000 + i, 53, 8 + len(payload), 0) + payload
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                         bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
        s = 0
        for j in range(0, 20, 2):
            s += (ip[j] << 8) | ip[j + 1]
        while s >> 16:
            s = (s & 0xffff) + (s >> 16)
        ip = ip[:10] + struct.pack("!H", ~s & 0xffff) + ip[12:] + udp
        eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip
        out.append(struct.pack("<IIII", 1700000000 + i, 0, len(eth), len(eth)) + eth)
    return b"".join(out)


def write(name, data, mode=None):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    if mode is not None:
        os.chmod(path, mode)
    return path


def expect_one_error(r, must_contain, what):
    expect(r.rc != 0, "exit status 0 (%s)" % r.describe())
    expect(r.out == "", "stdout not empty: %r" % r.out[:200])
    lines = r.err_lines()
    expect(len(lines) == 1, "stderr has %d lines, not 1: %r" % (len(lines), r.err[:500]))
    for s in must_contain:
        expect(s.lower() in lines[0].lower(), "stderr %r lacks %r (%s)" % (lines[0], s, what))


def bad_file_case(name, data, command="list-tcp", extra=(), contains=()):
    """A file-based bad-input check: returns the check function."""
    def fn():
        if callable(data):
            path = data()
        else:
            path = write(name, data)
        r = run([command, path] + list(extra))
        expect_one_error(r, [path] + list(contains), name)
    return fn


def make_missing():
    return os.path.join(TMP, "missing.pcap")


def make_dir():
    d = os.path.join(TMP, "a-directory.pcap")
    os.makedirs(d, exist_ok=True)
    return d


def e_no_mptcp():
    path = cap("client_1_tcp_only.pcap")
    r = run(["list-mptcp", path])
    expect_one_error(r, [path, "no MPTCP"], "no MPTCP")


def e_unknown_stream():
    path = cap("client_2.pcap")
    r = run(["list-subflows", path, "99"])
    expect_one_error(r, [path, "99"], "unknown stream")


def e_bad_stream_id():
    path = cap("client_2.pcap")
    for arg in ("x", "1x", "0x1", ""):
        r = run(["list-subflows", path, arg])
        expect_one_error(r, [path], "id %r" % arg)


def e_negative_stream_id():
    path = cap("client_2.pcap")
    r = run(["list-subflows", path, "-1"])
    expect_one_error(r, [], "id -1")


def any_small_capture():
    caps = all_captures()
    for name in ("client_1_tcp_only.pcap", "client_2.pcap"):
        p = os.path.join(CAPS, name)
        if os.path.exists(p):
            return p
    for p in caps:
        if tshark_packets(p):
            return p
    raise Skip("no capture with TCP packets available (%s absent, no usable fixture)" % CAPS)


def e_no_tshark():
    path = any_small_capture()
    r = run(["--no-cache", "list-tcp", path], env={"MPTCPANALYZER_TSHARK": "/nonexistent/tshark"})
    expect_one_error(r, ["tshark"], "missing tshark")


def e_old_tshark():
    path = any_small_capture()
    fake = write("fake-tshark", b"#!/bin/sh\necho 'TShark (Wireshark) 3.4.0'\nexit 0\n", 0o755)
    r = run(["--no-cache", "list-tcp", path], env={"MPTCPANALYZER_TSHARK": fake})
    expect_one_error(r, ["old"], "too-old tshark")


def e_unreadable():
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        raise Skip("needs root and setpriv to run as nobody")
    # nobody must be able to reach the directory but not read the file
    for p in [TMP] + [os.path.dirname(BIN)]:
        q = p
        while q != "/":
            m = os.stat(q).st_mode
            if not (m & stat.S_IXOTH):
                raise Skip("user nobody cannot traverse %s" % q)
            q = os.path.dirname(q)
    d = os.path.join(TMP, "unreadable")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    src = any_small_capture()
    path = os.path.join(d, "secret.pcap")
    shutil.copyfile(src, path)
    os.chmod(path, 0)
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(prefix + ["true"], capture_output=True)
    if probe.returncode != 0:
        raise Skip("setpriv cannot switch to nobody: %r" % probe.stderr[:200])
    r = run(["--no-cache", "list-tcp", path], prefix=prefix, cwd=d)
    expect_one_error(r, [path], "unreadable")


def e_truncated():
    src = cap("client_2.pcap")
    with open(src, "rb") as f:
        data = f.read(100000)
    path = write("truncated.pcap", data)
    r = run(["--no-cache", "--json", "list-tcp", path])
    expect(r.rc == 0, "exit status %d: %s" % (r.rc, r.describe()))
    lines = r.err_lines()
    expect(len(lines) == 1 and "cut short" in lines[0],
           "stderr should be one 'cut short' warning: %r" % r.err[:400])
    doc = json.loads(r.out)
    ts = by_stream(tshark_packets(path))
    got = {c["tcp_stream"]: c["packets"] for c in doc["tcp_connections"]}
    want = {s: len(p) for s, p in ts.items()}
    expect(want and got == want, "streams/packets %s, tshark %s" % (got, want))
    r = run(["--no-cache", "list-mptcp", path])
    expect(r.rc == 0 and r.out.strip(), "list-mptcp on truncated: %s" % r.describe())
    expect(len(r.err_lines()) == 1 and "cut short" in r.err, "list-mptcp stderr %r" % r.err[:300])


def name_case(fname, argv_of):
    """A capture copied under an awkward name loads and lists like tshark."""
    def fn():
        src = any_small_capture()
        d = os.path.join(TMP, "names")
        os.makedirs(d, exist_ok=True)
        dst = os.path.join(d, fname)
        shutil.copyfile(src, dst)
        try:
            r = run(argv_of(fname), cwd=d)
            expect(r.rc == 0, r.describe())
            doc = json.loads(r.out)
            want = {s: len(p) for s, p in by_stream(tshark_packets(src)).items()}
            got = {c["tcp_stream"]: c["packets"] for c in doc["tcp_connections"]}
            expect(got == want, "packets per stream %s, tshark %s" % (got, want))
        finally:
            os.unlink(dst)
    return fn


# ---------------------------------------------------------------------------
# f. ways to run

def f_oneshot():
    path = cap("client_2.pcap")
    r = run(["list-mptcp", path])
    expect(r.rc == 0 and r.out.strip(), r.describe())
    expect(not r.err.strip() or all("loaded" in l or "warning" in l for l in r.err_lines()),
           "unexpected stderr %r" % r.err[:300])


def same_as_oneshot(argv, command="list-mptcp", stdin=None):
    def fn():
        path = cap("client_2.pcap")
        ref = run([command, path])
        expect(ref.rc == 0, "one-shot: %s" % ref.describe())
        a = [x.replace("@CAP@", path) for x in argv]
        if stdin is not None:
            r = run(a, stdin=stdin.replace("@CAP@", path).encode())
        else:
            r = run(a)
        expect(r.rc == 0, r.describe())
        expect(r.out == ref.out, "stdout differs from one-shot %s: %r vs %r"
               % (command, r.out[:300], ref.out[:300]))
    return fn


def f_script_file():
    path = cap("client_2.pcap")
    script = write("script.txt", ("load-pcap %s\nlist-mptcp\n" % path).encode())
    same_as_oneshot(["-f", script])()


def f_script_quoted_name():
    """a script line loading a file whose name has a space and a quote"""
    src = any_small_capture()
    d = os.path.join(TMP, "names")
    os.makedirs(d, exist_ok=True)
    dst = os.path.join(d, "my \"capture\".pcap")
    shutil.copyfile(src, dst)
    try:
        ref = run(["list-tcp", src])
        r = run(["load-pcap 'my \"capture\".pcap'", "list-tcp"], cwd=d)
        expect(r.rc == 0, r.describe())
        lines = lambda s: s.splitlines()[1:]  # first line names the capture
        expect(lines(r.out) == lines(ref.out), "list differs: %r vs %r" % (r.out[:300], ref.out[:300]))
    finally:
        os.unlink(dst)


def f_help():
    r = run(["help"])
    expect(r.rc == 0 and r.out.strip(), "help: %s" % r.describe())
    for c in ("list-tcp", "list-mptcp", "list-subflows", "load-pcap"):
        expect(c in r.out, "help does not list %s" % c)
    r = run(["help", "list-mptcp"])
    expect(r.rc == 0 and "list-mptcp" in r.out, "help list-mptcp: %s" % r.describe())


def f_unknown_command():
    r = run(["no-such-command"])
    expect(r.rc != 0, "exit status 0")
    expect(r.out == "", "stdout %r" % r.out[:200])
    expect(len(r.err_lines()) == 1, "stderr %r" % r.err[:300])
    expect("no-such-command" in r.err, "stderr does not name the command: %r" % r.err)


def f_shell():
    """The interactive shell on a pseudo-terminal: commands run, tab
    completes a command name and an mptcp.stream id, history is written to
    $XDG_STATE_HOME/mptcpanalyzer/history."""
    path = os.path.join(FIXTURES, "v1-multi-client.pcapng")
    if not os.path.exists(path):
        raise Skip("fixture %s absent" % path)
    state = os.path.join(TMP, "xdg-state")
    shutil.rmtree(state, ignore_errors=True)
    env = dict(os.environ, XDG_STATE_HOME=state, TERM="dumb",
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=0")
    sh = PtyRun(BIN, [BIN, "-q"], env)
    talk = sh.talk
    talk(b"load-pcap " + path.encode() + b"\n", 3.0)
    talk(b"list-subfl\t2\n", 2.0)           # completes "list-subflows "
    talk(b"list-subflows \t\t", 1.0)        # lists the mptcp.stream ids
    talk(b"\x15quit\n", 1.0)                # ^U clears the line
    status, text = sh.close()
    expect(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
           "shell exit status %r: %r" % (status, text[-300:]))
    for mark in SANITIZER_MARKS:
        expect(mark not in text, "sanitizer report: %r" % text[text.find(mark):][:300])
    expect("mptcp.stream 2: MPTCP v1" in text, "list-subflows 2 not shown: %r" % text[-600:])
    expect(re.search(r"0\s+1\s+2", text), "ids not offered: %r" % text[-400:])
    hist = os.path.join(state, "mptcpanalyzer", "history")
    expect(os.path.exists(hist), "no history file at %s" % hist)
    lines = open(hist).read().splitlines()
    expect("list-subflows 2" in lines and "quit" in lines, "history %r" % lines)


def f_json_valid():
    path = cap("client_2.pcap")
    for c in ("list-tcp", "list-mptcp"):
        doc = tool_json(c, path)
        expect(doc.get("capture") == path, "%s capture field %r" % (c, doc.get("capture")))
    d = tool_json("list-tcp", path)["tcp_connections"]
    keys = {"tcp_stream", "client_ip", "client_port", "server_ip", "server_port",
            "roles_from", "first_time", "last_time", "packets", "packets_to_server",
            "packets_to_client", "bytes_to_server", "bytes_to_client", "syn",
            "synack", "fin", "rst", "mptcp_stream", "subflow"}
    for c in d:
        expect(keys <= set(c), "list-tcp keys missing: %s" % sorted(keys - set(c)))
        expect(c["subflow"] in ("none", "initial", "join", "orphan"), "subflow %r" % c["subflow"])
        expect((c["mptcp_stream"] is None) == (c["subflow"] == "none"),
               "tcp.stream %d: mptcp_stream %r with subflow %r" % (c["tcp_stream"], c["mptcp_stream"], c["subflow"]))
    tcp_only = os.path.join(CAPS, "client_1_tcp_only.pcap")
    if os.path.exists(tcp_only):
        for c in tool_json("list-tcp", tcp_only)["tcp_connections"]:
            expect(c["mptcp_stream"] is None and c["subflow"] == "none",
                   "plain TCP stream %d: %r/%r" % (c["tcp_stream"], c["mptcp_stream"], c["subflow"]))


# ---------------------------------------------------------------------------

def main():
    if not start("integration"):
        return 1
    try:
        have_caps = os.path.isdir(CAPS)
        if not have_caps:
            print("# %s absent: checks on the sample captures are skipped" % CAPS)

        for name, fn in [
            ("a client_2 list-mptcp: connection count", a_count),
            ("a client_2 subflow sets = tshark mptcp.stream grouping", a_subflow_sets),
            ("a client_2 all subflows towards server", a_towards),
            ("a client_2 one initial subflow, the MP_CAPABLE SYN's", a_initial),
            ("a client_2 subflow endpoints = SYN sender/receiver", a_endpoints),
            ("a client_2 keys = SYN / SYN-ACK sendkey", a_keys),
            ("a client_2 tokens = mptcp.expected_token", a_tokens),
            ("a client_2 IDSNs = SHA-1 of keys", a_idsn),
            ("a client_2 join SYN tokens = server_token", a_joins),
            ("a client_2 version 0", a_version),
            ("a client_2 list-subflows N = list-mptcp entry", a_list_subflows),
            ("b server_2 roles from the SYN", b_roles),
            ("b server_2 tcp.stream 2 is 11.0.0.1:60453 -> 11.0.0.2:5201", b_stream2_roles),
            ("b server_2 tcp.stream 2 is an orphan", b_stream2_orphan),
            ("b server_2 same keys and tokens as client_2", b_same_keys),
            ("b server_2 subflow sets = tshark grouping", b_subflow_sets),
        ]:
            check(name, fn)

        caps = all_captures()
        if not caps:
            check("c list-tcp vs tshark", lambda: (_ for _ in ()).throw(Skip("no capture found")))
        for path in caps:
            short = os.path.relpath(path, os.path.dirname(REPO))
            for what, fn in [("packets per stream", c_packets), ("first/last time", c_times),
                             ("bytes = sum of tcp.len", c_bytes), ("directions", c_directions),
                             ("syn/synack flags", c_flags)]:
                check("c %s: list-tcp %s = tshark" % (short, what), fn, path)

        cases = truth_cases()
        if not cases:
            check("d fixtures with truth files",
                  lambda: (_ for _ in ()).throw(Skip("no fixtures/*.truth.json yet")))
        for tf, truth in crafted_cases():
            check("d %s: subflows, roles, directions, keys = truth" % os.path.basename(tf),
                  d_crafted, tf, truth)
        for tf, truth, path, err in cases:
            check("d %s: %s" % (os.path.basename(tf), os.path.basename(path or "?")),
                  d_fixture, tf, truth, path, err)

        rnd = random.Random(20240601)
        for name, fn in [
            ("e missing file", bad_file_case("missing", make_missing)),
            ("e a directory", bad_file_case("dir", make_dir)),
            ("e a text file", bad_file_case("notes.txt", b"this is not a capture\nat all\n")),
            ("e 64 KB of random bytes", bad_file_case("random.pcap", rnd.randbytes(65536))),
            ("e an empty file", bad_file_case("empty.pcap", b"")),
            ("e a pcap header with no packets", bad_file_case("header-only.pcap", pcap_header())),
            ("e a pcap of UDP packets only", bad_file_case("udp-only.pcap", udp_pcap())),
            ("e list-mptcp on a TCP-only capture", e_no_mptcp),
            ("e list-subflows unknown stream 99", e_unknown_stream),
            ("e list-subflows non-number id", e_bad_stream_id),
            ("e list-subflows negative id -1", e_negative_stream_id),
            ("e missing tshark", e_no_tshark),
            ("e too-old tshark", e_old_tshark),
            ("e unreadable file", e_unreadable),
            ("e truncated capture: warning and partial list", e_truncated),
            ("e file name with a space", name_case("with space.pcap",
                                                   lambda n: ["--json", "list-tcp", n])),
            ("e file name with a double quote", name_case('dq"uote.pcap',
                                                          lambda n: ["--json", "list-tcp", n])),
            ("e file name with a single quote", name_case("sq'uote.pcap",
                                                          lambda n: ["--json", "list-tcp", n])),
            ("e file name with a leading dash after --", name_case("-dash.pcap",
                                                                   lambda n: ["--json", "list-tcp", "--", n])),
            ("e file name with a leading dash as ./-name", name_case("-dash.pcap",
                                                                     lambda n: ["--json", "list-tcp", "./" + n])),
        ]:
            check(name, fn)

        for name, fn in [
            ("f one-shot list-mptcp", f_oneshot),
            ("f reference style \"load-pcap X\" \"list-mptcp\" = one-shot",
             same_as_oneshot(["load-pcap @CAP@", "list-mptcp"])),
            ("f -f script = one-shot", f_script_file),
            ("f script on stdin = one-shot",
             same_as_oneshot([], stdin="load-pcap @CAP@\nlist-mptcp\n")),
            ("f alias lm = list-mptcp", same_as_oneshot(["lm", "@CAP@"])),
            ("f alias list_mptcp_connections = list-mptcp",
             same_as_oneshot(["list_mptcp_connections", "@CAP@"])),
            ("f alias lt = list-tcp", same_as_oneshot(["lt", "@CAP@"], command="list-tcp")),
            ("f load-pcap of a quoted name with a space", f_script_quoted_name),
            ("f help and help list-mptcp", f_help),
            ("f unknown command", f_unknown_command),
            ("f interactive shell: completion and history", f_shell),
            ("f --json documents", f_json_valid),
        ]:
            check(name, fn)
    finally:
        status = finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
