#!/usr/bin/python3
"""tests/tools/ipc_attack.py — hostile IPC clients for tests/integration/ipc_limits.sh.

  ipc_attack.py SOCKET flood N        open N connections, hello on each; print
                                      "accepted A refused R" and the first
                                      refusal's message, hold them HOLD s (env)
  ipc_attack.py SOCKET slow           one connection that never says hello and
                                      one that drips a request a byte a second;
                                      print how each ended and after how long
  ipc_attack.py SOCKET pipeline N     send N pings without reading (a thread),
                                      meanwhile time 20 pings on a second
                                      connection; print the worst latency in
                                      ms, then read and count the N replies
  ipc_attack.py SOCKET request OP JSON
                                      hello, then one request OP with the
                                      parameters JSON as given (of any type,
                                      as no console would send them); print
                                      the reply line
Standard library only; every loop is bounded.
"""
import json
import os
import socket
import sys
import threading
import time


def conn(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def send(s, rid, op, **params):
    params.update(id=rid, op=op)
    s.sendall((json.dumps(params) + "\n").encode())


def read_reply(s, rid, timeout=5.0):
    """The reply with this id (or any error reply without one)."""
    buf = b""
    end = time.time() + timeout
    while time.time() < end:
        s.settimeout(max(0.05, end - time.time()))
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            return None
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            j = json.loads(line)
            if j.get("id") == rid or ("error" in j and j.get("id") is None):
                return j
    return None


def flood(path, n):
    held, acc, ref, first = [], 0, 0, ""
    for _ in range(n):
        s = conn(path)
        try:
            send(s, 1, "hello", version=1, client="flood")
        except OSError:
            pass            # refused at once: the reason is waiting
        r = read_reply(s, 1)
        if r and "result" in r:
            acc += 1
            held.append(s)
        else:
            ref += 1
            if not first and r:
                first = r["error"]["message"]
            s.close()
    print("accepted %d refused %d" % (acc, ref))
    print("first refusal: %s" % first, flush=True)
    time.sleep(float(os.environ.get("HOLD", "0")))
    for s in held:
        s.close()


def ended(s, start, limit):
    s.settimeout(0.2)
    while time.time() - start < limit:
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            return "reset", time.time() - start, ""
        if not chunk:
            return "closed", time.time() - start, ""
        if b"error" in chunk:
            rest = b""
            try:
                s.settimeout(2)
                rest = s.recv(4096)
            except OSError:
                pass
            return "error+%s" % ("closed" if rest == b"" else "open"), time.time() - start, \
                chunk.decode().strip()
    return "open", time.time() - start, ""


def slow(path):
    start = time.time()
    quiet = conn(path)
    drip = conn(path)
    send(drip, 1, "hello", version=1, client="drip")
    read_reply(drip, 1)
    out = {}

    def dripper():
        msg = b'{"id":2,"op":"ping"' + b" " * 40 + b"}\n"
        for b in msg:
            if "drip" in out:
                return
            try:
                drip.send(bytes([b]))
            except OSError:
                return
            time.sleep(1)

    t = threading.Thread(target=dripper, daemon=True)
    t.start()
    r1 = ended(quiet, start, 20)
    print("quiet: %s after %.1f s: %s" % r1, flush=True)
    r2 = ended(drip, start, 25)
    out["drip"] = True
    print("drip: %s after %.1f s: %s" % r2, flush=True)


def pipeline(path, n):
    hog = conn(path)
    send(hog, 1, "hello", version=1, client="hog")
    read_reply(hog, 1)
    noc = conn(path)
    send(noc, 1, "hello", version=1, client="noc")
    read_reply(noc, 1)
    blob = b"".join((json.dumps({"id": i + 10, "op": "ping"}) + "\n").encode()
                    for i in range(n))

    def writer():
        try:
            hog.sendall(blob)
        except OSError:
            pass

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    time.sleep(0.3)
    worst = 0.0
    for i in range(20):
        t0 = time.time()
        send(noc, 100 + i, "ping")
        if not read_reply(noc, 100 + i):
            print("noc ping %d unanswered" % i)
            return
        worst = max(worst, (time.time() - t0) * 1000)
        time.sleep(0.02)
    print("worst noc ping %.0f ms" % worst, flush=True)
    # now read everything the hog was sent; count the replies
    got, buf, end = 0, b"", time.time() + 20
    hog.settimeout(0.5)
    while got < n and time.time() < end:
        try:
            chunk = hog.recv(1 << 20)
        except socket.timeout:
            continue
        if not chunk:
            break
        buf += chunk
        got += chunk.count(b"\n")
    t.join(5)
    print("hog replies %d of %d" % (got, n), flush=True)


def request(path, op, params):
    s = conn(path)
    send(s, 1, "hello", version=1, client="raw")
    read_reply(s, 1)
    send(s, 2, op, **json.loads(params))
    print(json.dumps(read_reply(s, 2)), flush=True)
    s.close()


def main():
    path, what = sys.argv[1], sys.argv[2]
    if what == "flood":
        flood(path, int(sys.argv[3]))
    elif what == "slow":
        slow(path)
    elif what == "pipeline":
        pipeline(path, int(sys.argv[3]))
    elif what == "request":
        request(path, sys.argv[3], sys.argv[4])
    else:
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
