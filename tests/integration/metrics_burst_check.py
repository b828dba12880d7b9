#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A burst of scrapes of a big fleet (issue 24), against backupd at HOST:PORT: PLAIN scrapes
without Accept-Encoding and as many with gzip, all sent at once on their own connections, and
DROPPED more that send their request and close at once, while the render is being written in
parts. Every scrape that stayed must get a whole body: 200, the DEVICES phones' backupd_device_info
series, the last family (backupd_scrape_duration_seconds) at the end, gzip decoded where
asked, as many bytes as its Content-Length says (and no chunked encoding). A scrape afterwards must still be answered (the dropped ones left nothing behind).

With STALLED, that many scrapes are sent first by a client that never reads their answers
(a 4 kB receive buffer each; the body must be larger than what the kernel buffers for them,
else it says it cannot test this); the burst must still be answered within BURST_S, well
before their RequestTimeout (the test sets 60 s) frees their places: answers are written a
slice at a time by a bounded number of writers, and one whose client reads nothing gives its
place up.

Usage: metrics_burst_check.py HOST:PORT DEVICES PLAIN DROPPED [STALLED]
       metrics_burst_check.py HOST:PORT cut SECONDS
The second form: one scrape whose client reads nothing for SECONDS, past its RequestTimeout
(the test sets less), then reads all: its answer had begun, so it must be a 200 cut short
(fewer bytes than its Content-Length) and nothing after it, not a 503 (loopback only).
"""
import gzip
import selectors
import socket
import sys
import time

ADDRESS = sys.argv[1]
HOST, PORT = ADDRESS.rsplit(":", 1)
REQUEST = "GET /metrics HTTP/1.1\r\nHost: burst\r\n{}\r\n"
DEADLINE_S = 120
BURST_S = 30


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def connect(gzip_asked, receive_buffer=0):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.settimeout(10)
    sock.connect((HOST, int(PORT)))
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


def split_answer(label, raw):
    """The head's fields (lower-case names) and the body of a 200 answer."""
    head, sep, body = bytes(raw).partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1.1 200"):
        fail("%s: not a 200 answer: %r" % (label, head[:80]))
    fields = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:])
    return {k.strip().lower(): v.strip() for k, v in fields.items()}, body


def check(label, raw, gzip_asked, devices):
    fields, body = split_answer(label, raw)
    if b"transfer-encoding" in fields:
        fail("%s: Transfer-Encoding %r: the answer goes out with its length" % (label, fields[b"transfer-encoding"]))
    if int(fields.get(b"content-length", b"-1")) != len(body):
        fail("%s: Content-Length %r, %d bytes came" % (label, fields.get(b"content-length"), len(body)))
    coded = fields.get(b"content-encoding") == b"gzip"
    if coded != gzip_asked:
        fail("%s: Content-Encoding gzip %s, asked %s" % (label, coded, gzip_asked))
    text = gzip.decompress(body).decode() if coded else body.decode()
    infos = sum(1 for line in text.split("\n") if line.startswith("backupd_device_info{"))
    if infos != devices:
        fail("%s: %d backupd_device_info series, expected %d" % (label, infos, devices))
    if not text.rstrip("\n").split("\n")[-1].startswith("backupd_scrape_duration_seconds "):
        fail("%s: the body does not end with its last family" % label)


def kernel_takes():
    """The most the kernel buffers for a client that never reads: its 4 kB receive buffer
    and the sender's send buffer, which grows to tcp_wmem's maximum."""
    with open("/proc/sys/net/ipv4/tcp_wmem") as f:
        return int(f.read().split()[2]) + 4096


def cut(seconds):
    sock = connect(False, receive_buffer=4096)
    time.sleep(seconds)
    sock.setblocking(True)
    raw = read_all([(sock, "cut")])["cut"]
    fields, body = split_answer("the scrape out of time", raw)
    length = int(fields.get(b"content-length", b"-1"))
    if b"HTTP/1.1 503" in body or b"HTTP/1.1 200" in body:
        fail("a second answer follows the 200 that had begun")
    if not 0 < len(body) < length:
        fail("the answer out of time is %d bytes of %d: not cut short" % (len(body), length))
    print("ok - a scrape out of time during its answer was cut at %d of %d bytes, no 503 after"
          % (len(body), length))


def burst(devices, plain, dropped, stalled_count):
    stalled = [connect(False, receive_buffer=4096) for _ in range(stalled_count)]
    if stalled:
        time.sleep(2)  # their answers started, and their sockets filled up
    dropped = [connect(i % 2 == 0) for i in range(dropped)]
    kept = [(connect(i % 2 == 1), i) for i in range(2 * plain)]
    for sock in dropped:
        sock.close()
    started = time.monotonic()
    answers = read_all(kept, BURST_S if stalled else DEADLINE_S)
    took = time.monotonic() - started
    for label in range(2 * plain):
        check("scrape %d" % label, answers[label], label % 2 == 1, devices)
    after = read_all([(connect(True), "after")])
    check("the scrape after the burst", after["after"], True, devices)
    if stalled and kernel_takes() + 2 * (32 << 10) >= len(answers[0]):
        fail("cannot test clients that never read: the kernel buffers %d bytes for each, "
             "a body is %d" % (kernel_takes(), len(answers[0])))
    for sock in stalled:
        sock.close()
    print("ok - %d plain and %d gzip scrapes at once each got the whole %d-phone body in %.1f s, "
          "%d dropped mid-render left nothing behind, %d never read held no one up"
          % (plain, plain, devices, took, len(dropped), stalled_count))


if sys.argv[2] == "cut":
    cut(float(sys.argv[3]))
else:
    burst(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]),
          int(sys.argv[5]) if len(sys.argv) > 5 else 0)
