"""Check a deployed copy of the site against SHA256SUMS (``make bundle`` ships this file as verify.py).

    python3 verify.py SITE_FOLDER [SHA256SUMS]

Prints each file that is missing, truncated or altered, and exits 1 if there is any.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    site = Path(sys.argv[1])
    sums = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).with_name("SHA256SUMS")
    problems = 0
    lines = sums.read_text(encoding="utf-8").splitlines()
    for line in lines:
        expected, name = line.split("  ", 1)
        path = site / name
        if not path.is_file():
            print(f"MISSING  {name}")
            problems += 1
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            print(f"ALTERED  {name}")
            problems += 1
    if problems:
        print(f"{problems} of {len(lines)} files missing or altered")
        return 1
    print(f"OK: {len(lines)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
