"""MkDocs hooks that turn guideline folders into pages with a working calculator.

A guideline is a folder under ``content/`` holding its Markdown and a
``guideline.py``. One front matter line wires it into the site: the page that says
``calculator: guideline.py`` gets the step-by-step form, rendered here from the Python
schema so that it shows before Python has started in the browser. For each such
guideline the build also

* generates a decision table page (``decision-table/``) from the same rules, readable
  without JavaScript and linked both ways with the guideline's marked sentences;
* ships ``guideline.py`` and ``sentences.json`` (the marked sentences, for quotes)
  beside the pages, for the browser's worker;
* checks the guideline: authoring mistakes, source anchors missing from the rendered
  page, rules no answer set can reach (``calculator.explore``).

A page that says ``guideline: guideline.py`` (the guideline text) gets the author,
source, version and review date under its title and in its ``<head>``. The hooks also
ship what the browser needs, from the site itself (never a CDN): the Pyodide runtime
pinned in ``package.json``, the calculator wheel, and ``protocol.mjs``.

Nothing here knows any particular guideline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import site_assets
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

import deploy
from calculator import __version__, contract, fhir, protocol, text
from calculator.explore import Exploration, explore, reachability_problems
from calculator.export import changes, decision_logic, decision_table_csv, without_build_details
from calculator.fragment import encode_fragment
from calculator.kinds import kind_of, kinds
from calculator.loader import load_guideline
from calculator.model import Guideline, GuidelineDefinitionError
from calculator.schema import schema

log = logging.getLogger("mkdocs.hooks.guideline_site")

CALCULATOR_MARKER = "<!-- calculator -->"
DECISION_TABLE_MARKER = "<!-- decision-table -->"
ASSETS_DIR = "assets/calculator"
DECISION_TABLE_PAGE = "decision-table.md"
EMBED_PAGE = "embed.md"
CHANGES_PAGE = "changes.md"
RELEASES_DIR = "releases"
GUIDELINES_MARKER = "<!-- guidelines -->"
CHANGES_MARKER = "<!-- changes -->"
SENTENCES_FILE = "sentences.json"
EXPORTS = {
    "logic": "decision-logic.json",
    "csv": "decision-table.csv",
    "questionnaire": "fhir/Questionnaire.json",
    "plan": "fhir/PlanDefinition.json",
}
"""Computable exports written beside each guideline's pages."""
NOT_PUBLISHED = ("vignettes.json",)
"""Files of a guideline folder that are test data, never part of the site."""
NOT_PUBLISHED_DIRS = ("releases",)
"""Folders of a guideline folder kept for the record (release records), not published."""

_HTML_ID = re.compile(r'\bid="([^"]+)"')
_MARKED = re.compile(r'(<span class="rec" id="([^"]+)">.*?</span>)', re.DOTALL)


@dataclass(frozen=True, kw_only=True, slots=True)
class GuidelineSite:
    """One guideline wired into the site, and the files the build made for it."""

    guideline: Guideline
    exploration: Exploration
    calculator_uri: str
    """``src_uri`` of the page with ``calculator:`` in its front matter."""
    module_uri: str
    source_uri: str
    """``src_uri`` of the page whose marked sentences the entries cite."""
    decision_table_uri: str
    embed_uri: str
    """``src_uri`` of the chrome-less calculator page for iframes."""
    changes_uri: str
    releases_dir: Path
    """``content/<guideline>/releases``: the recorded decision logic of each release."""
    sentences_uri: str


