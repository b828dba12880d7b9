#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Control-socket abuse for the soak: garbage, 1 MB lines, 10k connects, 300 idle clients.

Usage: abuse.py SOCKET garbage|longlines|connects|idle [N] [HOLD_S]
Prints one line saying what it did and what the daemon answered."""
import socket
import sys
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    return s


def garbage(path, n):
    answered = 0
    for i in range(n):
        s = connect(path)
        try:
            s.sendall(bytes((i * 7 + j) % 256 for j in range(512)) + b"\n")
            answered += len(s.recv(4096)) > 0
        except OSError:
            pass
        s.close()
    print(f"garbage: {n} clients, {answered} got an error reply")


def longlines(path, n):
    line = b"{" + b"x" * (1 << 20)
    refused = 0
    for i in range(n):
        s = connect(path)
        try:
            s.sendall(line + (b"\n" if i % 2 else b""))
        except OSError:
            pass  # the daemon hung up after its error: expected
        try:
            refused += b"too long" in s.recv(4096)
        except OSError:
            pass
        s.close()
    print(f"longlines: {n} lines of 1 MiB, {refused} answered 'request too long'")


def connects(path, n):
    start = time.monotonic()
    failed = 0
    for _ in range(n):
        try:
            connect(path).close()
        except OSError:
            failed += 1
    print(f"connects: {n} in {time.monotonic() - start:.1f} s, {failed} not taken "
          "(listen backlog full)")


def idle(path, n, hold):
    held = []
    for _ in range(n):
        try:
            held.append(connect(path))
        except OSError:
            time.sleep(0.01)
    time.sleep(hold)
    for s in held:
        s.close()
    print(f"idle: {len(held)} of {n} connections opened and held {hold} s")


def main():
    path, mode = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    if mode == "garbage":
        garbage(path, n)
    elif mode == "longlines":
        longlines(path, n)
    elif mode == "connects":
        connects(path, n)
    elif mode == "idle":
        idle(path, n, float(sys.argv[4]) if len(sys.argv) > 4 else 6)
    else:
        sys.exit("unknown mode")


main()
