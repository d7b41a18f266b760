#!/usr/bin/python3
"""tests/tools/ipc.py — a minimal slicedeck IPC client for integration tests.

  ipc.py SOCKET call OP [JSON-PARAMS]
      hello, then one request; prints the reply line (exit 0 even for an
      error reply: the test reads it).
  ipc.py SOCKET watch SECONDS MODE TOPIC[,TOPIC...]
      hello, subscribe (mode full or delta), then print every event line
      for SECONDS (bounded), one per line.

Standard library only; speaks the protocol of docs/ipc.md.
"""
import json
import socket
import sys
import time


def lines(sock, deadline):
    buf = b""
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            chunk = sock.recv(1 << 20)
        except socket.timeout:
            continue
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.strip():
                yield line.decode()


def request(sock, rid, op, params):
    msg = dict(params)
    msg["id"] = rid
    msg["op"] = op
    sock.sendall((json.dumps(msg) + "\n").encode())


def main():
    path, what = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    request(sock, 1, "hello", {"version": 1, "client": "ipc.py"})
    deadline = time.time() + 5
    gen = lines(sock, deadline)
    for line in gen:
        if json.loads(line).get("id") == 1:
            break
    if what == "call":
        params = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
        request(sock, 2, sys.argv[3], params)
        for line in lines(sock, time.time() + 10):
            if json.loads(line).get("id") == 2:
                print(line)
                return 0
        return 1
    if what == "watch":
        secs, mode, topics = float(sys.argv[3]), sys.argv[4], sys.argv[5].split(",")
        request(sock, 2, "subscribe", {"topics": topics, "mode": mode})
        for line in lines(sock, time.time() + secs):
            print(line, flush=True)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