class _BuildState:
    """What one build collects across events (hooks are module-level, so reset per build)."""

    def __init__(self) -> None:
        self.runtime_dir = ""
        self.pyodide_version = ""
        self.wheel_uri = ""
        self.guidelines: list[GuidelineSite] = []
        self.page_ids: dict[str, set[str]] = {}

    def by_page(self, src_uri: str) -> tuple[GuidelineSite, str] | None:
        """The guideline a page belongs to, and the page's role in it."""
        for site in self.guidelines:
            for role, uri in (
                ("calculator", site.calculator_uri),
                ("decision_table", site.decision_table_uri),
                ("embed", site.embed_uri),
                ("changes", site.changes_uri),
                ("source", site.source_uri),
            ):
                if uri == src_uri:
                    return site, role
        return None


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
    try:
        text.use_language(str(config.theme["language"]))
    except text.CatalogueError as error:
        raise PluginError(f"theme.language: {error}") from error
    # For the templates: shown in every page's offline status line.
    config.extra["calculator_version"] = __version__
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the runtime, the wheel, the protocol module, and each guideline's generated files."""
    root = _project_root(config)
    try:
        runtime = site_assets.pyodide_runtime(root)
        wheel = site_assets.build_wheel(root, site_assets.cache_dir(root))
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
    language = str(config.theme["language"])
    files.append(File.generated(config, f"{ASSETS_DIR}/catalogue.mjs", content=site_assets.catalogue_module(language)))
    for name, make_schema in contract.SCHEMAS.items():
        schema_json = json.dumps(make_schema(), indent=1, ensure_ascii=False)
        files.append(File.generated(config, f"{ASSETS_DIR}/schema/{name}.schema.json", content=schema_json))
    # The worker gets the protocol inlined: one request fewer before Python can start.
    worker = files.get_file_from_path(f"{ASSETS_DIR}/worker.mjs")
    if worker is not None and worker.abs_src_path:
        source = Path(worker.abs_src_path).read_text(encoding="utf-8")
        files.remove(worker)
        inlined = site_assets.inline_protocol(source, protocol_js)
        files.append(File.generated(config, f"{ASSETS_DIR}/worker.mjs", content=inlined))

    _add_web_app_files(files, config)
    for file in list(files):
        parts = file.src_uri.split("/")
        if parts[-1] in NOT_PUBLISHED or any(part in NOT_PUBLISHED_DIRS for part in parts[:-1]):
            files.remove(file)
    for page_file in list(files.documentation_pages()):
        module_name = _front_matter(page_file).get("calculator")
        if module_name is not None:
            _add_guideline(page_file, module_name, files, config)
    return files


ICON_SIZES = (192, 512)
THEME_COLOR = "#3f51b5"


