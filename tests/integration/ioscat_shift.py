# SPDX-License-Identifier: ISC
"""ioscat_shift: a copy of a SOFA-shaped catalog fixture with every ReleaseDate moved so
that its newest release came out DAYS days before today (UTC), so that a test's verdicts do
not depend on the day it runs. Usage: ioscat_shift.py FIXTURE DAYS > OUT"""
import datetime
import json
import sys


def walk(node, fn):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "ReleaseDate" and isinstance(value, str):
                node[key] = fn(value)
            else:
                walk(value, fn)
    elif isinstance(node, list):
        for value in node:
            walk(value, fn)


def main():
    feed = json.load(open(sys.argv[1]))
    dates = []
    walk(feed, lambda d: dates.append(d) or d)
    parse = lambda d: datetime.datetime.strptime(d[:10], "%Y-%m-%d").date()
    newest = max(parse(d) for d in dates)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    shift = today - datetime.timedelta(days=int(sys.argv[2])) - newest
    walk(feed, lambda d: (parse(d) + shift).isoformat() + d[10:])
    json.dump(feed, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
