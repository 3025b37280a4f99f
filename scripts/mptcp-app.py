#!/usr/bin/python3
# mptcp-app.py - a tiny MPTCP client/server used by scripts/make-captures to
# generate traffic whose exact application byte counts are known. Each side
# writes, per connection, the bytes it sent and received and the addresses of
# the initial subflow as JSON: that is the ground truth the analyser's goodput
# and byte counts are checked against. Payload is seeded pseudo-random data so
# runs are deterministic in byte counts. Python 3 standard library only.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Server: mptcp-app.py server --port P --count N --send B1[,B2,...] --json F
#         [--mark BYTES:FILE]...
#         (the k-th accepted connection gets B_k bytes server->client; the
#          last value is reused when the list is shorter than N; --mark
#          creates FILE once the first connection has received BYTES bytes,
#          so make-captures can act mid-transfer at a known point)
# Client: mptcp-app.py client --connect ADDR --port P --send B --json F
#         [--bind ADDR] [--mode concurrent|sequential]
# Modes: concurrent = both directions at once (each side shuts its write half
# when done and reads to EOF); sequential = the client sends everything and
# shuts down its write half, the server reads to EOF, then sends its bytes.

import argparse
import json
import os
import random
import socket
import struct
import threading

IPPROTO_MPTCP = 262
SOL_MPTCP = 284
MPTCP_INFO = 1
CHUNK = 16384


def payload(n, seed):
    """n pseudo-random bytes: a 1 MiB random block repeated (randbytes of
    a whole bulk transfer would overflow)."""
    block = random.Random(seed).randbytes(min(n, 1 << 20))
    return (block * (n // len(block) + 1))[:n] if n else b""


def mptcp_info(sock):
    """Best-effort read of struct mptcp_info (linux/mptcp.h)."""
    try:
        raw = sock.getsockopt(SOL_MPTCP, MPTCP_INFO, 256)
    except OSError:
        return None
    if len(raw) < 16:
        return None
    info = {
        "subflows": raw[0],
        "add_addr_signal": raw[1],
        "add_addr_accepted": raw[2],
        "token": "%08x" % struct.unpack_from("=I", raw, 12)[0],
    }
    if len(raw) >= 48:
        info["retransmits"] = struct.unpack_from("=I", raw, 44)[0]
    if len(raw) >= 56:
        info["bytes_retrans"] = struct.unpack_from("=Q", raw, 48)[0]
    if len(raw) >= 81:
        info["subflows_total"] = raw[80]
    return info


def send_all(sock, data, res):
    view = memoryview(data)
    sent = 0
    while sent < len(view):
        n = sock.send(view[sent:sent + CHUNK])
        sent += n
    res["bytes_sent"] = sent
    sock.shutdown(socket.SHUT_WR)


def recv_all(sock, res, marks=()):
    """read to EOF; marks: [(bytes, file)] sorted, each file created once
    that many bytes have been received."""
    total = 0
    pending = list(marks)
    while True:
        b = sock.recv(65536)
        if not b:
            break
        total += len(b)
        while pending and total >= pending[0][0]:
            open(pending.pop(0)[1], "w").close()
    res["bytes_received"] = total


def exchange(sock, data, mode, sender_first, marks=()):
    res = {"bytes_sent": 0, "bytes_received": 0}
    if mode == "concurrent":
        t = threading.Thread(target=send_all, args=(sock, data, res))
        t.start()
        recv_all(sock, res, marks)
        t.join()
    elif sender_first:
        send_all(sock, data, res)
        recv_all(sock, res, marks)
    else:
        recv_all(sock, res, marks)
        send_all(sock, data, res)
    return res


def parse_marks(specs):
    out = []
    for m in specs or []:
        n, sep, path = m.partition(":")
        if not sep or not n.isdigit() or not path:
            raise SystemExit("mptcp-app.py: --mark wants BYTES:FILE, not %r" % m)
        out.append((int(n), path))
    return sorted(out)


def addr(t):
    return {"addr": t[0], "port": t[1]}


def family_of(a):
    return socket.AF_INET6 if ":" in a else socket.AF_INET


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def server(args):
    sizes = [int(x) for x in args.send.split(",")]
    marks = parse_marks(args.mark)
    fam = family_of(args.bind)
    ls = socket.socket(fam, socket.SOCK_STREAM, IPPROTO_MPTCP)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.bind, args.port))
    ls.listen(16)
    if args.ready:
        open(args.ready, "w").close()
    conns = []
    for k in range(args.count):
        s, peer = ls.accept()
        size = sizes[min(k, len(sizes) - 1)]
        rec = {"index": k, "local": addr(s.getsockname()),
               "remote": addr(peer)}
        rec.update(exchange(s, payload(size, args.seed + 1000 + k),
                            args.mode, sender_first=False,
                            marks=marks if k == 0 else ()))
        rec["mptcp_info"] = mptcp_info(s)
        s.close()
        conns.append(rec)
        write_json(args.json, {"role": "server", "connections": conns})
    ls.close()


def client(args):
    fam = family_of(args.connect)
    s = socket.socket(fam, socket.SOCK_STREAM, IPPROTO_MPTCP)
    if args.bind:
        s.bind((args.bind, 0))
    s.connect((args.connect, args.port))
    rec = {"local": addr(s.getsockname()), "remote": addr(s.getpeername())}
    rec.update(exchange(s, payload(args.send, args.seed), args.mode,
                        sender_first=True))
    rec["mptcp_info"] = mptcp_info(s)
    s.close()
    write_json(args.json, {"role": "client", "connections": [rec]})


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("server")
    ps.add_argument("--bind", default="0.0.0.0")
    ps.add_argument("--port", type=int, required=True)
    ps.add_argument("--count", type=int, default=1)
    ps.add_argument("--send", default="0",
                    help="bytes server->client, comma list per connection")
    ps.add_argument("--ready", help="file created once listening")
    ps.add_argument("--mark", action="append", metavar="BYTES:FILE",
                    help="create FILE once the first connection received BYTES")
    pc = sub.add_parser("client")
    pc.add_argument("--connect", required=True)
    pc.add_argument("--bind")
    pc.add_argument("--port", type=int, required=True)
    pc.add_argument("--send", type=int, default=0,
                    help="bytes client->server")
    for q in (ps, pc):
        q.add_argument("--json", required=True)
        q.add_argument("--mode", choices=("concurrent", "sequential"),
                       default="concurrent")
        q.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    (server if args.cmd == "server" else client)(args)


if __name__ == "__main__":
    main()
