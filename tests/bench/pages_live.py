#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""pages_live: 50 open live cart pages (each polls /live/CART_PATH every 2 s with
If-None-Match, as cart.js does) while up to 100 phones that are ready on the page are unlocked
and locked again in turns (idevice-sim's control socket, then `backupctl refresh` of them).
The loop's stall is measured by metrics_bench's prober beside this (pages_live.sh).

Prints one line of figures after SECONDS: polls, 200s, 304s, errors, bytes; and the pages'
update latency: from a change at the phones (set in the simulator, refresh asked) to each
open page showing every changed phone in its new state, over every page and change.

Usage: pages_live.py PORT CART_PATH SECONDS SIM_CTL BACKUPCTL CONTROL_SOCKET"""
import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import time

PAGES, POLL_S, CHANGE_S = 50, 2.0, 8.0
port, path, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
sim_ctl, backupctl, control = sys.argv[4], sys.argv[5], sys.argv[6]
TILE = re.compile(r'data-udid="([^"]*)" data-state="([^"]*)"')
lock = threading.Lock()
stats = {"polls": 0, "changed": 0, "not_modified": 0, "bytes": 0, "errors": 0}
change = {"n": 0, "at": 0.0, "ready": True}  # the latest change: number, when, want ready
latencies = []


def get(url, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", url, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp, body


def states(body):
    return dict(TILE.findall(json.loads(body)["html"]))


def shows(tiles, udids, ready):
    return all((tiles.get(u) == "ready") == ready for u in udids)


def page(index, udids, stop):
    etag, seen = None, 0  # seen: the last change this page has shown
    time.sleep(index * POLL_S / PAGES)  # spread over the interval, as pages opened at random
    while time.monotonic() < stop:
        try:
            resp, body = get("/live" + path, {"If-None-Match": etag} if etag else {})
            now = time.monotonic()
            with lock:
                stats["polls"] += 1
                stats["bytes"] += len(body)
                want = dict(change)
            if resp.status == 200:
                etag = resp.getheader("ETag")
                if want["n"] > seen and shows(states(body), udids, want["ready"]):
                    seen = want["n"]
                    with lock:
                        latencies.append(now - want["at"])
            with lock:
                stats["changed" if resp.status == 200 else
                      "not_modified" if resp.status == 304 else "errors"] += 1
        except (OSError, ValueError, http.client.HTTPException):
            with lock:
                stats["errors"] += 1
        time.sleep(POLL_S)


def set_locked(udids, locked):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(sim_ctl)
        f = s.makefile("rw")
        for u in udids:
            f.write(f"set {u} root PasswordProtected {'true' if locked else 'false'}\n")
        f.flush()
        for _ in udids:
            if not f.readline().startswith("ok"):
                raise SystemExit("pages_live: the simulator refused a change")


def changes(udids, stop):
    locked = False
    while time.monotonic() < stop - CHANGE_S:
        with lock:
            change.update(n=change["n"] + 1, at=time.monotonic(), ready=locked)
        set_locked(udids, locked)
        subprocess.run([backupctl, "--socket", control, "refresh"] + udids,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        locked = not locked
        time.sleep(CHANGE_S)
    set_locked(udids, True)  # as found, for the next run
    subprocess.run([backupctl, "--socket", control, "refresh"] + udids,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


def main():
    resp, body = get("/live" + path)
    udids = [u for u, s in TILE.findall(json.loads(body)["html"]) if s == "ready"][:100]
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=page, args=(i, udids, stop)) for i in range(PAGES)]
    threads.append(threading.Thread(target=changes, args=(udids, stop)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat = sorted(latencies)
    pick = (lambda q: lat[min(len(lat) - 1, int(len(lat) * q))]) if lat else (lambda q: 0)
    print(f"pages={PAGES} phones_changing={len(udids)} changes={change['n']} "
          f"polls={stats['polls']} answered_200={stats['changed']} "
          f"answered_304={stats['not_modified']} errors={stats['errors']} "
          f"bytes={stats['bytes']} body_bytes={len(body)} updates_seen={len(lat)} "
          f"update_s_median={pick(0.5):.2f} update_s_p95={pick(0.95):.2f} "
          f"update_s_max={pick(1.0):.2f}")


main()
