# SPDX-License-Identifier: ISC
"""Checks that an alert command's stdin (one JSON object, one line) holds exactly its BACKUPD_*
environment: each key is a variable's name in lower case without BACKUPD_, each value the same.
Usage: alert_command_json.py ENV_FILE JSON_FILE"""
import json
import sys

env = dict(line.rstrip("\n").split("=", 1) for line in open(sys.argv[1]))
text = open(sys.argv[2]).read()
assert text.endswith("\n") and text.count("\n") == 1, "stdin is not one line"
obj = json.loads(text)
assert set("BACKUPD_" + k.upper() for k in obj) == set(env), (sorted(obj), sorted(env))
for key, value in obj.items():
    assert str(value) == env["BACKUPD_" + key.upper()], key
assert isinstance(obj["time_epoch"], int), "time_epoch is not a number"
if obj["event"] in ("failing", "repeat"):
    assert obj["fix"], "no fix text"
