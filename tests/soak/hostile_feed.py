#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A hostile status-feed server for the soak, on 127.0.0.1 (port written to PORTFILE).

Paths: /good (FILE, 200 with an ETag), /garbage (random bytes), /big (10 MB), /drip (one byte
a second, forever), /500, /loop (302 to itself). Usage: hostile_feed.py PORTFILE GOODFILE"""
import http.server
import os
import sys
import time

GOOD = open(sys.argv[2], "rb").read()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body(self, code, data, ctype="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        try:
            if path.startswith("/good"):
                self.body(200, GOOD)
            elif path.startswith("/garbage"):
                self.body(200, os.urandom(3000))
            elif path.startswith("/big"):
                self.send_response(200)
                self.send_header("Content-Length", str(10 << 20))
                self.end_headers()
                chunk = b"{" * 65536
                for _ in range(160):
                    self.wfile.write(chunk)
            elif path.startswith("/drip"):
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(100000):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1)
            elif path.startswith("/500"):
                self.body(500, b"oops\n", "text/plain")
            elif path.startswith("/loop"):
                self.send_response(302)
                self.send_header("Location", self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self.body(404, b"no\n", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
