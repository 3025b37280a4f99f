#!/usr/bin/python3
"""Robustness suite for mptcpanalyzer (issue 7): inputs made to break the
tool. Each check was written to fail on the tool as it was before its fix.

Usage: MPTCPANALYZER_BIN=build/asan/mptcpanalyzer tests/integration_robust.py
       tests/integration_robust.py [BINARY]
Reuses the helpers of tests/integration.py. Expected values come from
tshark's own export of the same capture, from the truth files that
scripts/craft-captures writes beside its captures, or are computed here.
Prints `ok - ...` / `not ok - ...` lines, then
`# SUMMARY PASSED FAILED SKIPPED`. Python stdlib only.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration as T  # noqa: E402
from integration import Skip, Fail, expect, check, run, tool_json  # noqa: E402

REPO, CAPS, FIXTURES, BIN, LABEL = T.REPO, T.CAPS, T.FIXTURES, T.BIN, T.LABEL
TMP = os.path.join(REPO, "tests", "tmp", "robust-%s-%d" % (LABEL, os.getpid()))
T.TMP = TMP


def tmpdir(name):
    d = os.path.join(TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def fixture(name):
    p = os.path.join(FIXTURES, name)
    if not os.path.exists(p):
        raise Skip("fixture %s absent" % name)
    return p


def small():
    return fixture("crafted-server-join.pcap")


def one_error_line(r, *words):
    """exit status non-zero, nothing on stdout, one stderr line holding
    every word"""
    expect(r.rc != 0, "exit status 0: %s" % r.describe())
    lines = r.err_lines()
    expect(len(lines) == 1, "stderr should be one line: %r" % r.err[:500])
    for w in words:
        expect(w in lines[0], "stderr %r does not say %r" % (lines[0], w))


def run_raw(args, stdout, env=None, stdin=None):
    """Run the binary with stdout sent to a file object (e.g. /dev/full);
    returns (status, stderr text); fails on a sanitizer report."""
    e = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0")
    e.update(env or {})
    p = subprocess.run([BIN] + args, stdout=stdout, stderr=subprocess.PIPE,
                       input=stdin, env=e, cwd=REPO, timeout=T.TIMEOUT)
    err = p.stderr.decode("utf-8", "replace")
    for mark in T.SANITIZER_MARKS:
        expect(mark not in err, "sanitizer report: %s" % err[err.find(mark):][:400])
    expect(p.returncode >= 0, "killed by signal %d" % -p.returncode)
    return p.returncode, err


# ---------------------------------------------------------------------------
# 15. output errors, JSON encoding, script lines

def r15_dev_full(args):
    def fn():
        import stat as st_
        if not st_.S_ISCHR(os.stat("/dev/full").st_mode):
            raise Skip("/dev/full is not the full device on this machine")
        a = [x.replace("@CAP@", small()) for x in args]
        with open("/dev/full", "w") as full:
            rc, err = run_raw(a, full)
        lines = err.splitlines()
        expect(rc == 1, "exit status %d (stderr %r)" % (rc, err[:300]))
        expect(len(lines) == 1 and lines[0] ==
               "mptcpanalyzer: write error on standard output: No space left on device",
               "stderr %r" % err[:400])
    return fn


def r15_non_utf8_name():
    """a capture whose name is not UTF-8: every --json document is UTF-8
    and valid JSON, the bad byte shown as U+FFFD"""
    d = tmpdir("utf8")
    name = b"caf\xe9-\xff.pcap"
    path = os.path.join(os.fsencode(d), name)
    shutil.copyfile(small(), path)
    for cmd in (["list-tcp"], ["list-mptcp"], ["list-subflows", "0"], ["load-pcap"],
                ["tcp-summary", "0"], ["mptcp-summary", "0", "--full"],
                ["list-reinjections", "0"]):
        argv = [os.fsencode(BIN), b"--json", os.fsencode(cmd[0]), path] + \
            [os.fsencode(x) for x in cmd[1:]]
        p = subprocess.run(argv, capture_output=True, cwd=d, timeout=T.TIMEOUT,
                           env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1"))
        expect(p.returncode == 0, "%s: rc %d %r" % (cmd[0], p.returncode, p.stderr[:300]))
        try:
            text = p.stdout.decode("utf-8")
        except UnicodeDecodeError as e:
            raise Fail("%s: stdout is not UTF-8: %s" % (cmd[0], e))
        doc = json.loads(text)
        want = os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        expect(doc["capture"] == want, "%s: capture %r, want %r" % (cmd[0], doc["capture"], want))


def script_case(ending, bom=False, nul=False):
    """a script with the given line ends runs every line, like one-shot"""
    def fn():
        cap = small()
        ref = run(["list-tcp", cap])
        expect(ref.rc == 0, ref.describe())
        lines = ["load-pcap %s" % cap, "# a comment", "", "list-tcp"]
        if nul:
            lines.insert(2, "list\0-mptcp")
        text = ending.join(lines) + ending
        data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
        d = tmpdir("script")
        path = os.path.join(d, "script.txt")
        open(path, "wb").write(data)
        r = run(["-q", "-f", path])
        if nul:
            one_error_line(r, path, ":3:", "NUL")
            expect(r.out == "", "stdout %r" % r.out[:200])
            return
        expect(r.rc == 0, r.describe())
        expect(r.out == ref.out, "stdout differs from one-shot list-tcp: %r" % r.out[:300])
        r = run([], stdin=data)
        expect(r.rc == 0 and r.out == ref.out, "on stdin: %s" % r.describe())
    return fn


# ---------------------------------------------------------------------------
# 11-14. the cache: only our files, stale entries, dead writers, FIFOs

def cache_files(d):
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def entries(d):
    return [n for n in cache_files(d) if n.endswith(".cache")]


def fill_cache(d, cap=None):
    r = run(["--cache-dir", d, "--json", "list-tcp", cap or small()])
    expect(r.rc == 0, r.describe())
    ents = entries(d)
    expect(len(ents) >= 1, "no entry written: %s" % cache_files(d))
    return r


def age(path, seconds):
    t = os.stat(path).st_mtime - seconds
    os.utime(path, (t, t))


def locked_holder(path):
    """a child process holding an flock on path until its stdin closes"""
    code = ("import fcntl,sys; f=open(sys.argv[1],'rb'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()")
    p = subprocess.Popen([sys.executable, "-c", code, path], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    expect(p.stdout.readline().strip() == b"locked", "lock holder did not start")
    return p


def foreign_files(d, entry_bytes):
    """files a cache folder may hold that the tool did not write"""
    made = {
        "notes.cache": b"my own notes\n",
        "a" * 64 + ".cache": b"not an entry, but named like one" * 10,
        ".entry-abcDEF": b"someone else's temporary file" * 10,
        ".entry-short": entry_bytes,           # our header, not our name
        "x" * 64 + ".cache": entry_bytes,       # not hex: not our name
    }
    for n, data in made.items():
        open(os.path.join(d, n), "wb").write(data)
        age(os.path.join(d, n), 7200)
    return sorted(made)


def r11_clean_only_ours():
    d = os.path.join(tmpdir("clean"), "cache")
    fill_cache(d)
    ent = entries(d)[0]
    data = open(os.path.join(d, ent), "rb").read()
    kept = foreign_files(d, data)
    # temporary files of ours: a dead writer's (stale), one being written
    # (fresh), an old one whose writer is alive (locked)
    for n, secs in ((".entry-dead01", 7200), (".entry-fresh1", 0), (".entry-alive1", 7200)):
        open(os.path.join(d, n), "wb").write(data)
        if secs:
            age(os.path.join(d, n), secs)
    holder = locked_holder(os.path.join(d, ".entry-alive1"))
    try:
        r = run(["--cache-dir", d, "--json", "clean-cache"])
    finally:
        holder.stdin.close()
        holder.wait()
    expect(r.rc == 0, r.describe())
    left = cache_files(d)
    want = sorted(kept + [".entry-fresh1", ".entry-alive1"])
    expect(left == want, "left %s, want %s" % (left, want))
    expect(json.loads(r.out)["removed"] == 2, "removed %r, want 2" % r.out)
    for n in kept:
        expect(os.path.getsize(os.path.join(d, n)) > 0, "%s emptied" % n)


def r13_writer_sweeps_dead_temp():
    d = os.path.join(tmpdir("sweep"), "cache")
    fill_cache(d)
    data = open(os.path.join(d, entries(d)[0]), "rb").read()
    kept = foreign_files(d, data)
    open(os.path.join(d, ".entry-dead02"), "wb").write(data)
    age(os.path.join(d, ".entry-dead02"), 7200)
    open(os.path.join(d, ".entry-fresh2"), "wb").write(data)
    other = fixture("crafted-orphan-join.pcap")
    r = run(["--cache-dir", d, "--json", "list-tcp", other])   # writes an entry
    expect(r.rc == 0, r.describe())
    left = cache_files(d)
    expect(".entry-dead02" not in left, "a dead writer's temporary file stayed: %s" % left)
    expect(".entry-fresh2" in left, "a recent temporary file was removed: %s" % left)
    expect(all(n in left for n in kept), "files not ours removed: %s" % sorted(set(kept) - set(left)))
    expect(len(entries(d)) == 2 + 3, "entries %s" % entries(d))  # 2 ours + 3 foreign .cache


def r12_replaced_same_stat():
    """a capture replaced in place (same inode) by another of the same size,
    its mtime put back: the cache must not answer for the old content"""
    import struct
    d = tmpdir("replace")
    cache = os.path.join(d, "cache")
    cap = os.path.join(d, "c.pcap")
    shutil.copyfile(small(), cap)
    a = fill_cache(cache, cap)
    st = os.stat(cap)
    data = open(cap, "rb").read()
    old, new = struct.pack("!H", 43001), struct.pack("!H", 43002)
    expect(old in data, "port 43001 not in the fixture")
    with open(cap, "r+b") as f:          # same inode, same size
        f.write(data.replace(old, new))
    os.utime(cap, ns=(st.st_atime_ns, st.st_mtime_ns))
    st2 = os.stat(cap)
    expect((st2.st_ino, st2.st_size, st2.st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns),
           "could not keep inode, size and mtime")
    r = run(["--cache-dir", cache, "--json", "list-tcp", cap])
    expect(r.rc == 0, r.describe())
    ports = sorted({c["client_port"] for c in json.loads(r.out)["tcp_connections"]} |
                   {c["server_port"] for c in json.loads(r.out)["tcp_connections"]})
    want = sorted({k.sport for k in T.tshark_packets(cap)} | {k.dport for k in T.tshark_packets(cap)})
    expect(ports == want, "ports %s, tshark on the new content %s (stale cache entry used)"
           % (ports, want))
    expect(r.out != a.out, "same output as for the old content")


def r14_fifo_at_entry():
    """a FIFO where the entry would be: no hang, the FIFO left alone, one
    warning, the right answer"""
    d = tmpdir("fifo")
    cache = os.path.join(d, "cache")
    a = fill_cache(cache)
    ent = os.path.join(cache, entries(cache)[0])
    os.unlink(ent)
    os.mkfifo(ent)
    r = run(["--cache-dir", cache, "--json", "list-tcp", small()])
    expect(r.rc == 0 and r.out == a.out, r.describe())
    expect(len(r.err_lines()) == 1 and "warning" in r.err, "stderr %r" % r.err[:300])
    import stat as st_
    expect(st_.S_ISFIFO(os.lstat(ent).st_mode), "the FIFO was replaced")
    r = run(["--cache-dir", cache, "--json", "clean-cache"])
    expect(r.rc == 0 and json.loads(r.out)["removed"] == 0, r.describe())
    expect(st_.S_ISFIFO(os.lstat(ent).st_mode), "clean-cache removed the FIFO")


# ---------------------------------------------------------------------------
# 5-9. the robustness captures (scripts/robust-captures -> fixtures/robust)

ROBUST = os.path.join(FIXTURES, "robust")


def robust(case):
    tf = os.path.join(ROBUST, "robust-%s.truth.json" % case)
    if not os.path.exists(tf):
        raise Skip("%s absent (scripts/robust-captures)" % tf)
    truth = json.load(open(tf))
    return os.path.join(ROBUST, truth["capture"]), truth


_ts = {}


def tshark_tcp(path):
    """TCP packets as tshark sees them, read independently: the addresses
    of the IP header just before the TCP one (frame.protocols), rows
    quoting a TCP header inside ICMP apart. [(frame, stream, time, src,
    sport, dst, dport, len, icmp)]"""
    if path in _ts:
        return _ts[path]
    fields = ["frame.number", "tcp.stream", "frame.time_epoch", "frame.protocols",
              "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport",
              "tcp.dstport", "tcp.len", "tcp.options", "tcp.hdr_len"]
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=a",
           "-E", "aggregator=,", "-E", "separator=/t"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=T.TIMEOUT).stdout
    rows = []
    for line in out.splitlines():
        f = line.split("\t")
        if not f[1]:
            continue
        layers = f[3].split(":")
        tcp = len(layers) - 1 - layers[::-1].index("tcp")
        ip = max(i for i in range(tcp) if layers[i] in ("ip", "ipv6"))
        nth = sum(1 for x in layers[:ip] if x == layers[ip])
        src = (f[4] if layers[ip] == "ip" else f[6]).split(",")[nth]
        dst = (f[5] if layers[ip] == "ip" else f[7]).split(",")[nth]
        icmp = any(x in ("icmp", "icmpv6") for x in layers[:tcp])
        opts = f[11]
        have = 0 if opts in ("", "<MISSING>") else len(opts) // 2
        cut = bool(f[12]) and int(f[12]) - 20 > have
        rows.append((int(f[0]), int(f[1]), float(f[2]), src, int(f[8]), dst, int(f[9]),
                     int(f[10] or 0), icmp, cut))
    _ts[path] = rows
    return rows


def every_packet_counted(case):
    """list-tcp: per tcp.stream, the packets, bytes and endpoints tshark
    shows, ICMP-quoted headers not counted"""
    def fn():
        path, truth = robust(case)
        rows = [r for r in tshark_tcp(path) if not r[8]]
        want = {}
        for r in rows:
            want.setdefault(r[1], []).append(r)
        r = run(["--no-cache", "--json", "list-tcp", path])
        expect(r.rc == 0, r.describe())
        expect("could not be read" not in r.err, "unreadable packets: %r" % r.err[:300])
        got = {c["tcp_stream"]: c for c in json.loads(r.out)["tcp_connections"]}
        expect(sorted(got) == sorted(want), "streams %s, tshark %s" % (sorted(got), sorted(want)))
        for s, pk in want.items():
            c = got[s]
            ends = {(p[3], p[4]) for p in pk} | {(p[5], p[6]) for p in pk}
            mine = {(c["client_ip"], c["client_port"]), (c["server_ip"], c["server_port"])}
            expect(c["packets"] == len(pk), "tcp.stream %d: %d packets, tshark %d"
                   % (s, c["packets"], len(pk)))
            expect(c["bytes_to_server"] + c["bytes_to_client"] == sum(p[7] for p in pk),
                   "tcp.stream %d bytes" % s)
            expect(mine == ends, "tcp.stream %d endpoints %s, tshark (inner header) %s"
                   % (s, sorted(mine), sorted(ends)))
            expect(c["duration_s"] >= 0 and c["first_time_relative_s"] >= 0,
                   "tcp.stream %d: negative time %r" % (s, c))
    return fn


def r5_same_keys():
    path, truth = robust("same-keys")
    doc = tool_json("list-mptcp", path)
    conns = doc["mptcp_connections"]
    ids = [c["mptcp_stream"] for c in conns]
    expect(len(conns) == len(truth["connections"]) and len(set(ids)) == len(ids),
           "connections %s, truth %d" % (ids, len(truth["connections"])))
    ws = {r[1] for r in tshark_tcp(path)}
    for want in truth["connections"]:
        c = [c for c in conns if sorted(sf["tcp_stream"] for sf in c["subflows"]) ==
             want["tcp_streams"]]
        expect(len(c) == 1, "no connection with subflows %s: %s" % (want["tcp_streams"], [
            [sf["tcp_stream"] for sf in x["subflows"]] for x in conns]))
        c = c[0]
        expect(c["server_token"] == truth["server_token"], "server token")
        one = tool_json("list-subflows", path, str(c["mptcp_stream"]))
        expect(sorted(sf["tcp_stream"] for sf in one["subflows"]) == want["tcp_streams"],
               "list-subflows %d reaches another connection" % c["mptcp_stream"])
        sm = tool_json("mptcp-summary", path, str(c["mptcp_stream"]))
        d = {x["towards"]: x for x in sm["directions"]}
        expect(d["server"]["application_bytes"] == want["client_bytes_sent"] and
               d["client"]["application_bytes"] == want["server_bytes_sent"],
               "mptcp.stream %d application bytes %d/%d, truth %d/%d"
               % (c["mptcp_stream"], d["server"]["application_bytes"],
                  d["client"]["application_bytes"], want["client_bytes_sent"],
                  want["server_bytes_sent"]))
    expect(ws, "tshark saw nothing")


def r6_snaplen():
    path, truth = robust("snaplen")
    rows = tshark_tcp(path)
    cut = [r[0] for r in rows if r[9]]
    expect(cut == truth["cut_frames"], "tshark's cut frames %s, truth %s" % (cut, truth["cut_frames"]))
    r = run(["--no-cache", "--json", "load-pcap", path])
    expect(r.rc == 0, r.describe())
    expect(json.loads(r.out)["options_cut_packets"] == len(cut),
           "options_cut_packets %s, tshark %d" % (json.loads(r.out).get("options_cut_packets"), len(cut)))
    warn = [l for l in r.err_lines() if "snap length" in l]
    expect(len(warn) == 1 and str(len(cut)) in warn[0], "stderr %r" % r.err[:300])
    lt = {c["tcp_stream"]: c for c in tool_json("list-tcp", path)["tcp_connections"]}
    for s, n in ((truth["inferred_join"], None), (truth["plain_tcp_stream"], None)):
        want = sum(1 for x in rows if x[1] == s and x[9])
        expect(lt[s]["options_cut_packets"] == want, "tcp.stream %d options_cut_packets %d, tshark %d"
               % (s, lt[s]["options_cut_packets"], want))
    doc = tool_json("list-mptcp", path)
    expect(len(doc["mptcp_connections"]) == 1, "connections %s" % doc["mptcp_connections"])
    subs = {sf["tcp_stream"]: sf for sf in doc["mptcp_connections"][0]["subflows"]}
    j = subs.get(truth["inferred_join"])
    expect(j is not None and j["linked_by"] == "inferred" and j["join_token"] is None,
           "cut join: %r" % j)
    expect(subs[0]["linked_by"] == "mp_capable", "initial: %r" % subs[0])
    expect(lt[truth["plain_tcp_stream"]]["mptcp_stream"] is None,
           "a plain TCP connection to another server was linked: %r" % lt[truth["plain_tcp_stream"]])
    sm = tool_json("mptcp-summary", path, "0")
    for d in sm["directions"]:
        i = 0 if d["towards"] == "server" else 1
        for sf in d["subflows"]:
            want = truth["payload"][str(sf["tcp_stream"])][i]
            expect(sf["throughput_bytes"] == want, "tcp.stream %d towards %s: %d, sent %d"
                   % (sf["tcp_stream"], d["towards"], sf["throughput_bytes"], want))


def r7_icmp():
    path, truth = robust("icmp")
    rows = tshark_tcp(path)
    expect(sum(1 for r in rows if r[8]) == truth["icmp_errors"], "tshark ICMP rows")
    r = run(["--no-cache", "--json", "load-pcap", path])
    expect(r.rc == 0 and json.loads(r.out)["icmp_errors"] == truth["icmp_errors"], r.describe())
    expect(len(r.err_lines()) == 1 and "ICMP" in r.err and "no packet" in r.err,
           "stderr should name the unmatched error: %r" % r.err[:300])
    expect("could not be read" not in r.err, r.err)
    doc = tool_json("list-mptcp", path)
    got = doc["mptcp_connections"][0]["icmp_errors"]
    keys = ("frame", "tcp_stream", "type", "code", "router", "towards", "family")
    expect([{k: e[k] for k in keys} for e in got] == truth["mptcp_errors"],
           "list-mptcp icmp_errors %s, truth %s" % (got, truth["mptcp_errors"]))
    times = {x[0]: x[2] for x in rows}
    for e in got:
        expect(abs(e["time"] - times[e["frame"]]) < 1e-6, "frame %d time" % e["frame"])
    ts = tool_json("tcp-summary", path, "2", "--full")
    got = [{k: e[k] for k in keys} for e in ts["icmp_errors"]]
    expect(got == truth["tcp_errors"], "tcp-summary icmp_errors %s, truth %s" % (got, truth["tcp_errors"]))
    sub = tool_json("list-subflows", path, "0")
    expect(len(sub["icmp_errors"]) == len(truth["mptcp_errors"]), "list-subflows icmp_errors")
    txt = run(["--no-cache", "list-mptcp", path])
    expect("network unreachable from 10.0.1.254" in txt.out, "text: %r" % txt.out[-400:])
    full = run(["--no-cache", "mptcp-summary", path, "0", "--full"])
    expect(full.rc == 0 and full.out.count("network unreachable") == 2, full.describe())


def r8_tunnel():
    path, truth = robust("tunnel")
    lt = {c["tcp_stream"]: c for c in tool_json("list-tcp", path)["tcp_connections"]}
    for want in truth["streams"]:
        c = lt[want["tcp_stream"]]
        got = [[c["client_ip"], c["client_port"]], [c["server_ip"], c["server_port"]]]
        expect(got == [want["client"], want["server"]], "tcp.stream %d: %s, truth %s"
               % (want["tcp_stream"], got, [want["client"], want["server"]]))
        expect(c["packets"] == truth["packets"][str(want["tcp_stream"])], "packets")
    doc = tool_json("list-mptcp", path)
    subs = sorted(sf["tcp_stream"] for sf in doc["mptcp_connections"][0]["subflows"])
    expect(subs == [0, 1], "subflows %s" % subs)
    sm = tool_json("mptcp-summary", path, "0")
    d = {x["towards"]: x for x in sm["directions"]}
    expect(d["server"]["application_bytes"] == truth["client_bytes_sent"] and
           d["client"]["application_bytes"] == truth["server_bytes_sent"], "application bytes")


def r9_time():
    path, truth = robust("time")
    rows = tshark_tcp(path)
    r = run(["--no-cache", "--json", "load-pcap", path])
    expect(r.rc == 0 and json.loads(r.out)["time_clamped_packets"] == truth["clamped_packets"],
           r.describe())
    lt = {c["tcp_stream"]: c for c in tool_json("list-tcp", path)["tcp_connections"]}
    for s in (0, 1):
        ts = [x[2] for x in rows if x[1] == s]
        c = lt[s]
        expect(c["duration_s"] >= 0, "tcp.stream %d duration %r" % (s, c["duration_s"]))
        if s == 0:
            expect(abs(c["duration_s"] - (max(ts) - min(ts))) < 1e-6,
                   "duration %r, tshark max-min %r" % (c["duration_s"], max(ts) - min(ts)))
            expect(abs(c["first_time"] - min(ts)) < 1e-6, "first_time")
    far = lt[truth["far_tcp_stream"]]
    expect(abs(far["last_time"] - 9223372036.854775807) < 1e-3 and far["last_time"] > 0,
           "clamped last_time %r" % far["last_time"])
    for s in ("0", "1"):
        doc = tool_json("tcp-summary", path, s, "--full")
        for d in doc["directions"]:
            expect(d["duration_s"] >= 0 and d["throughput_bytes_per_s"] >= 0, "tcp-summary %s: %r" % (s, d))
        for k, v in doc["handshake"].items():
            expect(v is None or v >= 0, "handshake %s %r" % (k, v))
    sm = tool_json("mptcp-summary", path, "0", "--full")
    for d in sm["directions"]:
        expect(d["duration_s"] >= 0, "mptcp-summary duration %r" % d["duration_s"])
    txt = run(["--no-cache", "list-tcp", path])
    import re
    expect(txt.rc == 0 and not re.search(r"(^|\s)-\d", txt.out), "a negative figure: %r" % txt.out)


# ---------------------------------------------------------------------------
# 13. a forged entry: valid checksum, counts out of range

def fnv64(data):
    h = 0xcbf29ce484222325
    for i in range(0, len(data), 8):
        h = ((h ^ int.from_bytes(data[i:i + 8], "little")) * 0x100000001b3) & (2 ** 64 - 1)
    return h


def forge(path, event_patch=None, head_patch=None):
    """rewrite an entry (cache format 4): patch the first MPTCP event of the
    first connection that has one, or the body head; fix the checksum"""
    import struct
    data = bytearray(open(path, "rb").read())
    magic, fmt, _, klen, blen, _ = struct.unpack_from("<8sIIQQQ", data, 0)
    expect(magic == b"MPTCPAC\x01" and fmt == 4, "unknown entry format %d: update this test" % fmt)
    body = 40 + klen
    rows, bad, tcp, cut, clamp, icmp, trunc, nconn, npend, _ = struct.unpack_from("<6Q4I", data, body)
    if head_patch:
        head_patch(data, body)
    at = body + 64 + npend * 72
    for _ in range(nconn):
        ws, stream, npk, nev, nic = struct.unpack_from("<qIIII", data, at)
        ev = at + 128 + npk * 56
        if nev and event_patch:
            event_patch(data, ev)
            event_patch = None
        at = ev + nev * 96 + nic * 72
    expect(at == len(data), "walked to %d of %d bytes: layout changed, update this test" % (at, len(data)))
    struct.pack_into("<Q", data, 32, fnv64(bytes(data[40:])))
    open(path, "wb").write(bytes(data))


def forged_case(what):
    def fn():
        import struct
        d = os.path.join(tmpdir("forge-" + what), "cache")
        a = run(["--cache-dir", d, "--json", "list-mptcp", small()])
        expect(a.rc == 0, a.describe())
        ent = os.path.join(d, entries(d)[0])
        if what == "n_removed":
            forge(ent, event_patch=lambda b, at: (struct.pack_into("<B", b, at + 8, 4),
                                                   struct.pack_into("<B", b, at + 19, 200)))
        elif what == "subtype":
            forge(ent, event_patch=lambda b, at: struct.pack_into("<B", b, at + 8, 77))
        elif what == "tcp_packets":
            forge(ent, head_patch=lambda b, at: struct.pack_into("<Q", b, at + 16, 10 ** 6))
        else:
            forge(ent, head_patch=lambda b, at: struct.pack_into("<I", b, at + 52, 0xFFFFFF))
        r = run(["--cache-dir", d, "--json", "list-mptcp", small()])
        expect(r.rc == 0 and r.out == a.out, "forged entry changed the answer: %s" % r.describe())
        expect(len(r.err_lines()) == 1 and "corrupt" in r.err, "stderr %r" % r.err[:300])
    return fn


# ---------------------------------------------------------------------------
# 16. a giant line from tshark

def r16_giant_line():
    """tshark printing a 200 MB line among real rows: memory stays small,
    the line is one unreadable row, every real packet is there"""
    real = shutil.which("tshark")
    d = tmpdir("giant")
    fake = os.path.join(d, "tshark")
    open(fake, "w").write('#!/bin/sh\nif [ "$1" = --version ]; then exec %s --version; fi\n'
                          '%s "$@"\nhead -c 200000000 /dev/zero | tr "\\0" x\necho\n' % (real, real))
    os.chmod(fake, 0o755)
    cap = small()
    r = run(["--no-cache", "--stats", "--json", "list-tcp", cap], env={"MPTCPANALYZER_TSHARK": fake})
    expect(r.rc == 0, r.describe())
    want = {}
    for x in tshark_tcp(cap):
        want[x[1]] = want.get(x[1], 0) + 1
    got = {c["tcp_stream"]: c["packets"] for c in json.loads(r.out)["tcp_connections"]}
    expect(got == want, "packets %s, tshark %s" % (got, want))
    expect(any("1 packets could not be read" in l for l in r.err_lines()), "stderr %r" % r.err[:300])
    import re
    m = re.search(r"own_peak_rss_kib=(\d+)", r.err)
    expect(m, "no --stats line: %r" % r.err[:300])
    limit = 150 * 1024 if LABEL == "release" else 400 * 1024   # ASan's own overhead
    expect(int(m.group(1)) < limit, "peak memory %s KiB for a 200 MB line" % m.group(1))


def main():
    if not T.start("robust"):
        return 1
    try:
        for name, fn in [
            ("15 help > /dev/full: one error line, status 1", r15_dev_full(["help"])),
            ("15 --json list-tcp > /dev/full: one error line, status 1",
             r15_dev_full(["--json", "list-tcp", "@CAP@"])),
            ("15 list-tcp > /dev/full: one error line, status 1",
             r15_dev_full(["list-tcp", "@CAP@"])),
            ("15 --version > /dev/full: one error line, status 1", r15_dev_full(["--version"])),
            ("15 non-UTF-8 file name: JSON stays valid UTF-8", r15_non_utf8_name),
            ("15 script with LF line ends", script_case("\n")),
            ("15 script with CR LF line ends", script_case("\r\n")),
            ("15 script with CR-only line ends runs every line", script_case("\r")),
            ("15 script starting with a UTF-8 BOM", script_case("\n", bom=True)),
            ("15 script with a NUL byte: one error naming file and line",
             script_case("\n", nul=True)),
        ]:
            check(name, fn)
        for name, fn in [
            ("11 clean-cache deletes only its own entries and dead writers' files",
             r11_clean_only_ours),
            ("12 capture replaced in place, same size, mtime and inode: cache misses",
             r12_replaced_same_stat),
            ("13 a writer removes a killed writer's temporary file, nothing else",
             r13_writer_sweeps_dead_temp),
            ("14 FIFO at the entry's path: no hang, left alone", r14_fifo_at_entry),
            ("13 forged entry: REMOVE_ADDR with 200 ids", forged_case("n_removed")),
            ("13 forged entry: unknown option subtype", forged_case("subtype")),
            ("13 forged entry: packet count that does not add up", forged_case("tcp_packets")),
            ("13 forged entry: pending ICMP count past the end", forged_case("pending")),
        ]:
            check(name, fn)
        for case in ("same-keys", "snaplen", "icmp", "tunnel", "time"):
            check("5-9 robust-%s: list-tcp = tshark per stream (inner addresses, "
                  "ICMP-quoted headers apart)" % case, every_packet_counted(case))
        for name, fn in [
            ("5 same keys: both connections listed, reachable, joins by time", r5_same_keys),
            ("6 snap length 54: packets kept, cut counted, join linked by inference", r6_snaplen),
            ("7 ICMP errors listed as path events of the subflow they quote", r7_icmp),
            ("8 6in4 and GTP-U: inner addresses, every packet read", r8_tunnel),
            ("9 time going back and past 2^63 ns: no negative or wrapped figure", r9_time),
            ("16 a 200 MB line from tshark: one unreadable row, memory bounded", r16_giant_line),
        ]:
            check(name, fn)
    finally:
        status = T.finish()
    return status


if __name__ == "__main__":
    sys.exit(main())
