# SPDX-License-Identifier: ISC
"""Adds remembered, detached phones to a stopped daemon's state file, each a copy of its first
device with another UDID and name, last seen DAYS days ago.
Usage: state_add_detached.py STATE_FILE UDID:DAYS..."""
import copy
import json
import sys
import time

path = sys.argv[1]
doc = json.load(open(path))
for arg in sys.argv[2:]:
    udid, days = arg.rsplit(":", 1)
    old = copy.deepcopy(doc["devices"][0])
    old["udid"] = udid
    old["facts"]["udid"] = udid
    old["facts"]["name"] = "Left in a drawer %s d" % days
    old["attached"] = False
    old["last_seen"] = int(time.time()) - int(days) * 86400
    doc["devices"].append(old)
json.dump(doc, open(path, "w"))
