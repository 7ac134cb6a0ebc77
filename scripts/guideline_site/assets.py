"""Build steps that produce the calculator's runtime files, independent of MkDocs.

* ``pyodide_runtime``: the Pyodide files the package ships (``guideline_site.runtime``),
  unpacked into the build cache and checked against their recorded sha256.
* ``build_wheel``: the installed ``calculator`` package as a pure ``py3-none-any`` wheel,
  written directly, reproducible and cached by source hash; ``check_calculator_starts``
  starts it as the browser's worker does, in an isolated interpreter.
* ``protocol_module``: the JavaScript twin of ``calculator.protocol``.
* ``app_icon``: the web app manifest's icons, drawn as PNG.
* ``compress_site``: ``.br`` and ``.gz`` copies of the built files.
* ``service_worker_manifest``: what a built site's service worker precaches.

Every failure raises ``BuildError`` with a message that says what to run.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.resources
import inspect
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from calculator import __version__, contract, protocol, text
from guideline_site import deploy, runtime


class BuildError(RuntimeError):
    """A build step cannot run; the message says what to do."""


def pinned_pyodide_version(project_root: Path) -> str:
    """The exact Pyodide version this repository's ``package.json`` pins (the one source of that
    number: ``scripts/vendor_runtime.py`` ships it in ``guideline_site/runtime/``)."""
    package = json.loads((project_root / "package.json").read_text(encoding="utf-8"))
    version = package.get("dependencies", {}).get("pyodide")
    if not isinstance(version, str) or not version[:1].isdigit():
        raise BuildError('package.json must pin pyodide to an exact version, e.g. "314.0.7"')
    return version


def pyodide_runtime(cache: Path) -> runtime.PyodideRuntime:
    """The Pyodide runtime the package ships, unpacked into ``cache`` and checked (``guideline_site.runtime``)."""
    try:
        return runtime.unpack(cache / "runtime", compressed_cache=cache / "compressed")
    except runtime.RuntimeFilesError as error:
        raise BuildError(str(error)) from error


def cache_dir(project_root: Path) -> Path:
    """Where build steps keep results between builds (wheel, compressed files).

    ``GUIDELINE_SITE_CACHE`` overrides it, so that test builds of project copies share
    the main checkout's cache instead of recompressing the runtime each time.
    """
    override = os.environ.get("GUIDELINE_SITE_CACHE")
    return Path(override) if override else project_root / "build" / "site-cache"


def _calculator_sources() -> dict[str, bytes]:
    """The installed engine's files by their path in the wheel (``calculator/...``): the browser
    runs exactly the engine the build itself imported, wherever it is installed."""
    sources: dict[str, bytes] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if item.is_dir():
                if item.name != "__pycache__":
                    walk(item, f"{prefix}{item.name}/")
            elif not item.name.endswith(".pyc"):
                sources[prefix + item.name] = item.read_bytes()

    walk(importlib.resources.files("calculator"), "calculator/")
    return sources


def _source_digest(sources: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in sources.items():
        digest.update(name.encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def wheel_name() -> str:
    return f"guideline_calculator-{__version__}-py3-none-any.whl"


def build_wheel(cache_dir: Path) -> Path:
    """The installed calculator package (and nothing else) as a pure ``py3-none-any`` wheel; return its path.

    Written directly, with fixed timestamps and file order, so the same sources always give the
    same bytes; cached by source hash. The browser's worker only unpacks it into site-packages.
    """
    sources = _calculator_sources()
    out_dir = cache_dir / f"wheel-{_source_digest(sources)}"
    wheel = out_dir / wheel_name()
    if wheel.is_file():
        return wheel
    out_dir.mkdir(parents=True, exist_ok=True)
    dist_info = f"guideline_calculator-{__version__}.dist-info"
    members = dict(sources)
    members[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: guideline-calculator\nVersion: {__version__}\nRequires-Python: >=3.11\n"
    ).encode()
    members[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: scripts/guideline_site/assets.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = [
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}"
        for name, data in members.items()
    ]
    members[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()
    partial = wheel.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    partial.replace(wheel)
    return wheel


START_CHECK = """
import json, sys
sys.path.insert(0, sys.argv[1])
from calculator.browser import create_session
job = json.load(sys.stdin)
for guideline in job["guidelines"]:
    source, filename, sentences = guideline["source"], guideline["filename"], guideline["sentences"]
    session = create_session(source, filename, sentences, "build", job["catalogue"])
    json.loads(session.schema())
    if json.loads(session.evaluate("{}"))["format"] != job["format"]:
        raise SystemExit(guideline["filename"] + ": the engine answered in another format")
