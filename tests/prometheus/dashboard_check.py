#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Evaluates every query of a Grafana dashboard against a real Prometheus (Grafana is not
in Debian 12): each panel target and each template variable's label_values() must run
without error, and the panels named with --data must return at least one sample.

Usage: dashboard_check.py PROMETHEUS_URL DASHBOARD.json [--data TITLE]... [--var NAME=VALUE]...
Template variables become ".*" (the dashboard's "All"), or the value given with --var;
Grafana's own $__rate_interval, $__interval and $__range become 1m.
"""
import json
import re
import sys
import urllib.parse
import urllib.request

GRAFANA = {"__rate_interval": "1m", "__interval": "1m", "__range": "1m"}


def panels(node):
    for panel in node.get("panels", []):
        yield panel
        yield from panels(panel)


def expand(expr, variables):
    def one(match):
        name = match.group(1) or match.group(2)
        return variables.get(name, GRAFANA.get(name, ".*"))
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", one, expr)


def get(url, path, params):
    with urllib.request.urlopen(url + path + "?" + urllib.parse.urlencode(params, doseq=True),
                                timeout=5) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise RuntimeError(body)
    return body["data"]


def check_variable(url, var, variables):
    match = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", var["definition"])
    if not match:
        raise RuntimeError("variable %s: not label_values(SELECTOR, LABEL)" % var["name"])
    selector, label = expand(match.group(1), variables), match.group(2)
    values = get(url, "/api/v1/label/%s/values" % label, {"match[]": [selector]})
    print("variable %s: %s" % (var["name"], " ".join(values) or "(none)"))
    return values


def main(argv):
    url, path = argv[1], argv[2]
    want_data, variables, i = set(), {}, 3
    while i < len(argv):
        if argv[i] == "--data":
            want_data.add(argv[i + 1])
        elif argv[i] == "--var":
            name, _, val = argv[i + 1].partition("=")
            variables[name] = val
        i += 2
    with open(path) as text:
        dashboard = json.load(text)
    failures = 0
    for var in dashboard["templating"]["list"]:
        try:
            if not check_variable(url, var, variables):
                print("FAIL: variable %s has no values" % var["name"])
                failures += 1
        except (OSError, RuntimeError) as error:
            print("FAIL: variable %s: %s" % (var["name"], error))
            failures += 1
    titles = set()
    for panel in panels(dashboard):
        titles.add(panel["title"])
        for target in panel.get("targets", []):
            expr = expand(target["expr"], variables)
            try:
                samples = len(get(url, "/api/v1/query", {"query": expr})["result"])
            except (OSError, RuntimeError) as error:
                print("FAIL: %s [%s]: %s" % (panel["title"], target["refId"], error))
                failures += 1
                continue
            print("%s [%s]: %d samples" % (panel["title"], target["refId"], samples))
            if panel["title"] in want_data and samples == 0:
                print("FAIL: %s [%s] returned no data" % (panel["title"], target["refId"]))
                failures += 1
    for title in want_data - titles:
        print("FAIL: no panel titled %r" % title)
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
