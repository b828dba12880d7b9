#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Prometheus' HTTP API for the two-cart test (loopback only, every call with a time limit).

value URL EXPR              prints the value of an instant query that returns one sample,
                            "none" when it returns none; exit 1 on an error or more samples
wait URL SECONDS EXPR WANT [EXPR WANT]...
                            polls `value` of each EXPR in turn until it prints WANT; exit 1
                            (with the last answer) when SECONDS pass first
firing URL ALERTNAME        prints the labels of each firing alert of that name as JSON
ports N                     prints N free loopback TCP ports
ready URL                   exit 0 when URL/-/ready answers 200
"""
import json
import socket
import sys
import time
import urllib.parse
import urllib.request


def query(url, expr):
    with urllib.request.urlopen(url + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}),
                                timeout=5) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise RuntimeError("query %r: %s" % (expr, body))
    return body["data"]


def value(url, expr):
    data = query(url, expr)
    if data["resultType"] == "scalar":
        return data["result"][1]
    result = data["result"]
    if not result:
        return "none"
    if len(result) > 1:
        raise RuntimeError("query %r: %d samples, expected one: %s" % (expr, len(result), result))
    return result[0]["value"][1]


def wait(url, seconds, *pairs):
    deadline = time.monotonic() + float(seconds)
    for expr, want in zip(pairs[::2], pairs[1::2]):
        last = None
        while last != want:
            if time.monotonic() > deadline:
                print("%s: wanted %s, got %s" % (expr, want, last), file=sys.stderr)
                return 1
            if last is not None:
                time.sleep(0.2)
            try:
                last = value(url, expr)
            except (OSError, RuntimeError) as error:
                last = "error: %s" % error
    return 0


def firing(url, alertname):
    with urllib.request.urlopen(url + "/api/v1/alerts", timeout=5) as answer:
        alerts = json.load(answer)["data"]["alerts"]
    for alert in alerts:
        if alert["labels"].get("alertname") == alertname and alert["state"] == "firing":
            print(json.dumps(alert["labels"], sort_keys=True))


def ports(n):
    held = []
    for _ in range(int(n)):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        held.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in held))
    for s in held:
        s.close()


def main(argv):
    verb, args = argv[1], argv[2:]
    try:
        if verb == "value":
            print(value(*args))
        elif verb == "wait":
            return wait(*args)
        elif verb == "firing":
            firing(*args)
        elif verb == "ports":
            ports(*args)
        elif verb == "ready":
            with urllib.request.urlopen(args[0] + "/-/ready", timeout=5) as answer:
                return 0 if answer.status == 200 else 1
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (OSError, RuntimeError) as error:
        print("prom_api.py %s: %s" % (verb, error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