"""
"""What the browser's worker does once Pyodide has started (``theme/assets/calculator/worker.mjs``):
the wheel unpacked alone onto the path, ``calculator.browser.create_session`` per guideline, a
schema and an evaluation. Run by an isolated interpreter (``-I -S``: the standard library and
the wheel, nothing installed), so a guideline that imports anything else fails the build."""


def check_calculator_starts(wheel: Path, guidelines: list[dict[str, str]], *, catalogue: text.Catalogue) -> None:
    """Raise ``BuildError`` unless every guideline starts from ``wheel`` as the browser starts it.

    ``guidelines``: ``{"filename", "source", "sentences"}`` each (the module's published path, its
    text, the build's ``sentences.json``); ``catalogue`` the words the page hands the worker. A site
    whose calculator cannot start is never built."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="guideline-site-start-") as folder:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(folder)
        job = {
            "catalogue": json.dumps(catalogue.to_json(), ensure_ascii=False),
            "guidelines": guidelines,
            "format": contract.EVALUATION_FORMAT,
        }
        completed = subprocess.run(
            [sys.executable, "-I", "-S", "-c", START_CHECK, folder],
            input=json.dumps(job),
            capture_output=True,
            text=True,
        )
    if completed.returncode != 0:
        lines = [line for line in completed.stderr.strip().splitlines() if line.strip()]
        raise BuildError(
            "the calculator would not start in the browser, whose Python has only the standard library and the "
            f"calculator engine: {lines[-1] if lines else 'exit status ' + str(completed.returncode)}"
        )


def _camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(part.title() for part in rest)


def protocol_constants(
    pyodide_version: str,
    *,
    boot_timeout: int = protocol.BOOT_TIMEOUT_SECONDS,
    result_event_origins: Sequence[str] = (),
) -> dict[str, Any]:
    """The constants of ``calculator.protocol`` as ``protocol.mjs`` exports them (the boot
    timeout and the origins an embedded calculator sends results to as the site's
    configuration sets them)."""
    return {
        "PROTOCOL_VERSION": protocol.PROTOCOL_VERSION,
        "STATES": {state: state for state in protocol.STATES},
        "BOOT_STEP": {_camel(step): step for step in protocol.BOOT_STEPS},
        "BOOT_TIMEOUT_SECONDS": boot_timeout,
        "MESSAGES": protocol.MESSAGES,
        "EMBED_MESSAGES": protocol.EMBED_MESSAGES,
        "RESULT_EVENT_ORIGINS": list(result_event_origins),
        "LINK_MAX_ANSWERS": protocol.LINK_MAX_ANSWERS,
        "LINK_MAX_CHARACTERS": protocol.LINK_MAX_CHARACTERS,
        "PYODIDE_VERSION": pyodide_version,
        "CALCULATOR_VERSION": __version__,
        "SNAPSHOT_FOLDER": SNAPSHOT_FOLDER,
    }


def _generated_module(constants: dict[str, Any], source: str) -> str:
    lines = [
        f"// DO NOT EDIT — generated by scripts/guideline_site/assets.py from {source},",
        "// so that Python and JavaScript share one definition.",
    ]
    for name, value in constants.items():
        literal = json.dumps(value, ensure_ascii=False)
        frozen = f"Object.freeze({literal})" if isinstance(value, dict | list) else literal
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            lines.append("/** @type {readonly string[]} */")  # typed even when empty
        lines.append(f"export const {name} = {frozen};")
    return "\n".join(lines) + "\n"


def protocol_module(
    pyodide_version: str, *, boot_timeout: int = protocol.BOOT_TIMEOUT_SECONDS, result_event_origins: Sequence[str] = ()
) -> str:
    """``protocol.mjs``: the constants of ``calculator.protocol`` for the page and worker."""
    origins = result_event_origins
    constants = protocol_constants(pyodide_version, boot_timeout=boot_timeout, result_event_origins=origins)
    return _generated_module(constants, "calculator/protocol.py, package.json and mkdocs.yml")


SNAPSHOT_CACHE_PREFIX = "snapshot:"
"""Cache names of memory snapshots (after the site's own ``<scope path>:``): the worker, the
service worker and the offline page find them by it."""

SNAPSHOT_FOLDER = "calculator-snapshots"
"""The folder of the origin private file system where the calculator worker keeps a snapshot's
bytes, in a file named after the snapshot's cache, URI-encoded (``encodeURIComponent``). The
worker (``protocol.mjs``), the service worker (its manifest) and the offline page (its script
tag) are given this one name; whatever deletes a snapshot's cache deletes its file."""


def snapshot_cache(inputs: dict[str, str]) -> str:
    """The name of the cache a calculator page's memory snapshot is kept in (README, "Snapshot
    start"): ``snapshot:`` and a digest of every input the snapshot's interpreter depends on,
    each given as its sha256 (the runtime's files, the wheel, the worker, the site's words, the
    guideline module and its sentences). A build that changes any of them names another cache,
    so a device never restores a stale interpreter; the service worker deletes the caches a new
    build no longer names."""
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    return SNAPSHOT_CACHE_PREFIX + digest[:32]


def catalogue_module(catalogue: text.Catalogue) -> str:
    """``catalogue.mjs``: the machinery's words in the site's language (``calculator.text``), the
    site's own overrides included; the page reads it and hands it to the worker."""
    source = f"calculator/locales/{catalogue.language}.json and the site's locales/"
    return _generated_module({"CATALOGUE": catalogue.to_json()}, source)


def typescript_declarations() -> str:
    """``contract.d.mts``: TypeScript types of the public interfaces, from their JSON Schemas
    (``calculator.contract``), so the browser code is type-checked against the same contract."""
    definitions: dict[str, Any] = {}
    for make in contract.SCHEMAS.values():
        definitions.update(make().get("$defs", {}))
    lines = ["// DO NOT EDIT — generated by scripts/guideline_site/assets.py from calculator/contract.py.", ""]
    for name, schema in definitions.items():
        if "description" in schema:
            lines.append(f"/** {schema['description']} */")
        lines.append(f"export type {name} = {_typescript(schema)};")
    return "\n".join(lines) + "\n"


def _typescript(schema: dict[str, Any]) -> str:
    """The TypeScript type of the JSON Schema subset ``calculator.contract`` uses."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "const" in schema:
        return json.dumps(schema["const"])
    if "anyOf" in schema or "oneOf" in schema:
        return " | ".join(_typescript(part) for part in schema.get("anyOf", schema.get("oneOf", [])))
    kind = schema.get("type")
    if kind == "object":
        if "properties" not in schema:
            return "Record<string, unknown>"
        required = set(schema.get("required", []))
        fields = [
            f"{name}{'' if name in required else '?'}: {_typescript(part)}"
            for name, part in schema["properties"].items()
        ]
        return "{ " + "; ".join(fields) + " }"
    if kind == "array":
        return f"{_typescript(schema['items'])}[]"
    if kind in {"number", "integer"}:
        return "number"
    if kind in {"string", "boolean", "null"}:
        return str(kind)
    return "unknown"


PROTOCOL_IMPORT = re.compile(r'^import \{ ([A-Z_, ]+) \} from "\./protocol\.mjs";$', re.MULTILINE)


def inline_protocol(source: str, protocol_js: str) -> str:
    """A module with its ``import {...} from "./protocol.mjs"`` replaced by the constants.

    Used for the worker, whose module graph is on the critical path to "ready".
    """
    match = PROTOCOL_IMPORT.search(source)
    if match is None:
        raise BuildError('worker.mjs: expected `import { ... } from "./protocol.mjs";` to inline')
    wanted = {name.strip() for name in match.group(1).split(",")}
    constants = [
        line.removeprefix("export ")
        for line in protocol_js.splitlines()
        if line.startswith("export const ") and line.split()[2] in wanted
    ]
    note = "// protocol.mjs constants, inlined by scripts/guideline_site/assets.py (one request fewer at boot):"
    return source[: match.start()] + "\n".join([note, *constants]) + source[match.end() :]


WORKER_MODULES = ("snapshot-pages.mjs",)
"""Modules the worker imports that the build inlines into it (they import nothing themselves)."""


def inline_module(source: str, name: str, module_js: str) -> str:
    """A module with its ``import {...} from "./<name>"`` replaced by that module's code, its
    ``export`` keywords dropped. Every imported name must be one the module exports."""
    pattern = re.compile(rf'^import \{{ ([A-Za-z_, ]+) \}} from "\./{re.escape(name)}";$', re.MULTILINE)
    match = pattern.search(source)
    if match is None:
        raise BuildError(f'worker.mjs: expected `import {{ ... }} from "./{name}";` to inline')
    for wanted in (part.strip() for part in match.group(1).split(",")):
        if not re.search(rf"^export (?:const|(?:async )?function) {wanted}\b", module_js, re.MULTILINE):
            raise BuildError(f"worker.mjs imports {wanted} from {name}, which does not export it")
    if re.search(r"^import ", module_js, re.MULTILINE):
        raise BuildError(f"{name}: a module inlined into the worker imports nothing")
    code = re.sub(r"^export ", "", module_js, flags=re.MULTILINE)
    note = f"// {name}, inlined by scripts/guideline_site/assets.py (one request fewer at boot):"
    return source[: match.start()] + note + "\n" + code.rstrip("\n") + source[match.end() :]


# --- Icons for the web app manifest, drawn here so the site needs no external asset --------


def _png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int, int]]) -> bytes:
    """An RGBA PNG from a pixel function (stdlib only; deterministic bytes)."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


THEME_COLOR = "#3f51b5"
"""The web app's colour by default (Material's indigo): its icons, manifest and theme-color."""
ICON_SIZES = (192, 512)


def app_icon(size: int, *, maskable: bool = False, colour: str = THEME_COLOR) -> bytes:
    """The site's icon: a white cross on ``colour`` (``#rrggbb``).

    The maskable variant fills the whole square and keeps the cross inside the central
    safe zone (80%), as launchers crop it to their own shape.
    """
    background = (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16), 255)
    white = (255, 255, 255, 255)
    clear = (0, 0, 0, 0)
    radius = 0 if maskable else size * 0.18
    arm = size * (0.09 if maskable else 0.11)
    reach = size * (0.26 if maskable else 0.32)
    centre = (size - 1) / 2

    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        dx, dy = abs(x - centre), abs(y - centre)
        corner_x, corner_y = max(0.0, dx - (centre - radius)), max(0.0, dy - (centre - radius))
        if radius and corner_x * corner_x + corner_y * corner_y > radius * radius:
            return clear
        if (dx <= arm and dy <= reach) or (dy <= arm and dx <= reach):
            return white
        return background

    return _png(size, size, pixel)


