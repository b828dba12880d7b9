#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""HTTP abuse checks of backupd's /metrics: wrong paths and methods, malformed and oversized
requests, slowloris clients while a normal scrape answers, and the connection cap (a scrape
beyond it takes the place of the oldest idle connection). HOST must be 127.0.0.1: other
clients connect from other loopback addresses (127.0.0.N), each within its address's share.

Usage: metrics_http_check.py HOST PORT MAX_CONNECTIONS REQUEST_TIMEOUT_S
The daemon must run with those [Metrics] MaxConnections= and RequestTimeout= values.
Prints "ok - ..." per check; exits 1 at the first failure."""
import socket
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
MAX_CONNECTIONS, TIMEOUT_S = int(sys.argv[3]), float(sys.argv[4])


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def connect(source=None):
    return socket.create_connection((HOST, PORT), timeout=5,
                                    source_address=(source, 0) if source else None)


def read_all(sock, limit_s):
    """Everything the server sends until it closes; None if it is still open after limit_s."""
    sock.settimeout(0.1)
    data, end = b"", time.monotonic() + limit_s
    while time.monotonic() < end:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return data
        if not chunk:
            return data
        data += chunk
    return None


def request(raw, limit_s=3):
    sock = connect()
    try:
        sock.sendall(raw)
    except (BrokenPipeError, ConnectionResetError):
        pass
    answer = read_all(sock, limit_s)
    sock.close()
    if answer is None:
        fail("no answer and no close within %.1f s to %r" % (limit_s, raw[:60]))
    return answer


def status_of(answer):
    line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def header(answer, name):
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def get(path="/metrics", method="GET", extra=b""):
    return request(("%s %s HTTP/1.1\r\nHost: x\r\n" % (method, path)).encode() + extra + b"\r\n")


def check_routes():
    answer = get()
    if status_of(answer) != 200:
        fail("GET /metrics: %r" % answer[:80])
    if header(answer, "Content-Type") != "text/plain; version=0.0.4; charset=utf-8":
        fail("Content-Type: %r" % header(answer, "Content-Type"))
    if b"\nbackupd_build_info{" not in answer:
        fail("no backupd_build_info in the body")
    print("ok - GET /metrics: 200, text/plain; version=0.0.4")
    if status_of(get("/metrics?debug=1")) != 200:
        fail("a query string on /metrics is not ignored")
    # "/" is the cart pages' index now (issue 22): HTML under the pages' policy.
    answer = get("/")
    if status_of(answer) != 200 or not (header(answer, "Content-Type") or "").startswith("text/html") \
            or not (header(answer, "Content-Security-Policy") or "").startswith("default-src 'self'"):
        fail("GET /: not the cart pages' index: %r" % answer[:200])
    for path in ("/metrics/", "/metricsx", "/favicon.ico", "/../metrics", "/cart/", "/cart/nope"):
        if status_of(get(path)) != 404:
            fail("GET %s is not 404" % path)
    print("ok - /: the pages' index; other paths: 404")
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
        answer = get(method=method, extra=b"Content-Length: 0\r\n")
        if status_of(answer) != 405 or header(answer, "Allow") != "GET, HEAD":
            fail("%s /metrics: %r" % (method, answer[:120]))
    print("ok - other methods: 405 with Allow: GET, HEAD")
    answer = get(method="HEAD")
    if status_of(answer) != 200 or answer.split(b"\r\n\r\n", 1)[1] != b"":
        fail("HEAD /metrics: %r" % answer[:120])
    print("ok - HEAD /metrics: 200, no body")
    for path in ("/", "/cart/nope"):
        answer = get(path, method="HEAD")
        if status_of(answer) not in (200, 404) or answer.split(b"\r\n\r\n", 1)[1] != b"":
            fail("HEAD %s: a body came with the headers: %r" % (path, answer[:200]))
    print("ok - HEAD on the pages: headers, no body")


def check_malformed():
    for raw in (b"GARBAGE\r\n\r\n", b"\x00\xff\xfe\r\n\r\n", b"GET\r\n\r\n",
                b"GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n",
                b"GET /metrics HTTP/1.1\r\nContent-Length: -5\r\n\r\n"):
        answer = request(raw)
        if answer and status_of(answer) not in (400, 404, 405, 413):
            fail("malformed %r answered %r" % (raw, answer[:60]))
    answer = request(b"POST /metrics HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
    if status_of(answer) not in (405, 413):
        fail("a request body was accepted: %r" % answer[:60])
    print("ok - malformed requests and bodies: an error and a closed connection")


def check_oversized():
    big = b"GET /metrics HTTP/1.1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"
    answer = request(big)
    if answer and status_of(answer) not in (400, 413):
        fail("20 kB of headers answered %r" % answer[:60])
    # A client that never stops sending headers is cut off, not buffered.
    sock = connect()
    sock.sendall(b"GET /metrics HTTP/1.1\r\n")
    sent, cut = 0, False
    try:
        while sent < 64 << 20:
            sock.sendall(b"X-Flood: " + b"b" * 4000 + b"\r\n")
            sent += 4011
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        cut = True
    sock.close()
    if not cut:
        fail("64 MB of headers were taken in")
    print("ok - oversized headers: refused; a header flood is cut off after %d kB" % (sent // 1000))


def check_slowloris():
    slow = []
    for i in range(min(3, MAX_CONNECTIONS - 1)):
        sock = connect("127.0.0.%d" % (10 + i))
        sock.sendall(b"GET /metrics HTTP/1.1\r\nX-Slow: ")
        slow.append(sock)
    started = time.monotonic()
    worst = 0.0
    closed_at = [None] * len(slow)
    while time.monotonic() - started < TIMEOUT_S + 2 and None in closed_at:
        t0 = time.monotonic()
        if status_of(get()) != 200:
            fail("a normal scrape failed while slow clients trickle")
        worst = max(worst, time.monotonic() - t0)
        for i, sock in enumerate(slow):
            if closed_at[i] is not None:
                continue
            try:
                sock.sendall(b"a")  # one byte: well inside any inactivity timeout
                sock.settimeout(0.01)
                if sock.recv(1024) == b"":
                    closed_at[i] = time.monotonic() - started
            except socket.timeout:
                pass
            except (BrokenPipeError, ConnectionResetError):
                closed_at[i] = time.monotonic() - started
        time.sleep(0.2)
    for sock in slow:
        sock.close()
    if worst > 1.0:
        fail("a normal scrape took %.2f s while slow clients trickled" % worst)
    if None in closed_at:
        fail("a slow client was still connected after %.1f s (RequestTimeout %.1f s)"
             % (TIMEOUT_S + 2, TIMEOUT_S))
    if min(closed_at) < TIMEOUT_S - 0.5:
        fail("a slow client was cut after %.2f s, before RequestTimeout" % min(closed_at))
    print("ok - slowloris: normal scrapes answered (slowest %.0f ms), slow clients cut after "
          "%.1f-%.1f s" % (worst * 1000, min(closed_at), max(closed_at)))


def check_cap():
    idle = []
    for i in range(MAX_CONNECTIONS):
        sock = connect("127.0.0.%d" % (20 + i))
        # One byte of a request head: the kernel hands the connection to backupd at once
        # (TCP_DEFER_ACCEPT waits for data, and a silent one comes after a SYN-ACK
        # retransmit whose timing varies), and it stays a connection without a request.
        sock.sendall(b"G")
        idle.append(sock)
        time.sleep(0.05)  # in order: the first is the oldest
    time.sleep(0.3)
    t0 = time.monotonic()
    if status_of(get()) != 200:
        fail("a scrape beyond MaxConnections=%d was not served" % MAX_CONNECTIONS)
    took = time.monotonic() - t0
    if read_all(idle[0], 1) is None:
        fail("the oldest idle connection was not closed to make room")
    if read_all(idle[-1], 0.2) is not None:
        fail("the newest idle connection was closed, not the oldest")
    for sock in idle:
        sock.close()
    print("ok - connection cap: a scrape beyond MaxConnections=%d takes the place of the "
          "oldest idle connection (%.0f ms)" % (MAX_CONNECTIONS, took * 1000))


check_routes()
check_malformed()
check_oversized()
check_slowloris()
check_cap()
