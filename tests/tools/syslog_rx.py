#!/usr/bin/env python3
"""tests/tools/syslog_rx.py — a loopback syslog collector for the tests:
TCP with RFC 6587 octet counting, optionally over TLS (RFC 5425).
Prints "PORT n" once listening; writes every message, checked against
RFC 5424's header grammar, as one line to OUT; a framing or format error
is written as "ERROR ..." and ends the connection.

  syslog_rx.py OUT [CERT KEY]
"""
import re
import socket
import ssl
import sys

HDR = re.compile(r'^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)) '
                 r'(\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) (-|\[.*\])( .*)?$')


def main():
    out = open(sys.argv[1], 'a', buffering=1)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(('127.0.0.1', 0))
    ls.listen(4)
    ctx = None
    if len(sys.argv) > 3:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    print('PORT %d' % ls.getsockname()[1], flush=True)
    while True:
        c, _ = ls.accept()
        if ctx:
            try:
                c = ctx.wrap_socket(c, server_side=True)
            except (ssl.SSLError, OSError) as e:
                out.write('TLSERROR %s\n' % e)
                continue
        buf = b''
        while True:
            try:
                d = c.recv(65536)
            except OSError:
                break
            if not d:
                break
            buf += d
            while True:
                m = re.match(rb'^([1-9][0-9]{0,5}) ', buf)
                if not m:
                    if buf and not re.match(rb'^[0-9]{0,6}$', buf):
                        out.write('ERROR bad frame %r\n' % buf[:40])
                        buf = b''
                    break
                n = int(m.group(1))
                start = m.end()
                if len(buf) < start + n:
                    break
                msg = buf[start:start + n].decode('utf-8', 'replace')
                buf = buf[start + n:]
                if not HDR.match(msg):
                    out.write('ERROR not RFC 5424: %s\n' % msg)
                else:
                    out.write(msg + '\n')
        c.close()


if __name__ == '__main__':
    main()