def cached_icon(size: int, *, maskable: bool, colour: str = THEME_COLOR, cache: Path) -> bytes:
    """``app_icon`` through the build cache: drawing pixel by pixel in Python takes ~0.3 s."""
    drawing = hashlib.sha256((inspect.getsource(app_icon) + colour).encode()).hexdigest()[:12]
    path = cache / "icons" / f"icon-{size}{'-maskable' if maskable else ''}-{drawing}.png"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(app_icon(size, maskable=maskable, colour=colour))
    return path.read_bytes()


def web_app_manifest(
    name: str, description: str, colour: str, icons: list[dict[str, str]], catalogue: text.Catalogue
) -> str:
    """``manifest.webmanifest``: the site installs to a home screen (an iPad's too) and opens alone,
    named in the site's language."""
    manifest = {
        "name": name,
        "short_name": catalogue.text("manifest.short_name"),
        "lang": catalogue.language,
        "description": description,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": colour,
        "icons": icons,
    }
    return json.dumps(manifest, indent=2)


# --- Precompressed copies for servers that serve them (nginx gzip_static/brotli_static) ---

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".zip", ".py", ".svg", ".xml", ".txt", ".webmanifest")
"""Suffixes worth compressing. (The wheel is a zip of tiny files: its compressed form gains little.)"""

