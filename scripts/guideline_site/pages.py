"""What the plugin writes into pages: the form, the decision table, the change log, the list of
guidelines, and links from marked sentences to the rules that use them.

Each function renders one template of ``theme/partials/`` with the Jinja environment the
plugin makes once per build. Nothing here knows any particular guideline.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from html import escape as html_escape
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from calculator import __version__, protocol, text
from calculator.explore import Exploration
from calculator.export import changes, decision_logic, without_build_details
from calculator.fragment import encode_fragment
from calculator.kinds import kind_of, kinds
from calculator.model import Guideline
from calculator.schema import schema
from guideline_site.assets import WORKER_MODULES

ASSETS_DIR = "assets/calculator"
EXPORTS = {
    "logic": "decision-logic.json",
    "csv": "decision-table.csv",
    "questionnaire": "fhir/Questionnaire.json",
    "plan": "fhir/PlanDefinition.json",
}
"""Computable exports written beside each guideline's pages."""

_MARKED = re.compile(r'(<span class="rec" id="([^"]+)">.*?</span>)', re.DOTALL)


@dataclass(frozen=True, kw_only=True, slots=True)
class GuidelineSite:
    """One guideline wired into the site, and the files the build made for it."""

    guideline: Guideline
    exploration: Exploration
    folder: str
    """The guideline's folder under ``content/`` as a URI prefix (``<guideline>/``)."""
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

    def roles(self) -> dict[str, str]:
        """The guideline's pages by ``src_uri``: what each one is."""
        return {
            self.calculator_uri: "calculator",
            self.decision_table_uri: "decision_table",
            self.embed_uri: "embed",
            self.changes_uri: "changes",
            self.source_uri: "source",
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Runtime:
    """Where the build put what the browser runs."""

    runtime_dir: str
    """``assets/pyodide/<version>/``: the version is in the path, so these files are immutable."""
    pyodide_version: str
    wheel_uri: str
    boot_timeout: int
    download_bytes: int = 0
    """The runtime's files and the wheel, uncompressed: the total of the boot's download progress."""
    modules: tuple[str, ...] = ()
    """The widget's ES modules (``widget_modules``), found once per build."""


def url(files: Files, from_page: Page, src_uri: str) -> str:
    target = files.get_file_from_path(src_uri)
    if target is None:
        raise PluginError(f"{from_page.file.src_uri}: {src_uri} is not in the site")
    return get_relative_url(target.url, from_page.url)


def insert(html: str, marker: str, fragment: str) -> str:
    return html.replace(marker, fragment, 1) if marker in html else html + fragment


def after_title(html: str, fragment: str) -> str:
    end = html.find("</h1>")
    if end < 0:
        return fragment + html
    end += len("</h1>")
    return html[:end] + fragment + html[end:]


def rule_anchor(rule_id: str) -> str:
    """The decision table's row id for a rule (``calculator.explore.rule_ids``)."""
    return "rule-" + rule_id.replace(".", "-")


def site_urls(site: GuidelineSite, page: Page, files: Files) -> dict[str, str]:
    return {
        "source": url(files, page, site.source_uri),
        "calculator": url(files, page, site.calculator_uri),
        "decision_table": url(files, page, site.decision_table_uri),
    }


def widget_modules(files: Files) -> list[str]:
    """The page's ES modules (``assets/calculator/*.mjs`` but the worker's), for modulepreload."""
    return sorted(
        file.src_uri
        for file in files
        if file.src_uri.startswith(f"{ASSETS_DIR}/")
        and file.src_uri.endswith(".mjs")
        and file.src_uri.count("/") == ASSETS_DIR.count("/") + 1
        and file.src_uri.rsplit("/", 1)[1] not in ("worker.mjs", *WORKER_MODULES)
    )


def status_texts(runtime_bytes: int) -> list[str]:
    """Every text the status line shows while Python starts and once it is ready, the download's
    progress at its widest (as ``assets/calculator/status.mjs`` words them): the page lays them
    all out unseen so that the line keeps one height through the boot."""
    widest = f"{runtime_bytes / 1e6:.1f}"
    progress = text.t("status.progress", loaded=widest, total=widest)
    labels = [text.t(f"boot.{step}") for step in protocol.BOOT_STEPS if step != "ready"]
    starting = [text.t("status.starting", step=label + shown) for label in labels for shown in ("", progress)]
    return [text.t("calculator.starting"), *starting, text.t("status.ready")]


def widget(
    env: Any, site: GuidelineSite, page: Page, files: Files, runtime: Runtime, *, embedded: bool, snapshot_cache: str
) -> str:
    """The step-by-step form; also tells the page's ``<head>`` how to start Python early.

    ``snapshot_cache``: where the worker keeps its memory snapshot (``assets.snapshot_cache``),
    under the site root's path as the service worker's caches are."""
    page.meta["calculator_boot"] = {
        "site_root": get_relative_url(".", page.url),
        "snapshot_cache": snapshot_cache,
        "runtime": get_relative_url(runtime.runtime_dir, page.url).rstrip("/") + "/",
        "wheel": url(files, page, runtime.wheel_uri),
        "worker": url(files, page, f"{ASSETS_DIR}/worker.mjs"),
        "message": protocol.MESSAGES["boot"],
        "runtime_message": protocol.MESSAGES["runtime"],
        "protocol_version": protocol.PROTOCOL_VERSION,
        "runtime_bytes": runtime.download_bytes,
        # Every module of the widget, fetched in parallel before widget.mjs asks for them.
        "modules": [url(files, page, uri) for uri in runtime.modules],
    }
    context: dict[str, Any] = {
        "embedded": embedded,
        "schema": schema(site.guideline),
        "kind_partials": {kind.name: kind.partial for kind in kinds().values()},
        "pyodide_version": runtime.pyodide_version,
        "status_texts": status_texts(runtime.download_bytes),
        "urls": {
            **site_urls(site, page, files),
            "module": url(files, page, site.module_uri),
            "sentences": url(files, page, site.sentences_uri),
        },
    }
    return str(env.get_template("partials/calculator.html").render(context))


def decision_table(env: Any, site: GuidelineSite, page: Page, files: Files) -> str:
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
            "rows": [rule(f"{c.id}.{k.id}", k.when, k.source, label=k.label, text=k.full_text) for k in c.categories],
        }
        for c in guideline.classifications
    ]
    findings = [rule(e.id, e.when, e.source, text=e.full_text, short=e.short) for e in guideline.findings]
    sections = [
        {
            "id": s.id,
            "title": s.title,
            "rows": [rule(e.id, e.when, e.source, text=e.full_text, short=e.short) for e in s.entries],
        }
        for s in guideline.sections
    ]
    for owner, source in guideline.sources():
        if owner.startswith("question "):
            cited_by[source.anchor].append({"id": owner, "anchor": "questions"})
    context = {
        "schema": schema(guideline),
        "accepts": {q.id: kind_of(q).accepts_in_words(q) for q in guideline.questions},
        "exports": {key: url(files, page, site.folder + name) for key, name in EXPORTS.items()},
        "urls": site_urls(site, page, files),
        "classifications": classifications,
        "findings": findings,
        "sections": sections,
        "sentences": [
            {"anchor": anchor, "text": text, "rules": cited_by[anchor]} for anchor, text in guideline.sentences.items()
        ],
        "calculator_version": __version__,
        "samples": site.exploration.samples,
    }
    return str(env.get_template("partials/decision-table.html").render(context))


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


