#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Alertmanager webhook receiver for the two-cart test, on loopback.

serve PORTFILE LOG PATH: answers POST PATH with 200 and appends its JSON body as one line to
LOG; any other path or method gets 404 and a line {"wrong": ...} in LOG, so a broken
webhook URL shows up in the test. Writes the port it listens on to PORTFILE.

count LOG ALERTNAME: prints how many notifications with status "firing" hold an alert of
that name, then one line per such alert: its labels and annotations as JSON.
"""
import http.server
import os
import json
import sys


def serve(portfile, log, path):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(min(length, 1 << 20))
            if self.path != path:
                record = {"wrong": self.path}
                status = 404
            else:
                record = json.loads(body)
                status = 200
            with open(log, "a") as out:
                out.write(json.dumps(record) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(portfile + ".tmp", "w") as out:
        out.write("%d\n" % server.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


def count(log, alertname):
    found = []
    wrong = 0
    with open(log) as lines:
        for line in lines:
            note = json.loads(line)
            if "wrong" in note:
                wrong += 1
                continue
            if note.get("status") != "firing":
                continue
            named = [a for a in note["alerts"]
                     if a["labels"].get("alertname") == alertname and a["status"] == "firing"]
            if named:
                found.append(named)
    print(len(found))
    for named in found:
        for alert in named:
            print(json.dumps({"labels": alert["labels"], "annotations": alert["annotations"]},
                             sort_keys=True))
    if wrong:
        print("wrong-path requests: %d" % wrong, file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(*sys.argv[2:5])
    elif sys.argv[1] == "count":
        count(*sys.argv[2:4])
    else:
        sys.exit("usage: webhook_receiver.py serve PORTFILE LOG PATH | count LOG ALERTNAME")
