"""The Pyodide runtime the package ships: precompressed, hashed, checked at every build.

A site is built with no Node.js and no npm: the distribution carries the runtime files the
browser needs (``RUNTIME_FILES``) under ``guideline_site/runtime/``, each as ``<name>.br``
(brotli, quality 11) and ``<name>.gz`` (gzip -9), beside ``runtime.json``::

    {"format": "guideline-site-runtime/1", "pyodide_version": "314.0.7",
     "files": {"pyodide.asm.wasm": {"sha256": ..., "size": ...,
                                    "br": {"sha256": ..., "size": ...}, "gz": {...}}, ...}}

``unpack`` writes each file, decompressed and checked against its sha256, into the site's
build cache (never into site-packages), and puts the shipped compressed copies where
``assets.compress_site`` looks for them, so no build compresses the 9.6 MB runtime again.
``vendor`` writes that folder from the npm package pinned in ``package.json``
(``scripts/vendor_runtime.py``; ``make setup`` and ``make dist`` run it in this repository).
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.resources
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
"""The runtime the browser needs; the npm package holds no wheels and needs no more."""

RECORD = "runtime.json"
FORMAT = "guideline-site-runtime/1"
COMPRESSIONS = ("br", "gz")


class RuntimeFilesError(ValueError):
    """The shipped runtime is missing or does not match its record; the message says what to do."""


@dataclass(frozen=True, kw_only=True, slots=True)
class PyodideRuntime:
    version: str
    files: tuple[Path, ...]
    """The decompressed files, checked, in the build cache."""


def packaged_folder() -> Path:
    """``guideline_site/runtime/`` of the installed package (a source checkout: written by ``make setup``)."""
    return Path(str(importlib.resources.files("guideline_site") / "runtime"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest(path: Path) -> str:
    return sha256(path.read_bytes())


def gzip_bytes(data: bytes) -> bytes:
    """gzip -9 with no timestamp: the same bytes for the same input (``assets.compress_site`` too)."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    import brotli  # a declared dependency; imported here so reading the record needs none

    return bytes(brotli.compress(data, quality=11))


def read_record(folder: Path | None = None) -> dict[str, Any]:
    folder = folder or packaged_folder()
    path = folder / RECORD
    if not path.is_file():
        raise RuntimeFilesError(
            f"the guideline-site package carries no Pyodide runtime ({path} is missing): reinstall guideline-site; "
            "in a source checkout run `make setup` (scripts/vendor_runtime.py writes it from package.json's pin)"
        )
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if record.get("format") != FORMAT or set(record.get("files", {})) != set(RUNTIME_FILES):
        raise RuntimeFilesError(
            f"{path}: not a {FORMAT} record of {', '.join(RUNTIME_FILES)}: reinstall guideline-site"
        )
    return record


def pyodide_version(folder: Path | None = None) -> str:
    return str(read_record(folder)["pyodide_version"])


def unpack(cache: Path, *, compressed_cache: Path, folder: Path | None = None) -> PyodideRuntime:
    """The runtime's files in ``cache``, each checked against the record's sha256.

    A file already there with the right hash is kept; anything else is written again from the
    shipped ``.gz``. The shipped ``.br`` and ``.gz`` go into ``compressed_cache`` under the raw
    file's hash, as ``assets.compress_site`` names its results."""
    folder = folder or packaged_folder()
    record = read_record(folder)
    version = str(record["pyodide_version"])
    target = cache / f"pyodide-{version}"
    target.mkdir(parents=True, exist_ok=True)
    compressed_cache.mkdir(parents=True, exist_ok=True)
    files = []
    for name in RUNTIME_FILES:
        entry = record["files"][name]
        path = target / name
        if not (
            path.is_file() and path.stat().st_size == entry["size"] and sha256(path.read_bytes()) == entry["sha256"]
        ):
            data = gzip.decompress(_shipped(folder, name, "gz", entry["gz"]))
            if sha256(data) != entry["sha256"]:
                raise RuntimeFilesError(f"{folder / (name + '.gz')}: does not unpack to the recorded file: reinstall")
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(data)
            partial.replace(path)
        for suffix in COMPRESSIONS:
            cached = compressed_cache / f"{entry['sha256']}.{suffix}"
            if not cached.is_file():
                cached.write_bytes(_shipped(folder, name, suffix, entry[suffix]))
        files.append(path)
    return PyodideRuntime(version=version, files=tuple(files))


def _shipped(folder: Path, name: str, suffix: str, entry: dict[str, Any]) -> bytes:
    path = folder / f"{name}.{suffix}"
    if not path.is_file():
        raise RuntimeFilesError(f"{path} is missing: reinstall guideline-site")
    data = path.read_bytes()
    if sha256(data) != entry["sha256"]:
        raise RuntimeFilesError(f"{path}: its sha256 is not the one {RECORD} records: the file is damaged, reinstall")
    return data


def vendor(source: Path, version: str, out: Path) -> bool:
    """Write ``out`` (``RUNTIME_FILES`` as ``.br`` and ``.gz``, and ``runtime.json``) from the
    npm package's folder ``source``; nothing is written when ``out`` already records exactly
    these files. Returns whether anything was written."""
    installed = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
    if installed != version:
        raise RuntimeFilesError(f"{source} holds pyodide {installed} but package.json pins {version}: run `npm ci`")
    raw = {name: (source / name).read_bytes() for name in RUNTIME_FILES}
    try:
        current = read_record(out)
    except RuntimeFilesError:
        current = {}
    if current.get("pyodide_version") == version and all(
        current["files"][name]["sha256"] == sha256(data) and (out / f"{name}.br").is_file()
        for name, data in raw.items()
    ):
        return False
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {}
    for name, data in raw.items():
        entry: dict[str, Any] = {"sha256": sha256(data), "size": len(data)}
        for suffix, compress in (("br", brotli_bytes), ("gz", gzip_bytes)):
            packed = compress(data)
            (out / f"{name}.{suffix}").write_bytes(packed)
            entry[suffix] = {"sha256": sha256(packed), "size": len(packed)}
        files[name] = entry
    record = {
        "format": FORMAT,
        "generated_by": "DO NOT EDIT: generated by scripts/vendor_runtime.py from the npm package pyodide",
        "pyodide_version": version,
        "files": files,
    }
    (out / RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return True
