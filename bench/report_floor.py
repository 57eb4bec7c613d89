"""The floor of a streaming report in Python: the benchmark's rows read, and barely counted.

    python bench/report_floor.py FOLDER   # FOLDER as written by bench/report_bench.py

Reads `exports/registrations.csv` and `exports/feedback.csv` as `lc report` reads them (the csv
module over an unbuffered file decoded as UTF-8, one row at a time), and per row does the least a
streaming deduplication must: finds the email cell among those seen (a dictionary) and notes the
(person, clinic) pair (a set). No cleaning, no countries, no merging of identities, no output but
three counts. The cyclic garbage collector is off while rows are read, as in `lc report`. Whatever
lc does per row comes on top of this; pandas, which reads whole columns in C, has no such floor.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import sys
from pathlib import Path


def main(folder: Path) -> None:
    people: dict[str, int] = {}
    pairs: set[tuple[int, str]] = set()
    rows = 0
    gc.disable()
    for name, clinic_column in (("registrations.csv", 8), ("feedback.csv", 2)):
        with (folder / "exports" / name).open("rb", buffering=0) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            next(reader)
            for row in reader:
                rows += 1
                email = row[1]
                person = people.get(email)
                if person is None:
                    person = people[email] = len(people)
                pairs.add((person, row[clinic_column]))
    json.dump({"rows": rows, "email_cells": len(people), "pairs": len(pairs)}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