MIN_COMPRESS_BYTES = 1024

NOT_COMPRESSED = (deploy.NOT_FOUND_PAGE,)
"""Left plain: servers rewrite its <base> (nginx sub_filter), which they cannot do to a .gz/.br."""


def compress_site(site_dir: Path, cache_dir: Path) -> int:
    """Write ``<file>.br`` (brotli, quality 11) and ``<file>.gz`` beside every compressible file.

    Each is kept only if smaller than the original. Results are cached by content hash,
    so only changed files cost time (brotli at quality 11 takes ~20 s on the 9.6 MB wasm).
    Returns the number of files compressed.
    """
    import brotli  # a build dependency (pyproject: dev extras)

    cache_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSIBLE or path.stat().st_size < MIN_COMPRESS_BYTES:
            continue
        if path.relative_to(site_dir).as_posix() in NOT_COMPRESSED:
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        for suffix, compress in (
            (".br", lambda d: brotli.compress(d, quality=11)),
            (".gz", lambda d: gzip.compress(d, compresslevel=9, mtime=0)),
        ):
            cached = cache_dir / f"{digest}{suffix}"
            if not cached.is_file():
                cached.write_bytes(compress(data))
            compressed = cached.read_bytes()
            if len(compressed) < len(data):
                path.with_name(path.name + suffix).write_bytes(compressed)
        count += 1
    return count


SERVICE_WORKER = "sw.js"
"""The service worker, at the site root; its ``MANIFEST`` is written in by the build."""
MANIFEST_PREFIX = "const MANIFEST = "


def service_worker_manifest(site_dir: Path) -> dict[str, Any]:
    """The ``MANIFEST`` (build id, precache and runtime lists) in a built site's service worker."""
    worker = (site_dir / SERVICE_WORKER).read_text(encoding="utf-8")
    line = worker.index(MANIFEST_PREFIX)
    start = worker.index("{", line)  # `const MANIFEST = /** @type {Manifest} */ ({...});`
    start = worker.index("(", start) + 1
    manifest: dict[str, Any] = json.loads(worker[start : worker.index(");\n", start)])
    return manifest
