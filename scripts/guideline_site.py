"""MkDocs hooks that turn guideline folders into pages with a working calculator.

A guideline is a folder under ``content/`` holding its Markdown and a
``guideline.py``. A page whose front matter says ``calculator: guideline.py`` gets
the step-by-step form, rendered here from the Python schema so that it shows before
Python has started in the browser; a page that says ``guideline: guideline.py`` (the
guideline text) gets the guideline's author, source, version and review date under
its title, also as page metadata. These hooks also ship what the browser needs,
from the site itself (never a CDN): the Pyodide runtime pinned in ``package.json``,
the calculator wheel, and ``protocol.mjs``.

Nothing here knows any particular guideline.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import site_assets
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from calculator.loader import load_guideline
from calculator.model import Guideline, GuidelineDefinitionError
from calculator.schema import schema

log = logging.getLogger("mkdocs.hooks.guideline_site")

CALCULATOR_MARKER = "<!-- calculator -->"
ASSETS_DIR = "assets/calculator"
_HTML_ID = re.compile(r'\bid="([^"]+)"')


@dataclass(frozen=True, kw_only=True, slots=True)
class CalculatorPage:
    page: Page
    guideline: Guideline
    module_uri: str
    """``src_uri`` of the guideline module, shipped as a static file beside the pages."""
    source_uri: str
    """``src_uri`` of the page whose marked sentences the entries cite."""


class _BuildState:
    """What one build collects across events (hooks are module-level, so reset per build)."""

    def __init__(self) -> None:
        self.runtime_dir = ""
        self.pyodide_version = ""
        self.wheel_uri = ""
        self.calculators: dict[str, CalculatorPage] = {}
        self.page_ids: dict[str, set[str]] = {}


_state = _BuildState()


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_startup(command: str, dirty: bool) -> None:
    # `mkdocs serve` guesses types with `mimetypes`; module workers refuse `.mjs`
    # served as anything but JavaScript, and streaming compilation wants application/wasm.
    mimetypes.add_type("text/javascript", ".mjs")
    mimetypes.add_type("application/wasm", ".wasm")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    _state = _BuildState()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the Pyodide runtime, the calculator wheel and the generated protocol module."""
    root = _project_root(config)
    try:
        runtime = site_assets.pyodide_runtime(root)
        wheel = site_assets.build_wheel(root, root / "build" / "site-cache")
    except site_assets.BuildError as error:
        raise PluginError(str(error)) from error
    # The version is in the path so these large files can be cached as immutable.
    _state.pyodide_version = runtime.version
    _state.runtime_dir = f"assets/pyodide/{runtime.version}/"
    for path in runtime.files:
        files.append(File.generated(config, _state.runtime_dir + path.name, abs_src_path=str(path)))
    _state.wheel_uri = f"{ASSETS_DIR}/{wheel.name}"
    files.append(File.generated(config, _state.wheel_uri, abs_src_path=str(wheel)))
    protocol_js = site_assets.protocol_module(runtime.version)
    files.append(File.generated(config, f"{ASSETS_DIR}/protocol.mjs", content=protocol_js))
    return files


GUIDELINE_KEYS = ("calculator", "guideline")
"""Front matter keys that name a guideline module: with a form, or metadata only."""


def _load_for_page(page: Page, files: Files, key: str) -> CalculatorPage:
    module_name = page.meta[key]
    page_file = page.file
    folder = Path(page_file.abs_src_path or "").parent
    where = page_file.src_uri
    if not isinstance(module_name, str) or "/" in module_name:
        raise PluginError(f"{where}: front matter `{key}:` must name a module file beside it")
    try:
        guideline = load_guideline(folder / module_name)
    except GuidelineDefinitionError as error:
        raise PluginError(f"{where}: {error}") from error
    except Exception as error:  # an author's module that fails to run: say where
        raise PluginError(f"{where}: {module_name} could not be loaded: {error!r}") from error
    base = page_file.src_uri.rsplit("/", 1)[0] + "/" if "/" in page_file.src_uri else ""
    module_uri, source_uri = base + module_name, base + guideline.source_page
    for uri, what in ((module_uri, "guideline module"), (source_uri, "source_page")):
        if files.get_file_from_path(uri) is None:
            raise PluginError(f"{where}: {what} {uri} is not in the site")
    return CalculatorPage(page=page, guideline=guideline, module_uri=module_uri, source_uri=source_uri)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    for key in GUIDELINE_KEYS:
        if key in page.meta:
            loaded = _load_for_page(page, files, key)
            info = loaded.guideline.info
            page.meta.setdefault("review_date", info.review_date)
            page.meta.setdefault("content_version", info.content_version)
            page.meta["guideline_info"] = info
            if key == "calculator":
                _state.calculators[page.file.src_uri] = loaded
                page.meta["calculator_widget"] = True
            break
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    _state.page_ids[page.file.src_uri] = set(_HTML_ID.findall(html))
    info = page.meta.get("guideline_info")
    if info is not None:
        box = config.theme.get_env().get_template("partials/guideline-info.html").render(info=info)
        html = _after_title(html, box)
    calculator = _state.calculators.get(page.file.src_uri)
    if calculator is None:
        return html
    widget = _render_widget(calculator, config, files)
    if CALCULATOR_MARKER in html:
        return html.replace(CALCULATOR_MARKER, widget, 1)
    return html + widget


def _after_title(html: str, fragment: str) -> str:
    end = html.find("</h1>")
    if end < 0:
        return fragment + html
    end += len("</h1>")
    return html[:end] + fragment + html[end:]


def _url(files: Files, from_page: Page, src_uri: str) -> str:
    target = files.get_file_from_path(src_uri)
    if target is None:
        raise PluginError(f"{from_page.file.src_uri}: {src_uri} is not in the site")
    return get_relative_url(target.url, from_page.url)


def _render_widget(calculator: CalculatorPage, config: MkDocsConfig, files: Files) -> str:
    page = calculator.page
    runtime_url = get_relative_url(_state.runtime_dir, page.url)
    context: dict[str, Any] = {
        "schema": schema(calculator.guideline),
        "pyodide_version": _state.pyodide_version,
        "urls": {
            "runtime": runtime_url.rstrip("/") + "/",
            "wheel": _url(files, page, _state.wheel_uri),
            "module": _url(files, page, calculator.module_uri),
            "worker": _url(files, page, f"{ASSETS_DIR}/worker.mjs"),
            "source": _url(files, page, calculator.source_uri),
        },
    }
    template = config.theme.get_env().get_template("partials/calculator.html")
    return template.render(context)


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Every page is converted by now: check that each source anchor exists."""
    problems = []
    for calculator in _state.calculators.values():
        ids = _state.page_ids.get(calculator.source_uri, set())
        for owner, source in calculator.guideline.sources():
            if source.anchor not in ids:
                problems.append(
                    f"{calculator.module_uri}: {owner} cites anchor {source.anchor!r}, which "
                    f"{calculator.source_uri} does not define: mark the sentence with "
                    f'<span class="rec" id="{source.anchor}">…</span>'
                )
    if problems:
        raise PluginError("broken source anchors:\n  " + "\n  ".join(problems))
    return env
