#!/usr/bin/env python3
"""tests/tools/webhook_rx.py — a loopback HTTPS receiver for the webhook
plugin's test: checks X-Slicedeck-Signature (sha256=HMAC-SHA256 of the body
with the secret in SECRET_FILE) and writes one line per POST to OUT:
"OK <json>", "BADSIG <header>" or "RETRY" (the first POST is answered 503,
to exercise the plugin's retry). Prints "PORT n" once listening.

  webhook_rx.py OUT CERT KEY SECRET_FILE
"""
import hashlib
import hmac
import http.server
import ssl
import sys

out = open(sys.argv[1], 'a', buffering=1)
secret = open(sys.argv[4], 'rb').read().rstrip(b'\r\n')
state = {'n': 0}


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get('Content-Length', '0'))
        body = self.rfile.read(n)
        state['n'] += 1
        if state['n'] == 1:
            out.write('RETRY\n')
            self.send_response(503)
            self.send_header('Content-Length', '0')
            self.end_headers()
            return
        want = 'sha256=' + hmac.new(secret, body, hashlib.sha256).hexdigest()
        got = self.headers.get('X-Slicedeck-Signature', '')
        if hmac.compare_digest(want, got) and self.headers.get('Content-Type') == 'application/json':
            out.write('OK %s\n' % body.decode())
        else:
            out.write('BADSIG %s\n' % got)
        self.send_response(204)
        self.end_headers()


srv = http.server.HTTPServer(('127.0.0.1', 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print('PORT %d' % srv.server_address[1], flush=True)
srv.serve_forever()
