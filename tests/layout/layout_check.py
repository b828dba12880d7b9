#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The layout rules of README's "Layout", checked: no two files need each other, through
their includes or their calls, and a folder of daemon/backupd uses only the folders below it.

A file here is a module: x.c with its x.h. Includes come from the sources; calls from the
objects' symbol tables (nm: what each object defines and what it needs), so a call through a
header that declares nothing else still counts. Usage: layout_check.py SOURCE_DIR OBJECT_DIR [KNOWN]
(OBJECT_DIR holds the daemon's .o files, searched recursively). KNOWN lists uses of a folder
not below that were there when the check came (tests/layout/known_upward.txt): each is still
reported until fixed, then must leave the list; any other fails the check."""
import os
import re
import subprocess
import sys

# The daemon's folders, lowest first: a folder may use its own files and the folders on
# earlier lines. Folders on one line are peers and use none of each other. README, "Layout",
# draws the same layers.
LAYERS = [
    ["common"],
    ["base"],
    ["journal", "pairing"],
    ["config", "feed"],
    ["probe", "hotplug", "ioscat", "service"],
    ["record"],
    ["alert", "slot", "state"],
    ["fleet"],
    ["metrics"],
    ["control"],
    ["action"],
    ["http"],
    ["main"],
]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_rank():
    rank = {}
    for i, line in enumerate(LAYERS):
        for folder in line:
            rank[folder] = i
    return rank


def modules(source_dir):
    """module name -> (folder, [paths]) for daemon/common, daemon/backupd/* and include/."""
    found = {}
    roots = [(os.path.join(source_dir, "daemon", "common"), "common"),
             (os.path.join(source_dir, "include"), "common")]
    backupd = os.path.join(source_dir, "daemon", "backupd")
    for entry in sorted(os.listdir(backupd)):
        path = os.path.join(backupd, entry)
        if os.path.isdir(path):
            roots.append((path, entry))
        elif entry.endswith(".c"):
            found.setdefault(entry[:-2], ("main", []))[1].append(path)
    for root, folder in roots:
        for entry in sorted(os.listdir(root)):
            if entry.endswith((".c", ".h")):
                found.setdefault(entry[:-2], (folder, []))[1].append(os.path.join(root, entry))
    return found


def include_edges(mods):
    edges = set()
    for name, (_, paths) in mods.items():
        for path in paths:
            with open(path, encoding="utf-8") as f:
                for header in INCLUDE.findall(f.read()):
                    other = os.path.basename(header)[:-2]
                    if other in mods and other != name:
                        edges.add((name, other))
    return edges


def call_edges(mods, object_dir):
    objects = {}
    for root, _, files in os.walk(object_dir):
        for entry in files:
            if entry.endswith(".c.o") and entry[:-4] in mods:
                objects[os.path.join(root, entry)] = entry[:-4]
    defines, needs = {}, {}
    if objects:
        # One nm for all (-A: each line starts with its object's path): quick under load.
        out = subprocess.run(["nm", "-A"] + sorted(objects), check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            path, _, rest = line.partition(".o:")
            name = objects.get(path + ".o")
            parts = rest.split()
            if name is None:
                continue
            if len(parts) == 2 and parts[0] == "U":
                needs.setdefault(name, set()).add(parts[1])
            elif len(parts) == 3 and parts[1] in "TDRB":
                defines[parts[2]] = name
    edges = set()
    for name, symbols in needs.items():
        for symbol in symbols:
            other = defines.get(symbol)
            if other and other != name:
                edges.add((name, other))
    return edges, len(defines)


def circles(edges):
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    index, low, on_stack, stack, groups, counter = {}, {}, set(), [], [], [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def main():
    source_dir, object_dir = sys.argv[1], sys.argv[2]
    mods = modules(source_dir)
    rank = folder_rank()
    problems = []
    for name, (folder, _) in sorted(mods.items()):
        if folder not in rank:
            problems.append(f"folder {folder}/ ({name}) is in no layer: add it to LAYERS and README")
    includes = include_edges(mods)
    calls, n_symbols = call_edges(mods, object_dir)
    if n_symbols == 0:
        problems.append(f"no daemon objects under {object_dir}: nothing to check")
    for kind, edges in (("include", includes), ("call", calls)):
        for group in circles(edges):
            problems.append(f"{kind} circle: " + " <-> ".join(group))
        for a, b in sorted(edges):
            fa, fb = mods[a][0], mods[b][0]
            if fa != fb and fa in rank and fb in rank and rank[fa] <= rank[fb]:
                problems.append(f"{kind}: {fa}/{a} uses {fb}/{b}, a folder not below it")
    known = set()
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            known = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    failures = 0
    for problem in problems:
        if problem in known:
            print("layout: known, to fix: " + problem)
        else:
            print("layout: " + problem)
            failures += 1
    for gone in sorted(known - set(problems)):
        print("layout: fixed, remove it from the known list: " + gone)
        failures += 1
    print(f"layout: {len(mods)} files, {len(includes)} include and {len(calls)} call edges, "
          f"{len(problems)} problems ({len(problems) - failures} known)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
