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
import tempfile

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

def main():
    if not os.access(BIN, os.X_OK):
        print("not ok - [%s] robust binary %s: not executable" % (LABEL, BIN))
        print("# SUMMARY 0 1 0")
        return 1
    os.makedirs(TMP, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="xdg-cache-", dir=TMP)
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
        ]:
            check(name, fn)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
        try:
            os.rmdir(os.path.dirname(TMP))
        except OSError:
            pass
    c = T.counts
    print("# SUMMARY %d %d %d" % (c["passed"], c["failed"], c["skipped"]))
    return 1 if c["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
