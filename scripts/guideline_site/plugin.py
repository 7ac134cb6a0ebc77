"""The MkDocs plugin that turns guideline folders into pages with a working calculator.

A guideline is a folder under ``content/`` holding its Markdown and a ``guideline.py``. One
front matter line wires it into the site: the page that says ``calculator: guideline.py`` gets
the step-by-step form, rendered from the Python schema so that it shows before Python has
started in the browser. For each such guideline the build also

* generates a decision table page (``decision-table/``) from the same rules, readable
  without JavaScript and linked both ways with the guideline's marked sentences, a "What
  changed" page and a chrome-less page for iframes (``embed/``);
* ships ``guideline.py``, ``sentences.json`` (the marked sentences, for quotes) and the
  computable exports beside the pages;
* checks the guideline: authoring mistakes, source anchors missing from the rendered
  page, rules no answer set can reach (``calculator.explore``).

A page that says ``guideline: guideline.py`` (the guideline text) gets the author,
source, version and review date under its title and in its ``<head>``. The plugin also
ships what the browser needs, from the site itself (never a CDN): the Pyodide runtime
pinned in ``package.json``, the calculator wheel, ``protocol.mjs`` and ``catalogue.mjs``.

Settings are the plugin's options in ``mkdocs.yml`` (``GuidelineSiteConfig``). Everything
one build learns lives on the plugin object and is made anew in ``on_config``. Nothing here
knows any particular guideline.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import mimetypes
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext

from calculator import __version__, contract, fhir, protocol, text
from calculator.explore import explore, reachability_problems
from calculator.export import decision_logic, decision_table_csv
from calculator.formatting import date_text
from calculator.loader import load_guideline
from calculator.model import Guideline, GuidelineDefinitionError, GuidelineInfo
from guideline_site import assets, deploy, offline, pages, settings
from guideline_site.pages import ASSETS_DIR, EXPORTS, GuidelineSite, Runtime
from guideline_site.release import RELEASES_DIR

log = logging.getLogger("mkdocs.plugins.guideline_site")


def _notice_log(name: str) -> logging.Logger:
    """A logger whose warnings print like MkDocs' own but do not count towards ``strict``
    (which would turn them into errors): for what a site may knowingly build with."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


review_log = _notice_log("guideline_site.review")
"""Overdue reviews: a warning that ``strict`` lets pass; ``overdue_review: error`` makes it one."""
language_log = _notice_log("guideline_site.language")
"""Texts a site's language does not translate (English stands in): a warning that ``strict``
lets pass, so a site may publish a partial translation while it is completed."""

CALCULATOR_MARKER = "<!-- calculator -->"
DECISION_TABLE_MARKER = "<!-- decision-table -->"
GUIDELINES_MARKER = "<!-- guidelines -->"
OFFLINE_MARKER = "<!-- offline -->"
OFFLINE_PAGE = "offline.md"
"""The offline page (site root): what this device keeps, the guidelines to choose, how to keep them."""
CHANGES_MARKER = "<!-- changes -->"
DECISION_TABLE_PAGE = "decision-table.md"
EMBED_PAGE = "embed.md"
CHANGES_PAGE = "changes.md"
SENTENCES_FILE = "sentences.json"
NOT_PUBLISHED = ("vignettes.json",)
"""Files of a guideline folder that are test data, never part of the site."""
NOT_PUBLISHED_DIRS = (RELEASES_DIR,)
"""Folders of a guideline folder kept for the record (release records), not published."""
THEME_NOT_PUBLISHED = ("tsconfig.json", "tsconfig.workers.json", "__init__.py")
"""Files of the theme folder for the type checker (``make lint``) and the package, not for the site."""

_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?")
"""An origin as a browser writes ``MessageEvent.origin``: no path, no trailing slash, no wildcard."""
_HTML_ID = re.compile(r'\bid="([^"]+)"')
_ROOT_ABSOLUTE = re.compile(r'\b(href|src|data-service-worker)="/(?!/)')


class GuidelineSiteConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs: untyped __init_subclass__
    """The plugin's options in ``mkdocs.yml`` (``plugins: - guideline-site: {...}``)."""

    frame_ancestors = c.Type(str, default=deploy.DEFAULT_FRAME_ANCESTORS)
    """Which pages may show the site in a frame: the CSP ``frame-ancestors`` of the server
    snippets (``make bundle``, ``deploy/``), e.g. ``'self' https://intranet.example.org``."""
    result_event_origins = c.ListOfItems(c.Type(str), default=[])
    """The origins (``https://intranet.example.org``: scheme, host and port, nothing else) of the
    host pages an embedded calculator sends its results to (README, "Embedding"). Empty, the
    default: no page ever receives a result, whatever it asks and whoever may frame the
    calculator. Checked inside the frame against each host page's real origin; written into
    ``protocol.mjs`` at build time. Results carry patient answers: list only pages whose scripts
    are trusted with them."""
    boot_timeout = c.Type(int, default=protocol.BOOT_TIMEOUT_SECONDS)
    """Seconds after which a calculator that has not started says why it may be slow."""
    theme_color = c.Type(str, default=assets.THEME_COLOR)
    """The web app's colour: its icons, its manifest and the browser's ``theme-color``."""
    compress = c.Type(bool, default=True)
    """Write ``.br`` and ``.gz`` copies beside the built files, for servers that send them
    (nginx, ``make bundle``); the authors' preview (``make serve``) leaves them out."""
    overdue_review = c.Choice(("warn", "error"), default="warn")
    """A guideline past its next review date (``GuidelineInfo.review_due``): ``warn`` prints a
    warning and builds (its pages say "review overdue since"); ``error`` fails the build."""


class _Build:
    """What one build collects across events."""

    def __init__(self, root: Path, boot_timeout: int) -> None:
        self.root = root
        self.runtime = Runtime(runtime_dir="", pyodide_version="", wheel_uri="", boot_timeout=boot_timeout)
        self.guidelines: list[GuidelineSite] = []
        self.folders: set[str] = set()
        self.roles: dict[str, tuple[GuidelineSite, str]] = {}
        self.page_ids: dict[str, set[str]] = {}
        self.env: Any = None
        self.catalogue_pages: set[str] = set()
        """URLs of the pages that list the whole library (the home page)."""
        self.offline_page = ""
        self.today = date.today()
        """The build's date: a guideline whose review is due before it is overdue."""
        self.snapshot_inputs: dict[str, str] = {}
        """What every calculator's memory snapshot depends on, as sha256s (``assets.snapshot_cache``)."""
        self.snapshot_caches: dict[str, str] = {}
        """Each guideline folder's snapshot cache name."""
        self.local_navs: dict[int, Navigation] = {}
        """Each guideline section's navigation (by the section's id()), and the shell's (key 0)."""

    def add(self, site: GuidelineSite) -> None:
        self.guidelines.append(site)
        self.folders.add(site.folder)
        for uri, role in site.roles().items():
            self.roles[uri] = (site, role)


