#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""pages_live: 50 open live cart pages (each polls /live/cart/NAME every 2 s with
If-None-Match, as cart.js does) while a prober asks for a 404 page every 1 ms on
fresh connections; the longest wait a probe saw bounds the loop's longest stall from above
(it includes accept, the kernel and this process's own scheduling). Meanwhile the caller
changes phones' state (pages_live.sh). Prints the figures after SECONDS.

Usage: pages_live.py PORT CART_PATH SECONDS"""
import http.client
import sys
import threading
import time

port, path, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
stop = time.monotonic() + seconds
lock = threading.Lock()
stats = {"polls": 0, "changed": 0, "not_modified": 0, "bytes": 0, "errors": 0}


def get(url, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", url, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp, body


def page(index):
    etag = None
    time.sleep(index * 2.0 / 50)  # spread over the interval, as pages opened at random
    while time.monotonic() < stop:
        try:
            resp, body = get("/live" + path, {"If-None-Match": etag} if etag else {})
            with lock:
                stats["polls"] += 1
                stats["bytes"] += len(body)
                if resp.status == 200:
                    stats["changed"] += 1
                    etag = resp.getheader("ETag")
                elif resp.status == 304:
                    stats["not_modified"] += 1
                else:
                    stats["errors"] += 1
        except OSError:
            with lock:
                stats["errors"] += 1
        time.sleep(2.0)


def prober(waits):
    while time.monotonic() < stop:
        t0 = time.monotonic()
        try:
            get("/probe-404")
            waits.append((time.monotonic() - t0) * 1000)
        except OSError:
            waits.append(float("inf"))
        time.sleep(0.001)


waits = []
threads = [threading.Thread(target=page, args=(i,)) for i in range(50)]
threads.append(threading.Thread(target=prober, args=(waits,)))
for t in threads:
    t.start()
for t in threads:
    t.join()
waits.sort()
print(f"50 live pages for {seconds:.0f} s: {stats['polls']} polls, {stats['changed']} with a "
      f"change (200), {stats['not_modified']} not modified (304), {stats['errors']} errors, "
      f"{stats['bytes']} bytes")
print(f"prober: {len(waits)} requests, median {waits[len(waits) // 2]:.2f} ms, "
      f"p99 {waits[int(len(waits) * 0.99)]:.2f} ms, max {waits[-1]:.2f} ms")
