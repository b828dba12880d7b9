#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""gzip on /metrics (issue 24), from three real clients of backupd at HOST:PORT:

- Python's http.client without Accept-Encoding, with "gzip", with "gzip;q=0", and HEAD: the
  text as is unless gzip is accepted, then Content-Encoding: gzip; Vary: Accept-Encoding on
  every answer;
- curl, with --compressed (it decodes) and without: the same text;
- Debian's prometheus scraping through a loopback relay that records both heads: it asks with
  Accept-Encoding: gzip, gets Content-Encoding: gzip, and stores every phone's series.

Bodies are compared line by line without the values (which move from one render to the
next); a set of scrapes is taken again (up to 5 times) until they agree.

Usage: metrics_gzip_check.py HOST:PORT DEVICES WORKDIR (loopback only)
"""
import gzip
import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import json

ADDRESS, DEVICES, WORK = sys.argv[1], int(sys.argv[2]), sys.argv[3]
HOST, PORT = ADDRESS.rsplit(":", 1)


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def get(accept=None, method="GET"):
    conn = http.client.HTTPConnection(HOST, int(PORT), timeout=10)
    conn.request(method, "/metrics", headers={"Accept-Encoding": accept} if accept else {})
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    if answer.status != 200:
        fail("%s with Accept-Encoding %r: status %d" % (method, accept, answer.status))
    return answer.headers, body


def stable(text):
    """The series and comments of a body without the values: counters move between two
    renders on a busy machine; a cut or corrupt body still differs."""
    return [l if l.startswith("#") else l.rsplit(" ", 1)[0] for l in text.decode().splitlines()]


def expect_heads(headers, gz, what):
    if headers.get("Vary") != "Accept-Encoding":
        fail("%s: Vary is %r, not Accept-Encoding" % (what, headers.get("Vary")))
    if (headers.get("Content-Encoding") == "gzip") != gz:
        fail("%s: Content-Encoding is %r" % (what, headers.get("Content-Encoding")))


def curl(compressed):
    args = ["curl", "-sS", "--max-time", "10", "-D", WORK + "/curl.head", "-o", WORK + "/curl.body"]
    subprocess.run(args + (["--compressed"] if compressed else []) +
                   ["http://%s/metrics" % ADDRESS], check=True)
    head = open(WORK + "/curl.head").read().lower()
    return head, open(WORK + "/curl.body", "rb").read()


def scrape_set():
    plain_headers, plain = get()
    expect_heads(plain_headers, False, "GET without Accept-Encoding")
    gz_headers, gz = get("gzip")
    expect_heads(gz_headers, True, "GET with Accept-Encoding: gzip")
    if int(gz_headers["Content-Length"]) * 4 > len(plain):
        fail("gzip body %s bytes for %d of text" % (gz_headers["Content-Length"], len(plain)))
    refused_headers, refused = get("gzip;q=0, identity")
    expect_heads(refused_headers, False, "GET with gzip;q=0")
    head, curl_gz = curl(True)
    if "content-encoding: gzip" not in head or "vary: accept-encoding" not in head:
        fail("curl --compressed: heads %r" % head)
    head, curl_plain = curl(False)
    if "content-encoding" in head:
        fail("curl without --compressed got an encoding: %r" % head)
    bodies = [plain, gzip.decompress(gz), refused, curl_gz, curl_plain]
    differing = [set(stable(b)) ^ set(stable(plain)) for b in bodies]
    return sorted(set().union(*differing))


def settle():
    """Waits until two scrapes a second apart have the same series: while the simulator's
    phones are still being probed, a phone's labels move between any two scrapes."""
    deadline = time.monotonic() + 120
    _, before = get()
    while time.monotonic() < deadline:
        time.sleep(1)
        _, now = get()
        if stable(now) == stable(before):
            return
        before = now
    fail("the series never settled for 1 s in 120 s")


settle()
for attempt in range(5):
    differing = scrape_set()
    if not differing:
        break
else:
    fail("the plain and gzip bodies differ in 5 sets of scrapes, last in: %s" % differing[:6])
head_headers, _ = get("gzip", "HEAD")
expect_heads(head_headers, True, "HEAD with gzip")
print("ok - /metrics: gzip when accepted (not for q=0), Vary on each, bodies equal decompressed "
      "(http.client, curl --compressed and without)")

# ---- a real Prometheus scrape through a relay that records the heads ----
heads = {"request": b"", "response": b""}


def relay(listener):
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        upstream = socket.create_connection((HOST, int(PORT)), timeout=10)
        client.settimeout(10)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = client.recv(65536)
            if not chunk:
                break
            request += chunk
        heads["request"] = request.split(b"\r\n\r\n")[0]
        upstream.sendall(request)
        response = b""
        while True:
            chunk = upstream.recv(65536)
            if not chunk:
                break
            response += chunk
            client.sendall(chunk)
        heads["response"] = response.split(b"\r\n\r\n")[0]
        upstream.close()
        client.close()


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(8)
relay_port = listener.getsockname()[1]
threading.Thread(target=relay, args=(listener,), daemon=True).start()

probe = socket.socket()
probe.bind(("127.0.0.1", 0))
prom_port = probe.getsockname()[1]
probe.close()
with open(WORK + "/prometheus.yml", "w") as config:
    config.write("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: backupd\n"
                 "    static_configs:\n      - targets: ['127.0.0.1:%d']\n" % relay_port)
prom = subprocess.Popen(["prometheus", "--config.file=" + WORK + "/prometheus.yml",
                         "--storage.tsdb.path=" + WORK + "/tsdb",
                         "--web.listen-address=127.0.0.1:%d" % prom_port],
                        stdout=open(WORK + "/prometheus.log", "w"), stderr=subprocess.STDOUT)


def query(expr):
    url = "http://127.0.0.1:%d/api/v1/query?%s" % (prom_port, urllib.parse.urlencode({"query": expr}))
    with urllib.request.urlopen(url, timeout=5) as answer:
        result = json.load(answer)["data"]["result"]
    return result[0]["value"][1] if result else None


try:
    deadline = time.time() + 60
    got = None
    while time.time() < deadline:
        try:
            got = query("count(backupd_device_attached)")
        except OSError:
            got = None
        if got == str(DEVICES) and heads["response"]:
            break
        time.sleep(0.5)
    else:
        fail("prometheus stored %r phones' series of %d (log: %s/prometheus.log)" %
             (got, DEVICES, WORK))
finally:
    prom.terminate()
    prom.wait(timeout=20)
    listener.close()
request = heads["request"].decode().lower()
response = heads["response"].decode().lower()
if "accept-encoding: gzip" not in request:
    fail("prometheus asked without gzip: %r" % request)
if "content-encoding: gzip" not in response or "vary: accept-encoding" not in response:
    fail("prometheus got no gzip answer: %r" % response)
print("ok - a real prometheus scrape asks for gzip, gets it, and stores all %d phones" % DEVICES)
