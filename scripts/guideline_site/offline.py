"""What the service worker keeps for offline use, and the worker itself (``sw.js``).

The site's shell (theme, scripts, the calculator's code, the offline page) is saved on the
first visit; each guideline is a group of its own (``<folder>offline.json``), saved when one of
its pages is read or when chosen on the offline page. Neither grows with the library. The
search index is split the same way (``split_search_index``).

The worker's sources are ``service_worker*.js`` beside this module (``SERVICE_WORKER_SOURCES``);
the build joins them into one script at the site root with its ``MANIFEST`` (the shell's files
with their sha256, where the groups are) and the message names it answers
(``calculator.protocol.SERVICE_WORKER_MESSAGES``) filled in.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from calculator import protocol
from guideline_site import assets, deploy

SERVICE_WORKER_SOURCES = tuple(
    Path(__file__).with_name(f"service_worker{part}.js") for part in ("", "_store", "_fetch")
)
"""The service worker's sources, joined in this order into ``sw.js`` (one classic script)."""
INSERTED = "/* inserted by the build */ {}"
"""What the build replaces in the template's ``const MANIFEST = …`` and ``const MESSAGES = …`` lines."""
SEARCH_LANGUAGES = "assets/javascripts/lunr/"
"""Material's search language support: its search worker imports only what the site's languages need."""


def never_used_offline(site_dir: Path) -> set[str]:
    """Files of the site that no page or worker ever requests, left out of the precache.

    Source maps (``*.map``, 1.3 MB) are fetched only by a browser's developer tools. Of
    Material's search language files, its search worker imports ``lunr.<lang>`` for each
    language but English, ``tinyseg`` for Japanese, ``wordcut`` for Hindi and Thai,
    ``lunr.multi`` for several languages and the stemmer support for any of them; the
    languages are those of the built search index.
    """
    unused = {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.map")}
    unused |= {"sitemap.xml"} if (site_dir / "sitemap.xml").is_file() else set()  # for crawlers
    index = site_dir / "search" / "search_index.json"
    languages = json.loads(index.read_text(encoding="utf-8"))["config"]["lang"] if index.is_file() else ["en"]
    needed = {f"min/lunr.{lang}.min.js" for lang in languages if lang != "en"}
    needed |= {"tinyseg.js"} if "ja" in languages else set()
    needed |= {"wordcut.js"} if {"hi", "th"} & set(languages) else set()
    needed |= {"min/lunr.multi.min.js"} if len(languages) > 1 else set()
    needed |= {"min/lunr.stemmer.support.min.js"} if needed else set()
    for path in (site_dir / SEARCH_LANGUAGES).rglob("*"):
        relative = path.relative_to(site_dir / SEARCH_LANGUAGES).as_posix()
        if path.is_file() and path.suffix not in {".br", ".gz"} and relative not in needed:
            unused.add(SEARCH_LANGUAGES + relative)
    return unused


GROUP_FILE = "offline.json"
"""In each guideline's folder: the files of its offline group, with their hashes and sizes."""
GROUPS_INDEX = "offline/groups.json"
"""Every guideline's group (title, version, size): the offline page's choices. Grows with the
library, so it is fetched only by that page, never saved on a first visit."""
GROUP_SEARCH = "search.json"
"""In each guideline's folder: the search entries of its pages (Material's format)."""
SEARCH_INDEX = "search/search_index.json"
CATALOGUE_SEARCH = "search/catalogue.json"
"""The site's own pages and one entry per guideline: what search covers beyond saved guidelines."""
SAVED_SEARCH = "search/saved.json"
"""Answered by the service worker: the search entries of every guideline saved on the device."""
OFFLINE_FORMAT = "guideline-offline/1"


@dataclass(frozen=True)
class Library:
    """What the service worker needs to know about the site's guidelines."""

    groups: dict[str, dict[str, Any]]
    """By folder (``<guideline>/``): title, short title, content version and topics of each guideline."""
    catalogue: tuple[str, ...]
    """Pages that list the whole library (the home page): kept as last seen, never precached."""
    offline_page: str
    """The offline help page, shown in place of a page the device does not keep."""


def group_of(path: str, folders: dict[str, Any] | set[str]) -> str | None:
    """The guideline folder (``<guideline>/``) a site path is in, if any: a look-up per parent
    folder of the path, not a scan of the library."""
    end = path.find("/")
    while end != -1:
        if path[: end + 1] in folders:
            return path[: end + 1]
        end = path.find("/", end + 1)
    return None


def split_search_index(site_dir: Path, library: Library) -> None:
    """Material's one search index becomes one per guideline (``<folder>search.json``, saved
    with it), the catalogue's (the site's own pages, one entry per guideline) and a
    ``search_index.json`` without entries, which every page loads: none grows with the library
    but the catalogue's, which is fetched on the first query only (``guideline-search.js``)."""
    index_path = site_dir / SEARCH_INDEX
    index = json.loads(index_path.read_text(encoding="utf-8"))
    per_group: dict[str, list[Any]] = {folder: [] for folder in library.groups}
    own: list[Any] = []
    for doc in index["docs"]:
        location = doc["location"]
        folder = group_of(location, library.groups)
        if folder is not None:
            per_group[folder].append(doc)
        elif location.split("#", 1)[0] in library.catalogue:
            if "#" not in location:  # the catalogue's own text, not its table of every guideline
                own.append({**doc, "text": ""})
        else:
            own.append(doc)
    entries = [
        {"location": folder, "title": info["title"], "text": " ".join([info["short_title"], *info["topics"]])}
        for folder, info in library.groups.items()
    ]

    def write(path: Path, docs: list[Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"config": index["config"], "docs": docs}, separators=(",", ":")), "utf-8")

    for folder, docs in per_group.items():
        write(site_dir / folder / GROUP_SEARCH, docs)
    write(site_dir / CATALOGUE_SEARCH, own + entries)
    write(index_path, [])


