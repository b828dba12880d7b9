# SPDX-License-Identifier: ISC
"""How long after an alert's journal entry its alert memory is in the state file (the window
in which a kill -9 makes a restart tell it again). Flips one phone's iCloud Backup ROUNDS
times; for each flip, a thread polls the state file every 0.5 ms for the memory of
backup_enabled to change, and the window is the time it was first seen there minus the
journal entry's __REALTIME_TIMESTAMP. Resolution: the poll interval plus a parse.
Usage: alert_save_window.py WORK UDID MESSAGE_ID SIM BACKUPCTL ROUNDS"""
import json
import statistics
import subprocess
import sys
import threading
import time

work, udid, msgid, sim, backupctl, rounds = sys.argv[1:7]
state_path = work + "/state/state.json"


def memory():
    try:
        doc = json.load(open(state_path))
    except (OSError, ValueError):
        return None
    for dev in doc.get("devices", []):
        if dev.get("udid") == udid:
            m = dev.get("alerts", {}).get("backup_enabled", {})
            return (m.get("announced"), m.get("at"))
    return None


def entries(state):
    out = subprocess.run(["journalctl", "--no-pager", "-o", "json", "MESSAGE_ID=" + msgid,
                          "DEVICE_UDID=" + udid, "STATE=" + state],
                         capture_output=True, text=True).stdout
    return [int(json.loads(line)["__REALTIME_TIMESTAMP"]) for line in out.splitlines()]


def watch(want, seen):
    while not seen:
        m = memory()
        if m and m[0] == want:
            seen.append(time.time_ns() // 1000)
        time.sleep(0.0005)


windows = []
for i in range(int(rounds)):
    on = i % 2 == 1
    want = "ok" if on else "failing"
    before = len(entries(want))
    seen = []
    t = threading.Thread(target=watch, args=(want, seen))
    t.start()
    subprocess.run([sim, "--ctl", work + "/sim.ctl", "set", udid, "com.apple.mobile.backup",
                    "CloudBackupEnabled", "true" if on else "false"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([backupctl, "--socket", work + "/control", "refresh", udid],
                   stdout=subprocess.DEVNULL)
    t.join(30)
    if not seen:
        sys.exit("round %d: the memory never reached the state file" % i)
    subprocess.run(["journalctl", "--sync"])
    stamps = entries(want)
    if len(stamps) != before + 1:
        sys.exit("round %d: %d new %s entries, want 1" % (i, len(stamps) - before, want))
    windows.append((seen[0] - max(stamps)) / 1000.0)
    time.sleep(0.2)
windows.sort()
print("alert entry -> memory in the state file, %d flips: median %.1f ms, min %.1f, max %.1f, "
      "p90 %.1f" % (len(windows), statistics.median(windows), windows[0], windows[-1],
                    windows[int(0.9 * (len(windows) - 1))]))
