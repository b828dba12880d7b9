# SPDX-License-Identifier: ISC
"""ioscat_server: serves a directory over loopback HTTP(S) for backupd_ioscat*.sh.

Usage: ioscat_server.py DIR PORTFILE [CERT KEY [PORT]]
Listens on 127.0.0.1 (PORT, or any free port; written to PORTFILE), over TLS with CERT and
KEY (PEM) when given, and serves DIR with
Last-Modified, answering If-Modified-Since with 304 (Python's own file handler), so the
daemon's conditional requests are exercised. Quiet: no request log."""
import functools
import os
import http.server
import ssl
import sys


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    directory, portfile = sys.argv[1], sys.argv[2]
    handler = functools.partial(Quiet, directory=directory)
    port = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    if len(sys.argv) > 4:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