def _add_web_app_files(files: Files, config: MkDocsConfig) -> None:
    """The web app manifest and its icons, drawn here: installable with no external asset."""
    icons = []
    for size in ICON_SIZES:
        for purpose in ("any", "maskable"):
            name = f"assets/site/icon-{size}{'-maskable' if purpose == 'maskable' else ''}.png"
            content = site_assets.cached_icon(
                size, maskable=purpose == "maskable", cache=site_assets.cache_dir(_project_root(config))
            )
            files.append(File.generated(config, name, content=content))
            icons.append({"src": name, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose})
    manifest = {
        "name": config.site_name,
        "short_name": "Guidelines",
        "description": config.site_description or "",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    files.append(File.generated(config, "manifest.webmanifest", content=json.dumps(manifest, indent=2)))


def _front_matter(file: File) -> dict[str, Any]:
    if not file.abs_src_path:
        return {}
    _, meta = get_data(Path(file.abs_src_path).read_text(encoding="utf-8-sig"))
    return meta


def _folder_uri(src_uri: str) -> str:
    return src_uri.rsplit("/", 1)[0] + "/" if "/" in src_uri else ""


def _load(page_file: File, module_name: object) -> Guideline:
    where = page_file.src_uri
    if not isinstance(module_name, str) or "/" in module_name:
        raise PluginError(f"{where}: front matter `calculator:` must name a module file beside it")
    folder = Path(page_file.abs_src_path or "").parent
    try:
        return load_guideline(folder / module_name)
    except GuidelineDefinitionError as error:
        raise PluginError(f"{where}: {error}") from error
    except Exception as error:  # an author's module that fails to run: say where
        raise PluginError(f"{where}: {module_name} could not be loaded: {error!r}") from error


def _add_guideline(page_file: File, module_name: object, files: Files, config: MkDocsConfig) -> None:
    guideline = _load(page_file, module_name)
    folder = _folder_uri(page_file.src_uri)
    module_uri = folder + str(module_name)
    source_uri = folder + guideline.source_page
    for uri, what in ((module_uri, "guideline module"), (source_uri, "source_page")):
        if files.get_file_from_path(uri) is None:
            raise PluginError(f"{page_file.src_uri}: {what} {uri} is not in the site")
    exploration = explore(guideline)
    problems = reachability_problems(guideline, exploration)
    if problems:
        module_path = Path(page_file.abs_src_path or "").parent / str(module_name)
        source = module_path.read_text(encoding="utf-8")
        located = [problem.located(source, str(module_path)) for problem in problems]
        raise PluginError(f"{page_file.src_uri}: guideline {guideline.id!r}:\n  - " + "\n  - ".join(located))

    site = GuidelineSite(
        guideline=guideline,
        exploration=exploration,
        calculator_uri=page_file.src_uri,
        module_uri=module_uri,
        source_uri=source_uri,
        decision_table_uri=folder + DECISION_TABLE_PAGE,
        embed_uri=folder + EMBED_PAGE,
        changes_uri=folder + CHANGES_PAGE,
        releases_dir=Path(page_file.abs_src_path or "").parent / RELEASES_DIR,
        sentences_uri=folder + SENTENCES_FILE,
    )
    _state.guidelines.append(site)
    sentences = {
        "generated_by": "DO NOT EDIT: generated by scripts/guideline_site.py from " + source_uri,
        "sentences": guideline.sentences,
    }
    files.append(File.generated(config, site.sentences_uri, content=json.dumps(sentences, ensure_ascii=False)))
    # Computable exports, published beside the guideline (see README, "Computable exports").
    logic = decision_logic(guideline)
    exports = {
        EXPORTS["logic"]: json.dumps(logic, indent=1, ensure_ascii=False),
        EXPORTS["csv"]: decision_table_csv(logic),
        EXPORTS["questionnaire"]: json.dumps(fhir.questionnaire(guideline), indent=1, ensure_ascii=False),
        EXPORTS["plan"]: json.dumps(fhir.plan_definition(guideline), indent=1, ensure_ascii=False),
    }
    for name, content in exports.items():
        files.append(File.generated(config, folder + name, content=content))
    info = guideline.info
    short = info.short_title
    pages = (
        (
            site.decision_table_uri,
            {
                "title": f"{short} decision table",
                "description": f"Every question, rule and recommendation of the {short} calculator, "
                "with the guideline sentence each comes from.",
            },
            f"# {short} decision table\n\n{DECISION_TABLE_MARKER}",
            InclusionLevel.UNDEFINED,
        ),
        (
            site.changes_uri,
            {
                "title": f"What changed in {short}",
                "description": f"Recommendations added, removed and reworded between releases of {short}.",
            },
            f"# What changed in {short}\n\n{CHANGES_MARKER}",
            InclusionLevel.UNDEFINED,
        ),
        (
            site.embed_uri,
            {"title": f"{short} calculator (embedded)", "template": "embed.html", "search": {"exclude": True}},
            CALCULATOR_MARKER,
            InclusionLevel.NOT_IN_NAV,
        ),
    )
    for uri, front_matter, body, inclusion in pages:
        content = f"---\n{json.dumps(front_matter, ensure_ascii=False)}\n---\n\n{body}\n"  # JSON is YAML
        files.append(File.generated(config, uri, content=content, inclusion=inclusion))


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Name each guideline's section by its short title and order its pages."""
    for site in _state.guidelines:
        order = [site.source_uri, site.calculator_uri, site.decision_table_uri, site.changes_uri]
        for section in _sections(nav.items):
            if site.calculator_uri in [_src_uri(child) for child in section.children]:
                section.title = site.guideline.info.short_title
                section.children.sort(key=lambda child, order=order: _rank(_src_uri(child), order))  # type: ignore[misc]
    return nav


def _src_uri(item: Any) -> str | None:
    file = getattr(item, "file", None)
    return getattr(file, "src_uri", None)


def _rank(uri: str | None, order: list[str]) -> int:
    return order.index(uri) if uri in order else len(order)


def _sections(items: list[Any]) -> list[Section]:
    found = []
    for item in items:
        if isinstance(item, Section):
            found.append(item)
            found += _sections(item.children)
    return found


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    found = _state.by_page(page.file.src_uri)
    if found is None and "guideline" not in page.meta:
        return markdown
    info = found[0].guideline.info if found is not None else _load(page.file, page.meta["guideline"]).info
    page.meta.setdefault("review_date", info.review_date)
    page.meta.setdefault("content_version", info.content_version)
    page.meta["guideline_info"] = info
    if found is not None and found[1] in {"calculator", "embed"}:
        page.meta["calculator_widget"] = True
        # The form and its summary need the width; the page's table of contents adds nothing.
        page.meta["hide"] = sorted({*page.meta.get("hide", []), "toc"})
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    _state.page_ids[page.file.src_uri] = set(_HTML_ID.findall(html))
    found = _state.by_page(page.file.src_uri)
    if GUIDELINES_MARKER in html:
        html = html.replace(GUIDELINES_MARKER, _render_guideline_list(page, config, files), 1)
    info = page.meta.get("guideline_info")
    if info is not None and (found is None or found[1] != "embed"):
        box = _template(config, "partials/guideline-info.html").render(info=info)
        html = _after_title(html, box)
    if found is None:
        return html
    site, role = found
    if role in {"calculator", "embed"}:
        return _insert(html, CALCULATOR_MARKER, _render_widget(site, page, config, files, embedded=role == "embed"))
    if role == "decision_table":
        return _insert(html, DECISION_TABLE_MARKER, _render_decision_table(site, page, config, files))
    if role == "changes":
        return _insert(html, CHANGES_MARKER, _render_changes(site, config))
    return _link_sentences_to_rules(html, site, page, files)


def _template(config: MkDocsConfig, name: str) -> Any:
    env = config.theme.get_env()
    env.globals["t"] = text.t  # the machinery's words (calculator/locales)
    return env.get_template(name)


def _insert(html: str, marker: str, fragment: str) -> str:
    return html.replace(marker, fragment, 1) if marker in html else html + fragment


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


def rule_anchor(rule_id: str) -> str:
    """The decision table's row id for a rule (``calculator.explore.rule_ids``)."""
    return "rule-" + rule_id.replace(".", "-")


def _site_urls(site: GuidelineSite, page: Page, files: Files) -> dict[str, str]:
    return {
        "source": _url(files, page, site.source_uri),
        "calculator": _url(files, page, site.calculator_uri),
        "decision_table": _url(files, page, site.decision_table_uri),
    }


def _render_widget(
    site: GuidelineSite, page: Page, config: MkDocsConfig, files: Files, *, embedded: bool = False
) -> str:
    # What the <head> needs to start Python before the page is parsed (theme/main.html).
    page.meta["calculator_boot"] = {
        "runtime": get_relative_url(_state.runtime_dir, page.url).rstrip("/") + "/",
        "wheel": _url(files, page, _state.wheel_uri),
        "worker": _url(files, page, f"{ASSETS_DIR}/worker.mjs"),
        "message": protocol.MESSAGES["boot"],
        "protocol_version": protocol.PROTOCOL_VERSION,
        # Every module of the widget, fetched in parallel before widget.mjs asks for them.
        "modules": [_url(files, page, uri) for uri in _widget_modules(files)],
    }
    context: dict[str, Any] = {
        "embedded": embedded,
        "schema": schema(site.guideline),
        "kind_partials": {kind.name: kind.partial for kind in kinds().values()},
        "pyodide_version": _state.pyodide_version,
        "urls": {
            **_site_urls(site, page, files),
            "module": _url(files, page, site.module_uri),
            "sentences": _url(files, page, site.sentences_uri),
        },
    }
    return str(_template(config, "partials/calculator.html").render(context))


def _widget_modules(files: Files) -> list[str]:
    """The page's ES modules (``assets/calculator/*.mjs`` but the worker's), for modulepreload."""
    return sorted(
        file.src_uri
        for file in files
        if file.src_uri.startswith(f"{ASSETS_DIR}/")
        and file.src_uri.endswith(".mjs")
        and file.src_uri.count("/") == ASSETS_DIR.count("/") + 1
        and not file.src_uri.endswith("/worker.mjs")
    )


def _render_decision_table(site: GuidelineSite, page: Page, config: MkDocsConfig, files: Files) -> str:
    guideline = site.guideline
    cited_by: dict[str, list[dict[str, str]]] = {anchor: [] for anchor in guideline.sentences}

    def rule(rule_id: str, condition: Any, source: Any, **shown: Any) -> dict[str, Any]:
        example = site.exploration.examples.get(rule_id)
        row = {
            "id": rule_id,
            "anchor": rule_anchor(rule_id),
            "when": condition.describe(guideline),
            "source": source,
            "quote": guideline.sentences.get(source.anchor, "") if source else "",
            "example": encode_fragment(example) if example else None,
            **shown,
        }
        if source is not None:
            cited_by[source.anchor].append({"id": rule_id, "anchor": row["anchor"]})
        return row

    classifications = [
        {
            "id": c.id,
            "label": c.label,
            "rows": [rule(f"{c.id}.{k.id}", k.when, k.source, label=k.label, text=k.text) for k in c.categories],
        }
        for c in guideline.classifications
    ]
    findings = [rule(e.id, e.when, e.source, text=e.text, short=e.short) for e in guideline.findings]
    sections = [
        {
            "id": s.id,
            "title": s.title,
            "rows": [rule(e.id, e.when, e.source, text=e.text, short=e.short) for e in s.entries],
        }
        for s in guideline.sections
    ]
    for owner, source in guideline.sources():
        if owner.startswith("question "):
            cited_by[source.anchor].append({"id": owner, "anchor": "questions"})
    folder = _folder_uri(site.calculator_uri)
    context = {
        "schema": schema(guideline),
        "accepts": {q.id: kind_of(q).accepts_in_words(q) for q in guideline.questions},
        "exports": {key: _url(files, page, folder + name) for key, name in EXPORTS.items()},
        "urls": _site_urls(site, page, files),
        "classifications": classifications,
        "findings": findings,
        "sections": sections,
        "sentences": [
            {"anchor": anchor, "text": text, "rules": cited_by[anchor]} for anchor, text in guideline.sentences.items()
        ],
        "calculator_version": __version__,
        "samples": site.exploration.samples,
    }
    return str(_template(config, "partials/decision-table.html").render(context))


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


def _render_changes(site: GuidelineSite, config: MkDocsConfig) -> str:
    """Compare the current logic with the previous release record (see release_record.py)."""
    records = {
        path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(site.releases_dir.glob("*.json"))
    }
    current = without_build_details(decision_logic(site.guideline))
    version = site.guideline.info.content_version
    earlier = sorted((v for v in records if _version_key(v) < _version_key(version)), key=_version_key)
    previous = records[earlier[-1]] if earlier else None

    def described(logic: dict[str, Any], recorded: bool) -> dict[str, Any]:
        info = logic["guideline"]
        return {
            "version": info["content_version"],
            "review_date": info["review_date"],
            "reviewer": info["reviewer"],
            "recorded": recorded,
        }

    context = {
        "current": described(current, version in records),
        "previous": described(previous, True) if previous else None,
        "changes": changes(previous, current) if previous else None,
        "releases": [described(records[v], True) for v in sorted(records, key=_version_key, reverse=True)],
    }
    return str(_template(config, "partials/changes.html").render(context))


def _render_guideline_list(page: Page, config: MkDocsConfig, files: Files) -> str:
    """The home page's list of guidelines: every guideline wired into the site."""
    rows = [
        {
            "info": site.guideline.info,
            "urls": {
                **_site_urls(site, page, files),
                "changes": _url(files, page, site.changes_uri),
            },
        }
        for site in _state.guidelines
    ]
    return str(_template(config, "partials/guideline-list.html").render(rows=rows))


def _link_sentences_to_rules(html: str, site: GuidelineSite, page: Page, files: Files) -> str:
    """After each marked sentence of the guideline text, a link to the rules that use it."""
    table = _url(files, page, site.decision_table_uri)

    def link(match: re.Match[str]) -> str:
        anchor = match.group(2)
        return (
            f'{match.group(1)}<a class="gc-rules-link" href="{table}#sentence-{anchor}" '
            f'title="Calculator rules based on this sentence">rules</a>'
        )

    return _MARKED.sub(link, html)


_ROOT_ABSOLUTE = re.compile(r'\b(href|src|data-service-worker)="/(?!/)')


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Make 404.html work at any depth under any sub-path.

    Without ``site_url``, Material writes root-absolute links into 404.html, which break
    under a sub-path; relative links would break at depth, since a 404 is served at the
    missing page's URL. So its links become relative to a ``<base href="/">``, which the
    server rewrites to the site's sub-path (``scripts/deploy.py``: nginx sub_filter).
    """
    if template_name != "404.html":
        return output_content
    html = _ROOT_ABSOLUTE.sub(r'\1="', output_content)
    return html.replace("<head>", "<head>" + deploy.BASE_TAG, 1)


SERVICE_WORKER = site_assets.SERVICE_WORKER
REWRITTEN_BY_SERVERS = ("404.html",)
SERVICE_WORKER_TEMPLATE = Path(__file__).with_name("service_worker.js")


def on_post_build(config: MkDocsConfig) -> None:
    """Write the service worker with its precache list, then the precompressed copies."""
    site_dir = Path(config.site_dir)
    manifest = offline_manifest(site_dir, _state.runtime_dir)
    template = SERVICE_WORKER_TEMPLATE.read_text(encoding="utf-8")
    marker = f"{site_assets.MANIFEST_PREFIX}/* inserted by the build */ {{}};"
    if marker not in template:
        raise PluginError(f"{SERVICE_WORKER_TEMPLATE}: the line {marker!r} is missing")
    worker = template.replace(marker, f"{site_assets.MANIFEST_PREFIX}{json.dumps(manifest, indent=1)};")
    header = "// DO NOT EDIT — generated by scripts/guideline_site.py from scripts/service_worker.js\n"
    (site_dir / SERVICE_WORKER).write_text(header + worker, encoding="utf-8")
    root = _project_root(config)
    count = site_assets.compress_site(site_dir, site_assets.cache_dir(root) / "compressed")
    log.info(
        "offline: %d files precached, runtime of %d files on demand; %d files precompressed",
        len(manifest["precache"]),
        len(manifest["runtime"]["files"]),
        count,
    )


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


def offline_manifest(site_dir: Path, runtime_dir: str) -> dict[str, Any]:
    """What the service worker caches: every site file it may need, with its sha256 (SRI form).

    Directory URLs stand for their ``index.html``. The Pyodide runtime is listed apart,
    to be cached on demand. Precompressed copies, the worker itself and files nothing
    requests (``never_used_offline``) are left out.
    """
    precache: list[list[str]] = []
    runtime: list[list[str]] = []
    unused = never_used_offline(site_dir)
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir).as_posix()
        if not path.is_file() or relative == SERVICE_WORKER or path.suffix in {".br", ".gz"} or relative in unused:
            continue
        integrity = "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()
        if relative.startswith(runtime_dir):
            runtime.append([relative, integrity])
            continue
        if relative in REWRITTEN_BY_SERVERS:
            integrity = ""  # the server rewrites its <base> to the sub-path: no fixed hash
        is_index = relative == "index.html" or relative.endswith("/index.html")
        precache.append([relative.removesuffix("index.html") if is_index else relative, integrity])
    listing = json.dumps([precache, runtime]).encode()
    return {
        "build": hashlib.sha256(listing).hexdigest()[:16],
        "precache": precache,
        "runtime": {"prefix": runtime_dir, "version": runtime_dir.rstrip("/").rsplit("/", 1)[-1], "files": runtime},
    }


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Every page is converted by now: check that each source anchor exists in the HTML.

    The theme's templates get ``t``, the machinery's words in the site's language."""
    env.globals["t"] = text.t
    problems = []
    for site in _state.guidelines:
        ids = _state.page_ids.get(site.source_uri, set())
        for owner, source in site.guideline.sources():
            if source.anchor not in ids:
                problems.append(
                    f"{site.module_uri}: {owner} cites anchor {source.anchor!r}, which the rendered "
                    f"{site.source_uri} does not define: mark the sentence with "
                    f'<span class="rec" id="{source.anchor}">…</span>'
                )
    if problems:
        raise PluginError("broken source anchors:\n  " + "\n  ".join(problems))
    return env
