"""Write the Pyodide runtime the package ships (``scripts/guideline_site/runtime/``) from npm.

    python scripts/vendor_runtime.py            (make setup, make dist)

The exact version is the one ``package.json`` pins (the one source of that number); the files
come from ``node_modules/pyodide`` as ``npm ci`` installed them from ``package-lock.json``.
Each is written as ``.br`` and ``.gz`` with its sha256 recorded (``guideline_site.runtime``):
a site built from the installed package needs neither Node.js nor npm, nor a first
compression of the runtime. Does nothing when the folder already records these files.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "scripts"))

from guideline_site import assets, runtime  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "scripts" / "guideline_site" / "runtime")
    args = parser.parse_args()
    version = assets.pinned_pyodide_version(PROJECT)
    started = time.perf_counter()
    try:
        written = runtime.vendor(PROJECT / "node_modules" / "pyodide", version, args.out)
    except (OSError, runtime.RuntimeFilesError) as error:
        raise SystemExit(f"vendor_runtime: {error} (run `npm ci`, or `make setup`)") from error
    if written:
        print(f"Pyodide {version} written to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
