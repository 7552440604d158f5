#!/usr/bin/env python3
"""Replicate german-credit.csv to N data rows.

Usage: make_replica.py N OUT.csv [SRC.csv]

Writes the source header once, then the source data rows cycled in file
order (row k of the output is source data row ((k-1) mod 1000) + 1), each
row byte-for-byte as in the source (CRLF line ends kept). SRC defaults to
Fixtures/german-credit.csv of this repository. 1,000,000 rows = 267,577,465
bytes (~268 MB, 255 MiB).
"""
import os
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out = sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[3] if len(sys.argv) == 4 else os.path.join(
        here, "..", "..", "Fixtures", "german-credit.csv")
    with open(src, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    if not rows[-1].endswith(b"\n"):
        rows[-1] += b"\r\n" if header.endswith(b"\r\n") else b"\n"
    block = b"".join(rows)
    full, rest = divmod(n, len(rows))
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(header)
        for _ in range(full):
            f.write(block)
        f.write(b"".join(rows[:rest]))
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
