# SPDX-License-Identifier: ISC
"""ioscat_server: serves a directory over loopback HTTP for backupd_ioscat.sh.

Usage: ioscat_server.py DIR PORTFILE
Listens on 127.0.0.1 (any free port, written to PORTFILE) and serves DIR with
Last-Modified, answering If-Modified-Since with 304 (Python's own file handler), so the
daemon's conditional requests are exercised. Quiet: no request log."""
import functools
import os
import http.server
import sys


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    directory, portfile = sys.argv[1], sys.argv[2]
    handler = functools.partial(Quiet, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