class GuidelineSitePlugin(BasePlugin[GuidelineSiteConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.build: _Build | None = None

    @property
    def current(self) -> _Build:
        if self.build is None:
            raise PluginError("guideline-site: an event came before on_config")
        return self.build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` guesses types with `mimetypes`; module workers refuse `.mjs`
        # served as anything but JavaScript, and streaming compilation wants application/wasm.
        mimetypes.add_type("text/javascript", ".mjs")
        mimetypes.add_type("application/wasm", ".wasm")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.boot_timeout <= 0:
            raise PluginError("guideline-site: boot_timeout must be a positive number of seconds")
        for origin in self.config.result_event_origins:
            if not _ORIGIN.fullmatch(origin):
                raise PluginError(
                    f"guideline-site: result_event_origins has {origin!r}, which is not an origin; write the "
                    "scheme, host and port of the host page only, e.g. https://intranet.example.org"
                )
        self.build = _Build(Path(config.config_file_path).resolve().parent, self.config.boot_timeout)
        for setting in settings.apply(config):
            log.debug("guideline-site applied %s", setting)
        language = str(config.theme["language"])
        try:
            catalogue = text.use_language(language, site_locales=self.build.root / text.SITE_LOCALES)
        except text.CatalogueError as error:
            raise PluginError(f"theme.language: {error}") from error
        if catalogue.fallbacks:
            language_log.warning(
                "theme.language %r: %d texts have no translation and are shown in English (add them to %s/%s.json): %s",
                language,
                len(catalogue.fallbacks),
                text.SITE_LOCALES,
                language,
                ", ".join(catalogue.fallbacks),
            )
        # For the templates: shown in every page's offline status line.
        config.extra["calculator_version"] = __version__
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the runtime, the wheel, the generated modules, and each guideline's files."""
        # First, before anything is read: MkDocs follows links in the docs folder, so a link to
        # /proc/self/environ or to a folder elsewhere on the building machine would be published
        # (and listed for offline use, and zipped by `bundle`). Links are refused, not sorted into
        # "inside the project" and "outside": a copy is as easy to make and cannot change under us.
        _refuse_links(Path(config.docs_dir), self.current.root)
        build = self.current
        cache = assets.cache_dir(build.root)
        try:
            runtime = assets.pyodide_runtime(cache)
            wheel = assets.build_wheel(cache)
        except assets.BuildError as error:
            raise PluginError(str(error)) from error
        runtime_dir = f"assets/pyodide/{runtime.version}/"
        build.runtime = Runtime(
            runtime_dir=runtime_dir,
            pyodide_version=runtime.version,
            wheel_uri=f"{ASSETS_DIR}/{wheel.name}",
            boot_timeout=self.config.boot_timeout,
            download_bytes=sum(path.stat().st_size for path in (*runtime.files, wheel)),
        )
        for path in runtime.files:
            files.append(File.generated(config, runtime_dir + path.name, abs_src_path=str(path)))
        files.append(File.generated(config, build.runtime.wheel_uri, abs_src_path=str(wheel)))
        self._add_generated_modules(files, config, runtime.version)
        worker = files.get_file_from_path(f"{ASSETS_DIR}/worker.mjs")
        build.snapshot_inputs = {
            **{f"pyodide/{path.name}": _sha256(path.read_bytes()) for path in runtime.files},
            "wheel": _sha256(wheel.read_bytes()),
            "worker": _sha256(worker.content_bytes if worker is not None else b""),
            "catalogue": _sha256(json.dumps(text.catalogue().to_json(), sort_keys=True).encode()),
        }
        build.runtime = dataclasses.replace(build.runtime, modules=tuple(pages.widget_modules(files)))
        self._add_web_app_files(files, config)
        for file in list(files):
            parts = file.src_uri.split("/")
            guideline_record = parts[-1] in NOT_PUBLISHED or any(part in NOT_PUBLISHED_DIRS for part in parts[:-1])
            if guideline_record or file.src_uri in THEME_NOT_PUBLISHED:
                files.remove(file)
        for page_file in list(files.documentation_pages()):
            module_name = _front_matter(page_file).get("calculator")
            if module_name is not None:
                self._add_guideline(page_file, module_name, files, config)
        _check_folders(self.current.guidelines)
        self._check_calculator_starts(wheel, config)
        if files.get_file_from_path(OFFLINE_PAGE) is None:
            title = text.t("pages.offline.title")
            front_matter = {"title": title, "description": text.t("pages.offline.description")}
            content = f"---\n{json.dumps(front_matter, ensure_ascii=False)}\n---\n\n# {title}\n\n{OFFLINE_MARKER}\n"
            files.append(File.generated(config, OFFLINE_PAGE, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
        return files

    def _check_calculator_starts(self, wheel: Path, config: MkDocsConfig) -> None:
        """Start every guideline from the browser's wheel as the worker will: a site whose
        calculator cannot start is never built (``assets.check_calculator_starts``)."""
        guidelines = [
            {
                "filename": site.module_uri,
                "source": (Path(config.docs_dir) / site.module_uri).read_text(encoding="utf-8"),
                "sentences": json.dumps({"sentences": site.guideline.sentences}, ensure_ascii=False),
            }
            for site in self.current.guidelines
        ]
        if not guidelines:
            return
        try:
            assets.check_calculator_starts(wheel, guidelines, catalogue=text.catalogue())
        except assets.BuildError as error:
            raise PluginError(f"guideline-site: {error}") from error

    def _add_generated_modules(self, files: Files, config: MkDocsConfig, pyodide_version: str) -> None:
        protocol_js = assets.protocol_module(
            pyodide_version,
            boot_timeout=self.config.boot_timeout,
            result_event_origins=self.config.result_event_origins,
        )
        files.append(File.generated(config, f"{ASSETS_DIR}/protocol.mjs", content=protocol_js))
        catalogue = assets.catalogue_module(text.catalogue())
        files.append(File.generated(config, f"{ASSETS_DIR}/catalogue.mjs", content=catalogue))
        for name, make_schema in contract.SCHEMAS.items():
            document = json.dumps(make_schema(), indent=1, ensure_ascii=False)
            files.append(File.generated(config, f"{ASSETS_DIR}/schema/{name}.schema.json", content=document))
        # The worker gets the protocol and its own modules inlined: no request before Python can start.
        worker = files.get_file_from_path(f"{ASSETS_DIR}/worker.mjs")
        if worker is not None and worker.abs_src_path:
            source = Path(worker.abs_src_path).read_text(encoding="utf-8")
            files.remove(worker)
            inlined = assets.inline_protocol(source, protocol_js)
            for name in assets.WORKER_MODULES:
                module = Path(worker.abs_src_path).with_name(name).read_text(encoding="utf-8")
                inlined = assets.inline_module(inlined, name, module)
            files.append(File.generated(config, f"{ASSETS_DIR}/worker.mjs", content=inlined))

    def _add_web_app_files(self, files: Files, config: MkDocsConfig) -> None:
        """The web app manifest and its icons, drawn here: installable with no external asset."""
        cache = assets.cache_dir(self.current.root)
        icons = []
        for size in assets.ICON_SIZES:
            for purpose in ("any", "maskable"):
                name = f"assets/site/icon-{size}{'-maskable' if purpose == 'maskable' else ''}.png"
                content = assets.cached_icon(
                    size, maskable=purpose == "maskable", colour=self.config.theme_color, cache=cache
                )
                files.append(File.generated(config, name, content=content))
                icons.append({"src": name, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose})
        # Safari's "Add to Home Screen" icon: full-bleed (iOS rounds the corners, and would fill
        # transparency with black), 180 px as iPads and iPhones ask for.
        apple = assets.cached_icon(180, maskable=True, colour=self.config.theme_color, cache=cache)
        files.append(File.generated(config, "assets/site/apple-touch-icon.png", content=apple))
        manifest = assets.web_app_manifest(
            config.site_name, config.site_description or "", self.config.theme_color, icons, text.catalogue()
        )
        files.append(File.generated(config, "manifest.webmanifest", content=manifest))

    def _add_guideline(self, page_file: File, module_name: object, files: Files, config: MkDocsConfig) -> None:
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
        self._check_review(page_file, guideline)
        site = GuidelineSite(
            guideline=guideline,
            exploration=exploration,
            folder=folder,
            calculator_uri=page_file.src_uri,
            module_uri=module_uri,
            source_uri=source_uri,
            decision_table_uri=folder + DECISION_TABLE_PAGE,
            embed_uri=folder + EMBED_PAGE,
            changes_uri=folder + CHANGES_PAGE,
            releases_dir=Path(page_file.abs_src_path or "").parent / RELEASES_DIR,
            sentences_uri=folder + SENTENCES_FILE,
        )
        self.current.add(site)
        sentences = {
            "generated_by": "DO NOT EDIT: generated by scripts/guideline_site from " + source_uri,
            "sentences": guideline.sentences,
        }
        sentences_json = json.dumps(sentences, ensure_ascii=False)
        files.append(File.generated(config, site.sentences_uri, content=sentences_json))
        self.current.snapshot_caches[folder] = assets.snapshot_cache(
            {
                **self.current.snapshot_inputs,
                "module": _sha256(Path(config.docs_dir, module_uri).read_bytes()),
                "sentences": _sha256(sentences_json.encode()),
            }
        )
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
        for uri, front_matter, body, inclusion in _generated_pages(site, guideline.info):
            content = f"---\n{json.dumps(front_matter, ensure_ascii=False)}\n---\n\n{body}\n"  # JSON is YAML
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))

    def _check_review(self, page_file: File, guideline: Guideline) -> None:
        info = guideline.info
        if not info.overdue(self.current.today):
            return
        message = (
            f"{page_file.src_uri}: guideline {guideline.id!r}: review overdue since {info.review_due} (content "
            f"{info.content_version}, last checked against its source {info.review_date}): check it, then update "
            "review_date and content_version in its guideline.py"
        )
        if self.config.overdue_review == "error":
            raise PluginError(message + " (overdue_review: error)")
        review_log.warning(message)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Name each guideline's section by its short title and order its pages; make the
        local navigations (``on_page_context``)."""
        by_calculator = {site.calculator_uri: site for site in self.current.guidelines}
        guideline_sections: set[int] = set()
        for section in _sections(nav.items):
            uris = [_src_uri(child) for child in section.children]
            site = next((by_calculator[uri] for uri in uris if uri in by_calculator), None)
            if site is None:
                continue
            guideline_sections.add(id(section))
            section.title = site.guideline.info.short_title
            order = [site.source_uri, site.calculator_uri, site.decision_table_uri, site.changes_uri]
            section.children.sort(key=lambda child: _rank(_src_uri(child), order))
        self.current.local_navs = _local_navigations(nav, guideline_sections)
        return nav

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """A page lists the site's own pages (the catalogue, the guides) and its own guideline's
        pages, not every page of every guideline: its size does not grow with the library."""
        top: Any = page
        while top.parent is not None:
            top = top.parent
        navs = self.current.local_navs
        local = navs.get(id(top), navs.get(0, nav))
        context["nav"] = local
        # "Previous" and "Next" stay within what the navigation shows.
        if page in local.pages:
            at = local.pages.index(page)
            page.previous_page = local.pages[at - 1] if at > 0 else None
            page.next_page = local.pages[at + 1] if at + 1 < len(local.pages) else None
        return context

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        """Pages of the theme itself (404.html) get the shell's navigation, for the same reason."""
        if "nav" in context and 0 in self.current.local_navs:
            context["nav"] = self.current.local_navs[0]
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        found = self.current.roles.get(page.file.src_uri)
        folder = offline.group_of(page.file.src_uri, self.current.folders)
        if folder is not None:
            # Which guideline's offline group and search index the page belongs to (theme/main.html).
            page.meta["guideline_folder"] = folder
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

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        build = self.current
        build.page_ids[page.file.src_uri] = set(_HTML_ID.findall(html))
        env = self._env(config)
        found = build.roles.get(page.file.src_uri)
        if OFFLINE_MARKER in html:
            chooser = {
                "guidelines": [
                    {
                        "folder": g.folder,
                        "title": g.guideline.info.title,
                        "content_version": g.guideline.info.content_version,
                    }
                    for g in build.guidelines
                ],
                # Room for a size not known until the site is written (offline/groups.json).
                "widest_size": text.t("offline.page.size_mb", size="888.8"),
            }
            html = html.replace(OFFLINE_MARKER, env.get_template("partials/offline-page.html").render(chooser), 1)
            build.offline_page = page.url
            page.meta["offline_page"] = True
        if GUIDELINES_MARKER in html:
            build.catalogue_pages.add(page.url)
            catalogue = pages.guideline_list(env, build.guidelines, page, files, build.today)
            html = html.replace(GUIDELINES_MARKER, catalogue, 1)
            page.meta["guideline_catalogue"] = True
        info = page.meta.get("guideline_info")
        if info is not None and (found is None or found[1] != "embed"):
            overdue = info.overdue(build.today)
            html = pages.after_title(
                html, env.get_template("partials/guideline-info.html").render(info=info, overdue=overdue)
            )
        if found is None:
            return html
        site, role = found
        if role in {"calculator", "embed"}:
            snapshot_cache = build.snapshot_caches[site.folder]
            widget = pages.widget(
                env, site, page, files, build.runtime, embedded=role == "embed", snapshot_cache=snapshot_cache
            )
            return pages.insert(html, CALCULATOR_MARKER, widget)
        if role == "decision_table":
            return pages.insert(html, DECISION_TABLE_MARKER, pages.decision_table(env, site, page, files))
        if role == "changes":
            return pages.insert(html, CHANGES_MARKER, pages.change_log(env, site))
        return pages.link_sentences_to_rules(html, site, page, files)

    def _env(self, config: MkDocsConfig) -> Any:
        """One Jinja environment per build for the partials the plugin renders."""
        build = self.current
        if build.env is None:
            build.env = config.theme.get_env()
            build.env.globals.update(_template_globals())
        return build.env

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page is converted by now: check that each source anchor exists in the HTML.

        The theme's templates get ``t``, the machinery's words in the site's language."""
        env.globals.update(_template_globals())
        problems = []
        for site in self.current.guidelines:
            ids = self.current.page_ids.get(site.source_uri, set())
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

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Make 404.html work at any depth under any sub-path.

        Without ``site_url``, Material writes root-absolute links into 404.html, which break
        under a sub-path; relative links would break at depth, since a 404 is served at the
        missing page's URL. So its links become relative to a ``<base href="/">``, which the
        server rewrites to the site's sub-path (``deploy.py``: nginx sub_filter).
        """
        if template_name != deploy.NOT_FOUND_PAGE:
            return output_content
        html = _ROOT_ABSOLUTE.sub(r'\1="', output_content)
        return html.replace("<head>", "<head>" + deploy.BASE_TAG, 1)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the service worker with its precache list, then the precompressed copies."""
        build = self.current
        site_dir = Path(config.site_dir)
        groups = {
            site.folder: {
                "title": site.guideline.info.title,
                "short_title": site.guideline.info.short_title,
                "content_version": site.guideline.info.content_version,
                "topics": list(site.guideline.info.topics),
            }
            for site in build.guidelines
        }
        catalogue = tuple(sorted(build.catalogue_pages))
        library = offline.Library(groups=groups, catalogue=catalogue, offline_page=build.offline_page)
        if (site_dir / offline.SEARCH_INDEX).is_file():
            offline.split_search_index(site_dir, library)
        manifest = offline.offline_manifest(site_dir, build.runtime.runtime_dir, library)
        manifest["snapshots"] = sorted(set(build.snapshot_caches.values()))
        manifest["snapshotFolder"] = assets.SNAPSHOT_FOLDER
        offline.write_service_worker(site_dir, manifest)
        compressed = assets.cache_dir(build.root) / "compressed"
        count = assets.compress_site(site_dir, compressed) if self.config.compress else 0
        log.info(
            "offline: a shell of %d files saved on a first visit, %d guidelines saved each on its own, "
            "runtime of %d files on demand; %d files precompressed",
            len(manifest["shell"]),
            len(groups),
            len(manifest["runtime"]["files"]),
            count,
        )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _template_globals() -> dict[str, Any]:
    """What every template may use: the machinery's words (``t``, and ``th`` for HTML, whose
    values may be markup such as links), dates as the site's language writes them
    (``date_text``) and the service worker's message names."""
    from markupsafe import Markup, escape

    def html_text(key: str, /, **values: Any) -> Markup:
        return Markup(text.catalogue().text(key, escape=escape, **values))

    def texts(prefix: str) -> dict[str, Any]:
        """The catalogue's texts whose keys start with ``prefix``, and its language (for numbers),
        for a script (offline.js)."""
        whole = text.catalogue().to_json()
        strings = {key: value for key, value in whole["strings"].items() if key.startswith(prefix)}
        return {"language": whole["language"], "plural": whole["plural"], "strings": strings}

    return {
        "t": text.t,
        "th": html_text,
        "date_text": date_text,
        "texts": texts,
        "service_worker_messages": protocol.SERVICE_WORKER_MESSAGES,
        "snapshot_storage": {"prefix": assets.SNAPSHOT_CACHE_PREFIX, "folder": assets.SNAPSHOT_FOLDER},
    }


def _generated_pages(site: GuidelineSite, info: GuidelineInfo) -> list[tuple[str, dict[str, Any], str, InclusionLevel]]:
    """The decision table, the change log and the embed page, as Markdown with front matter."""
    short = info.short_title
    table_title = text.t("pages.decision_table.title", short_title=short)
    changes_title = text.t("pages.changes.title", short_title=short)
    return [
        (
            site.decision_table_uri,
            {"title": table_title, "description": text.t("pages.decision_table.description", short_title=short)},
            f"# {table_title}\n\n{DECISION_TABLE_MARKER}",
            InclusionLevel.UNDEFINED,
        ),
        (
            site.changes_uri,
            {"title": changes_title, "description": text.t("pages.changes.description", short_title=short)},
            f"# {changes_title}\n\n{CHANGES_MARKER}",
            InclusionLevel.UNDEFINED,
        ),
        (
            site.embed_uri,
            {
                "title": text.t("pages.embed.title", short_title=short),
                "template": "embed.html",
                "search": {"exclude": True},
            },
            CALCULATOR_MARKER,
            InclusionLevel.NOT_IN_NAV,
        ),
    ]


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


def _refuse_links(docs_dir: Path, root: Path) -> None:
    """Fail the build naming every symbolic link in ``docs_dir`` (files and folders, not
    followed) with its target."""
    links = []
    for folder, subfolders, names in os.walk(docs_dir, followlinks=False):
        for name in sorted([*subfolders, *names]):
            path = Path(folder) / name
            if path.is_symlink():
                shown = path.relative_to(root) if path.is_relative_to(root) else path
                links.append(f"{shown.as_posix()} -> {os.readlink(path)}")
    if links:
        raise PluginError(
            f"guideline-site: {len(links)} links in {docs_dir.name}/, which a build never publishes "
            "(a link can reach any file of the machine that builds): "
            + "; ".join(links)
            + ". Put a copy of the file or folder in its place."
        )


def _check_folders(sites: list[GuidelineSite]) -> None:
    """Each guideline has a folder of its own (its offline group and search index), none inside another's."""
    folders = {site.folder for site in sites}
    for site in sites:
        if not site.folder:
            raise PluginError(f"{site.calculator_uri}: put the guideline in a folder of its own under content/")
        outer = offline.group_of(site.folder[: site.folder.rstrip("/").rfind("/") + 1], folders)
        if outer is not None:
            raise PluginError(
                f"{site.calculator_uri}: a guideline inside the folder of another ({outer}): "
                "give each guideline a folder of its own"
            )


def _local_navigations(nav: Navigation, guideline_sections: set[int]) -> dict[int, Navigation]:
    """The shell's navigation (everything but the guidelines' sections; key 0) and one per
    guideline section: the shell with that section in its place. Built once per build."""

    def navigation(items: list[Any]) -> Navigation:
        pages = [page for item in items for page in _pages(item)]
        local = Navigation(items, pages)
        local.homepage = nav.homepage
        return local

    shell = [item for item in nav.items if id(item) not in guideline_sections]
    navs = {0: navigation(shell)}
    for item in nav.items:
        if id(item) in guideline_sections:
            navs[id(item)] = navigation([i for i in nav.items if i is item or id(i) not in guideline_sections])
    return navs


def _pages(item: Any) -> list[Page]:
    if isinstance(item, Page):
        return [item]
    return [page for child in getattr(item, "children", None) or [] for page in _pages(child)]


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
