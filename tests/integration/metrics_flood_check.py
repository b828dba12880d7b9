#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The HTTP listener under a flood of idle connections (issue 21 item 3): one client holds
IDLE connections, opening a new one for each the server closes, while normal scrapes run;
every scrape must be answered within 1 s, and one whose request comes in two parts 1.2 s
apart must be answered too (the flood may not push out a connection that has begun its
request). Run once with the flood from another loopback
address than the scrapes (127.0.0.2) and once from the same (127.0.0.1).

Usage: metrics_flood_check.py PORT IDLE SECONDS
Prints "ok - ..." per round; exits 1 at the first failure."""
import select
import socket
import sys
import threading
import time
import urllib.request

PORT, IDLE, SECONDS = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def flood(source, stop, counts):
    def opened():
        while not stop.is_set():
            try:
                return socket.create_connection(("127.0.0.1", PORT), timeout=2,
                                                source_address=(source, 0))
            except OSError:
                time.sleep(0.01)
        return None
    socks = [opened() for _ in range(IDLE)]
    while not stop.is_set():
        readable, _, _ = select.select([s for s in socks if s], [], [], 0.05)
        for s in readable:  # closed by the server (or data): reopen
            try:
                s.recv(4096)
            except OSError:
                pass
            s.close()
            counts[0] += 1
            socks[socks.index(s)] = opened()
    for s in socks:
        if s:
            s.close()


def split_scrape(source):
    """A scrape whose request comes in two parts 1.2 s apart: the flood's connections, which
    reach backupd in bursts, must not push it out while it talks (a silent connection never
    takes the place of one that has begun its request)."""
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=5)
    try:
        sock.sendall(b"GET /metrics HTTP/1.1\r\n")
        time.sleep(1.2)
        sock.sendall(b"Host: x\r\n\r\n")
        answer = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    except OSError as e:
        fail("flood from %s: a scrape sent in two parts failed: %s" % (source, e))
    finally:
        sock.close()
    if not answer.startswith(b"HTTP/1.1 200") or b"backupd_build_info" not in answer:
        fail("flood from %s: a scrape sent in two parts was not served: %r"
             % (source, answer[:80]))


def scrape_round(source):
    stop, counts = threading.Event(), [0]
    t = threading.Thread(target=flood, args=(source, stop, counts))
    t.start()
    time.sleep(1.5)  # the flood is in place
    worst, n, end = 0.0, 0, time.monotonic() + SECONDS
    try:
        while time.monotonic() < end:
            t0 = time.monotonic()
            try:
                body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % PORT,
                                              timeout=1).read()
            except Exception as e:  # timeout, reset, refused: all failures here
                fail("flood of %d idle from %s: scrape %d failed after %.2f s: %s"
                     % (IDLE, source, n, time.monotonic() - t0, e))
            if b"backupd_build_info" not in body:
                fail("flood from %s: scrape %d has no backupd_build_info" % (source, n))
            worst = max(worst, time.monotonic() - t0)
            n += 1
            time.sleep(0.1)
        split_scrape(source)
    finally:
        stop.set()
        t.join()
    if worst > 1.0:
        fail("flood of %d idle from %s: slowest scrape %.2f s" % (IDLE, source, worst))
    print("ok - %d idle connections held from %s (%d closed by backupd and reopened): "
          "%d scrapes, slowest %.0f ms" % (IDLE, source, counts[0], n, worst * 1000))


scrape_round("127.0.0.2")
scrape_round("127.0.0.1")
