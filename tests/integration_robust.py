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