def _integrity(path: Path) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def _listed(relative: str) -> str:
    """Directory URLs stand for their ``index.html``."""
    is_index = relative == "index.html" or relative.endswith("/index.html")
    return relative.removesuffix("index.html") if is_index else relative


def offline_manifest(site_dir: Path, runtime_dir: str, library: Library) -> dict[str, Any]:
    """What the service worker keeps, with each file's sha256 (SRI form): the shell (``shell``),
    the runtime (cached on demand) and one group per guideline, whose listing the build writes
    to ``<folder>offline.json`` and whose summary to ``offline/groups.json``. Each listing names
    its build: the service worker keeps and serves a group of its own build only, so a device
    never runs one build's page or guideline with another build's scripts or engine.

    Precompressed copies, the worker itself and files nothing requests (``never_used_offline``)
    are left out; so are the library-wide pages, kept as last seen (``visited``).
    """
    shell: list[list[str]] = []
    runtime: list[list[str]] = []
    groups: dict[str, list[list[str]]] = {folder: [] for folder in library.groups}
    sizes: dict[str, int] = {folder: 0 for folder in library.groups}
    shell_bytes = runtime_bytes = 0
    unused = never_used_offline(site_dir)
    library_wide = {*library.catalogue, CATALOGUE_SEARCH, GROUPS_INDEX}
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if not path.is_file() or relative == assets.SERVICE_WORKER or path.suffix in {".br", ".gz"}:
            continue
        listed = _listed(relative)
        if relative in unused or listed in library_wide or path.name == GROUP_FILE:
            continue
        size = path.stat().st_size
        integrity = _integrity(path)
        if relative.startswith(runtime_dir):
            runtime.append([relative, integrity])
            runtime_bytes += size
            continue
        folder = group_of(relative, library.groups)
        if folder is not None:
            groups[folder].append([listed, integrity])
            sizes[folder] += size
            continue
        if relative == deploy.NOT_FOUND_PAGE:
            integrity = ""  # the server rewrites its <base> to the sub-path: no fixed hash
        shell.append([listed, integrity])
        shell_bytes += size
    listed_groups = {
        folder: (hashlib.sha256(json.dumps(files).encode()).hexdigest()[:16], files) for folder, files in groups.items()
    }
    listing = json.dumps([shell, runtime, [group_hash for group_hash, _ in listed_groups.values()]]).encode()
    build = hashlib.sha256(listing).hexdigest()[:16]
    summaries = []
    for folder, (group_hash, files) in listed_groups.items():
        info = library.groups[folder]
        group = {
            "format": OFFLINE_FORMAT,
            "build": build,
            "folder": folder,
            "hash": group_hash,
            "title": info["title"],
            "short_title": info["short_title"],
            "content_version": info["content_version"],
            "bytes": sizes[folder],
            "files": files,
        }
        (site_dir / folder / GROUP_FILE).write_text(json.dumps(group, indent=1), encoding="utf-8")
        summaries.append({key: value for key, value in group.items() if key not in {"files", "format", "build"}})
    index = {
        "format": OFFLINE_FORMAT,
        "build": build,
        "shell": {"bytes": shell_bytes, "files": len(shell)},
        "runtime": {"bytes": runtime_bytes, "files": len(runtime)},
        "guidelines": sorted(summaries, key=lambda s: str(s["title"]).casefold()),
    }
    (site_dir / GROUPS_INDEX).parent.mkdir(parents=True, exist_ok=True)
    (site_dir / GROUPS_INDEX).write_text(json.dumps(index, indent=1), encoding="utf-8")
    return {
        "build": build,
        "notFound": deploy.NOT_FOUND_PAGE,
        "offlinePage": library.offline_page,
        "shell": shell,
        "visited": sorted(library_wide),
        "groupFile": GROUP_FILE,
        "groupSearch": GROUP_SEARCH,
        "savedSearch": SAVED_SEARCH,
        "runtime": {"prefix": runtime_dir, "version": runtime_dir.rstrip("/").rsplit("/", 1)[-1], "files": runtime},
    }


def write_service_worker(site_dir: Path, manifest: dict[str, Any]) -> None:
    """``sw.js`` at the site root: the template with the manifest and the message names filled in."""
    template = "\n".join(source.read_text(encoding="utf-8") for source in SERVICE_WORKER_SOURCES)
    filled = {
        assets.MANIFEST_PREFIX: json.dumps(manifest, indent=1),
        "const MESSAGES = ": json.dumps(protocol.SERVICE_WORKER_MESSAGES),
    }
    lines = template.splitlines(keepends=True)
    for prefix, value in filled.items():
        at = next((i for i, line in enumerate(lines) if line.startswith(prefix) and INSERTED in line), None)
        if at is None:
            raise PluginError(f"{SERVICE_WORKER_SOURCES[0]}: no line `{prefix}… ({INSERTED})` to fill in")
        lines[at] = lines[at].replace(INSERTED, value)
    template = "".join(lines)
    names = ", ".join(source.name for source in SERVICE_WORKER_SOURCES)
    header = f"// DO NOT EDIT — generated by scripts/guideline_site/offline.py from {names}\n"
    (site_dir / assets.SERVICE_WORKER).write_text(header + template, encoding="utf-8")
