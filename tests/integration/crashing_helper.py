#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# Stand-in probe helper for backupd_helpers_fail.sh: a phone that crashes libimobiledevice.
# It says hello (it started), then relays every datagram to the real helper, except that a
# probe of $CRASH_UDID kills the real helper and ends this process with SIGSEGV.
import os, select, signal, socket, struct, sys

HELLO_MAGIC = 0x42504831  # PROBE_HELLO_MAGIC, include/probe_wire.h
OP_PROBE = 1
UDID_AT, UDID_MAX = 20, 64  # struct probe_request: magic, op, seq, timeout_ms, flags, udid

crash = os.environ["CRASH_UDID"].encode()
real = os.environ["CRASH_REAL_HELPER"]
up = socket.socket(fileno=int(sys.argv[2]))
up.send(struct.pack("<I", HELLO_MAGIC))
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
pid = os.fork()
if pid == 0:
    os.dup2(b.fileno(), 3)
    os.execv(real, [real, "--probe-helper", "3", str(os.getppid())])
b.close()
while True:
    ready, _, _ = select.select([up, a], [], [])
    if a in ready:
        m = a.recv(65536)
        if not m:
            sys.exit(1)
        up.send(m)
    if up in ready:
        m = up.recv(4096)
        if not m:
            sys.exit(0)
        op = struct.unpack_from("<I", m, 4)[0] if len(m) >= 8 else 0
        if op == OP_PROBE and m[UDID_AT:UDID_AT + UDID_MAX].split(b"\0")[0] == crash:
            os.kill(pid, signal.SIGKILL)
            signal.signal(signal.SIGSEGV, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGSEGV)
        a.send(m)
