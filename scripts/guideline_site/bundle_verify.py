"""Check a deployed copy of the site against SHA256SUMS (``make bundle`` ships this file as verify.py).

    python3 verify.py SITE_FOLDER [SHA256SUMS]

Prints each file that is missing, truncated or altered (``MISSING``, ``ALTERED``), each file in
the folder that the bundle did not ship (``EXTRA``), each link found in the folder in place of a
file or folder (``LINK``, never followed), and each line of SHA256SUMS it cannot use (one
message per line: not a checksum line, or a name outside the site, which is never opened).
Exits 0 with ``OK: N files`` when the folder holds exactly the bundle's files, 1 when anything
is reported, 2 when the folder or SHA256SUMS cannot be read.

What this proves: the files are the ones SHA256SUMS lists, so a copy that was truncated,
corrupted, partly updated or added to is caught. It does not prove who made the bundle: whoever
can change the files can change SHA256SUMS and this script too. Compare SHA256SUMS with the
copy you received through a channel you trust (or a signed release) for that.

Standard library only, for any Python 3 an admin has.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path, PurePosixPath

CHECKSUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")
"""``sha256sum``'s format: 64 lower-case hex digits, a space, a space (or ``*``), the name."""

CHUNK = 1 << 20


def _name_in_site(name: str) -> bool:
    """Whether ``name`` is a plain relative path inside the site: no ``/`` start, no ``..``."""
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and "\\" not in name
        and "\0" not in name
        and not re.match(r"[A-Za-z]:", name)
        and all(part not in {"..", "."} for part in name.split("/"))
    )


def _walk(site: Path) -> tuple[set[str], dict[str, str]]:
    """The site's regular files and its links (name -> target), by name relative to ``site``.

    Links are listed, never followed: a linked folder's contents are not the site's."""
    files: set[str] = set()
    links: dict[str, str] = {}
    for folder, subfolders, names in os.walk(site, followlinks=False):
        here = Path(folder)
        for name in [*subfolders, *names]:
            path = here / name
            relative = path.relative_to(site).as_posix()
            if path.is_symlink():
                links[relative] = os.readlink(path)
            elif name in names:
                files.add(relative)
    return files, links


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as opened:
        for chunk in iter(lambda: opened.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_checksums(sums: Path) -> tuple[dict[str, str], list[str]]:
    """The listed names with their digests, and one message per line that cannot be used."""
    listed: dict[str, str] = {}
    bad_lines: list[str] = []
    text = sums.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        matched = CHECKSUM_LINE.fullmatch(line)
        where = f"{sums.name} line {number}"
        if matched is None or not matched.group(2).strip():
            bad_lines.append(f"{where}: is not '<64 hex digits>  <path in the site>'")
        elif not _name_in_site(matched.group(2)):
            bad_lines.append(f"{where}: {matched.group(2)} is outside the site (a name must be relative, without ..)")
        elif matched.group(2) in listed:
            bad_lines.append(f"{where}: {matched.group(2)} is listed twice")
        else:
            listed[matched.group(2)] = matched.group(1)
    return listed, bad_lines


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    site = Path(sys.argv[1])
    sums = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).with_name("SHA256SUMS")
    if site.is_symlink() or not site.is_dir():
        print(f"error: {site} is not a folder (give the folder you serve, not a link to it)")
        return 2
    try:
        listed, bad_lines = _read_checksums(sums)
    except OSError as error:
        print(f"error: cannot read {sums}: {error.strerror}")
        return 2
    files, links = _walk(site)
    reports: list[str] = []
    altered = 0
    for name, expected in listed.items():
        if name in links:
            continue  # reported with the other links below
        if name not in files:
            reports.append(f"MISSING  {name}")
            altered += 1
        elif _sha256(site / name) != expected:
            reports.append(f"ALTERED  {name}")
            altered += 1
    extra = sorted(files - listed.keys())
    reports += [f"EXTRA    {name}" for name in extra]
    reports += [f"LINK     {name} -> {target}" for name, target in sorted(links.items())]
    for line in [*bad_lines, *reports]:
        print(line)
    if not (bad_lines or reports):
        print(f"OK: {len(listed)} files")
        return 0
    summary = [f"{altered} of {len(listed)} files missing or altered"]
    if extra:
        summary.append(f"{len(extra)} extra files")
    if links:
        summary.append(f"{len(links)} links")
    if bad_lines:
        summary.append(f"{len(bad_lines)} lines of {sums.name} not understood")
    print("FAILED: " + "; ".join(summary))
    return 1


if __name__ == "__main__":
    sys.exit(main())
