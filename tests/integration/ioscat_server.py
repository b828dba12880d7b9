# SPDX-License-Identifier: ISC
"""ioscat_server: serves a directory over loopback HTTP(S) for backupd_ioscat*.sh.

Usage: ioscat_server.py DIR PORTFILE [CERT KEY [PORT]]
Listens on 127.0.0.1 (PORT, or any free port; written to PORTFILE), over TLS with CERT and
KEY (PEM) when given (CERT "-": plain HTTP on PORT), and serves DIR with Last-Modified and an
ETag (of the file's mtime and size), answering If-None-Match, or If-Modified-Since without
it, with 304, so the daemon's conditional requests are exercised. With IOSCAT_REQUEST_LOG
set, each GET appends "PATH inm=VALUE ims=VALUE -> STATUS" to that file ("-" when absent)."""
import functools
import os
import http.server
import ssl
import sys


class Quiet(http.server.SimpleHTTPRequestHandler):
    etag = None

    def log_message(self, *args):
        pass

    def note(self, status):
        log = os.environ.get("IOSCAT_REQUEST_LOG")
        if log:
            with open(log, "a") as f:
                f.write("%s inm=%s ims=%s -> %s\n" % (
                    self.path, self.headers.get("If-None-Match", "-"),
                    self.headers.get("If-Modified-Since", "-"), int(status)))

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isfile(path):
            st = os.stat(path)
            self.etag = '"%x-%x"' % (st.st_mtime_ns, st.st_size)
            if self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.end_headers()
                return
        super().do_GET()

    def send_response(self, code, message=None):
        self.note(code)
        super().send_response(code, message)

    def end_headers(self):
        if self.etag:
            self.send_header("ETag", self.etag)
        super().end_headers()


def main():
    directory, portfile = sys.argv[1], sys.argv[2]
    handler = functools.partial(Quiet, directory=directory)
    port = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    if len(sys.argv) > 4 and sys.argv[3] != "-":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
