# SPDX-License-Identifier: ISC
"""Checks that a backupctl table's columns line up on screen: every row's second column starts
at the display column of the header's second column. Widths from Python's unicodedata (East
Asian Wide/Fullwidth 2, combining and format characters 0), not from backupd's own table.
Usage: ctl_columns.py HEADER_OF_COLUMN_2 < TABLE"""
import sys
import unicodedata


def width(text):
    w = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


lines = [line.rstrip("\r\n") for line in sys.stdin]
header = lines[0]
start = width(header[: header.index(sys.argv[1])])
bad = 0
for line in lines[1:]:
    if not line:
        break  # the summary follows
    # the name ends where the run of blanks before the second column begins
    name_end = len(line.split("  ")[0])
    second = len(line) - len(line[name_end:].lstrip(" "))
    if width(line[:second]) != start:
        print("column 2 at %d, not %d: %s" % (width(line[:second]), start, line))
        bad += 1
sys.exit(1 if bad else 0)
