#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A burst of scrapes of a big fleet (issue 24), against backupd at HOST:PORT: PLAIN scrapes
without Accept-Encoding and as many with gzip, all sent at once on their own connections, and
DROPPED more that send their request and close at once, while the render is being written in
parts. Every scrape that stayed must get a whole body: 200, the DEVICES phones' backupd_device_info
series, the last family (backupd_scrape_duration_seconds) at the end, gzip decoded where
asked, as many bytes as its Content-Length says (and no chunked encoding). A scrape afterwards must still be answered (the dropped ones left nothing behind).

With STALLED, that many scrapes are sent first by a client that never reads their answers;
the burst must still be answered within BURST_S, well before their RequestTimeout (the test
sets 60 s) frees their places: answers are written a slice at a time by a bounded number of
writers, and one whose client reads nothing gives its place up.

Usage: metrics_burst_check.py HOST:PORT DEVICES PLAIN DROPPED [STALLED] (loopback only)
"""
import gzip
import selectors
import socket
import sys
import time

ADDRESS, DEVICES, PLAIN, DROPPED = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
STALLED = int(sys.argv[5]) if len(sys.argv) > 5 else 0
HOST, PORT = ADDRESS.rsplit(":", 1)
REQUEST = "GET /metrics HTTP/1.1\r\nHost: burst\r\n{}\r\n"
DEADLINE_S = 120
BURST_S = 30


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def connect(gzip_asked):
    sock = socket.create_connection((HOST, int(PORT)), timeout=10)
    extra = "Accept-Encoding: gzip\r\n" if gzip_asked else ""
    sock.sendall(REQUEST.format(extra).encode())
    sock.setblocking(False)
    return sock


def read_all(socks, deadline_s=DEADLINE_S):
    """Every socket's bytes until the server closes it (Connection: close)."""
    selector = selectors.DefaultSelector()
    data = {}
    for sock, label in socks:
        selector.register(sock, selectors.EVENT_READ, label)
        data[label] = bytearray()
    open_count = len(socks)
    ends = time.monotonic() + deadline_s
    while open_count and time.monotonic() < ends:
        for key, _ in selector.select(timeout=1):
            chunk = key.fileobj.recv(1 << 16)
            if chunk:
                data[key.data] += chunk
            else:
                selector.unregister(key.fileobj)
                key.fileobj.close()
                open_count -= 1
    if open_count:
        fail("%d scrapes not answered within %d s" % (open_count, deadline_s))
    return data


def check(label, raw, gzip_asked):
    head, sep, body = bytes(raw).partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1.1 200"):
        fail("%s: not a 200 answer: %r" % (label, head[:80]))
    fields = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:])
    fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
    if b"transfer-encoding" in fields:
        fail("%s: Transfer-Encoding %r: the answer goes out with its length" % (label, fields[b"transfer-encoding"]))
    if int(fields.get(b"content-length", b"-1")) != len(body):
        fail("%s: Content-Length %r, %d bytes came" % (label, fields.get(b"content-length"), len(body)))
    coded = fields.get(b"content-encoding") == b"gzip"
    if coded != gzip_asked:
        fail("%s: Content-Encoding gzip %s, asked %s" % (label, coded, gzip_asked))
    text = gzip.decompress(body).decode() if coded else body.decode()
    infos = sum(1 for line in text.split("\n") if line.startswith("backupd_device_info{"))
    if infos != DEVICES:
        fail("%s: %d backupd_device_info series, expected %d" % (label, infos, DEVICES))
    if not text.rstrip("\n").split("\n")[-1].startswith("backupd_scrape_duration_seconds "):
        fail("%s: the body does not end with its last family" % label)


def main():
    stalled = [connect(False) for _ in range(STALLED)]
    if stalled:
        time.sleep(2)  # their answers started, and their sockets filled up
    dropped = [connect(i % 2 == 0) for i in range(DROPPED)]
    kept = [(connect(i % 2 == 1), i) for i in range(2 * PLAIN)]
    for sock in dropped:
        sock.close()
    started = time.monotonic()
    answers = read_all(kept, BURST_S if stalled else DEADLINE_S)
    took = time.monotonic() - started
    for label in range(2 * PLAIN):
        check("scrape %d" % label, answers[label], label % 2 == 1)
    after = read_all([(connect(True), "after")])
    check("the scrape after the burst", after["after"], True)
    for sock in stalled:
        sock.close()
    print("ok - %d plain and %d gzip scrapes at once each got the whole %d-phone body in %.1f s, "
          "%d dropped mid-render left nothing behind, %d never read held no one up"
          % (PLAIN, PLAIN, DEVICES, took, DROPPED, STALLED))


main()
