"""Summarise a mutmut 2 run: mutants per status and the share killed, per file.

    python scripts/mutation_report.py build/mutation/.mutmut-cache

Surviving mutants are listed with ``mutmut show <id>`` commands; each is either killed
by a new test or explained (see README, "Mutation testing").
"""

from __future__ import annotations

import sqlite3
import sys
from collections import Counter, defaultdict

KILLED = {"ok_killed"}


def main(cache: str) -> int:
    rows = sqlite3.connect(cache).execute(
        "SELECT Mutant.id, Mutant.status, SourceFile.filename, Line.line_number FROM Mutant "
        "JOIN Line ON Mutant.line = Line.id JOIN SourceFile ON Line.sourcefile = SourceFile.id"
    )
    by_file: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: list[tuple[int, str, int]] = []
    for mutant_id, status, filename, line in rows:
        by_file[filename][status] += 1
        if status not in KILLED:
            survivors.append((mutant_id, filename, line + 1))
    total = Counter[str]()
    for filename in sorted(by_file):
        counts = by_file[filename]
        total.update(counts)
        killed = sum(counts[s] for s in KILLED)
        share = 100 * killed / sum(counts.values())
        print(f"{filename}: {killed} of {sum(counts.values())} killed ({share:.1f}%) {dict(counts)}")
    killed = sum(total[s] for s in KILLED)
    print(f"all: {killed} of {sum(total.values())} mutants killed ({100 * killed / max(1, sum(total.values())):.1f}%)")
    for mutant_id, filename, line in survivors:
        print(f"  not killed: mutmut show {mutant_id}   # {filename}:{line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".mutmut-cache"))
