#!/usr/bin/env python3
"""tests/tools/metrics_srv.py — a loopback HTTP/1.1 server standing in for
Open5GS NFs' metrics endpoints (libmicrohttpd there): GET /NAME/metrics
answers the file DIR/NAME.txt as it is at that moment, with Open5GS's
content type, so a test changes what an "NF" serves by rewriting its file.
A missing file is a 404; a file DIR/NAME.status holding a number answers
with that status instead. Every request is one line "GET /path status" on
stdout. Prints "PORT n" once listening.

  metrics_srv.py DIR
"""
import http.server
import os
import sys

root = sys.argv[1]
CT = 'text/plain; version=0.0.4; charset=utf-8'


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *a):
        pass

    def do_GET(self):
        parts = self.path.split('/')
        status, body = 404, b'not found\n'
        if len(parts) == 3 and parts[2] == 'metrics' and parts[1].isalnum():
            base = os.path.join(root, parts[1])
            try:
                status = int(open(base + '.status').read().strip())
                body = b'error\n'
            except (OSError, ValueError):
                try:
                    body = open(base + '.txt', 'rb').read()
                    status = 200
                except OSError:
                    pass
        self.send_response(status)
        self.send_header('Content-Type', CT if status == 200 else 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        print('GET %s %d' % (self.path, status), flush=True)


srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
print('PORT %d' % srv.server_address[1], flush=True)
srv.serve_forever()