def change_log(env: Any, site: GuidelineSite) -> str:
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
    return str(env.get_template("partials/changes.html").render(context))


def guideline_list(env: Any, sites: list[GuidelineSite], page: Page, files: Files, today: date) -> str:
    """The home page's catalogue: every guideline wired into the site, by title, with the words
    its filter finds it by (titles and topics) and whether its review was overdue on ``today``."""
    rows = []
    for site in sorted(sites, key=lambda site: site.guideline.info.title.casefold()):
        info = site.guideline.info
        rows.append(
            {
                "info": info,
                "urls": {**site_urls(site, page, files), "changes": url(files, page, site.changes_uri)},
                "words": " ".join((info.title, info.short_title, *info.topics)).casefold(),
                "overdue": info.overdue(today),
            }
        )
    topics = sorted({topic for site in sites for topic in site.guideline.info.topics}, key=str.casefold)
    return str(env.get_template("partials/guideline-list.html").render(rows=rows, topics=topics))


def link_sentences_to_rules(html: str, site: GuidelineSite, page: Page, files: Files) -> str:
    """After each marked sentence of the guideline text, a link to the rules that use it."""
    table = url(files, page, site.decision_table_uri)
    title, words = html_escape(text.t("rules_link.title")), html_escape(text.t("rules_link.text"))

    def link(match: re.Match[str]) -> str:
        anchor = match.group(2)
        return f'{match.group(1)}<a class="gc-rules-link" href="{table}#sentence-{anchor}" title="{title}">{words}</a>'

    return _MARKED.sub(link, html)
