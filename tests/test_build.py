"""The static site: strict build, self-hosted runtime and wheel, nothing from other origins."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_project
from guideline_site import assets
from guideline_site.pages import rule_anchor

from calculator import __version__, protocol
from calculator.engine import assess
from calculator.explore import rule_ids, rules_shown
from calculator.fragment import decode_fragment, list_valued
from calculator.model import Guideline
from calculator.text import load_catalogue

PYODIDE_VERSION = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pyodide_is_pinned_exactly_in_package_and_lock_files() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", PYODIDE_VERSION)
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/pyodide"]["version"] == PYODIDE_VERSION
    assert lock["packages"]["node_modules/pyodide"]["integrity"].startswith("sha512-")


@pytest.mark.parametrize("name", RUNTIME)
def test_site_ships_the_pinned_pyodide_runtime(built_site: Path, name: str) -> None:
    shipped = built_site / "assets" / "pyodide" / PYODIDE_VERSION / name
    assert sha256(shipped) == sha256(ROOT / "node_modules" / "pyodide" / name)


def test_site_ships_the_calculator_as_a_pure_wheel_without_guideline_content(built_site: Path) -> None:
    wheel = built_site / "assets" / "calculator" / f"guideline_calculator-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        wheel_info = archive.read(f"guideline_calculator-{__version__}.dist-info/WHEEL").decode()
    assert "calculator/engine.py" in names
    assert "Tag: py3-none-any" in wheel_info and "Root-Is-Purelib: true" in wheel_info
    assert all(name.startswith(("calculator/", "guideline_calculator-")) for name in names)


def test_wheel_is_reproducible(built_site: Path, tmp_path: Path) -> None:
    from guideline_site import assets as site_assets

    rebuilt = site_assets.build_wheel(tmp_path)
    assert sha256(rebuilt) == sha256(built_site / "assets" / "calculator" / rebuilt.name)


def test_guideline_module_is_shipped_beside_its_pages(built_site: Path) -> None:
    shipped = built_site / "aimss" / "guideline.py"
    assert shipped.read_bytes() == (ROOT / "content" / "aimss" / "guideline.py").read_bytes()


class _Questions(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "data-question" in attributes:
            self.found.append((attributes["data-question"] or "", "hidden" in attributes))


def test_form_is_rendered_at_build_time_from_the_schema(built_site: Path, aimss: Guideline) -> None:
    html = (built_site / "aimss" / "calculator" / "index.html").read_text()
    assert 'data-calculator-state="loading"' in html
    for question in aimss.questions:
        assert f'data-question="{question.id}"' in html
    # Only the unconditional first question is visible before Python has evaluated anything.
    questions = _Questions()
    questions.feed(html)
    assert [q for q, hidden in questions.found if not hidden] == ["symptoms"]
    assert len(questions.found) == len(aimss.questions)
    assert re.findall(r'data-step="(\w+)"(?! hidden)>', html) == ["symptoms"]


def test_guideline_page_shows_author_source_version_and_review_date(built_site: Path, aimss: Guideline) -> None:
    html = (built_site / "aimss" / "index.html").read_text()
    assert "Philip Chang DO" in html
    assert "Fast Fact" in html
    assert f'<time datetime="{aimss.info.review_date}">' in html
    text = " ".join(re.sub(r"</?strong>", "", html).split())
    assert "not for emergencies" in text


def test_every_cited_anchor_exists_in_the_built_guideline(built_site: Path, aimss: Guideline) -> None:
    html = (built_site / "aimss" / "index.html").read_text()
    marked = set(re.findall(r'<span class="rec" id="([a-z0-9-]+)">', html))
    cited = {source.anchor for _, source in aimss.sources()}
    assert cited == marked  # every recommendation-bearing sentence is used by the calculator


def test_protocol_module_agrees_with_python(built_site: Path) -> None:
    text = (built_site / "assets" / "calculator" / "protocol.mjs").read_text()
    assert text.startswith("// DO NOT EDIT")
    exported = {
        name: json.loads(value.removeprefix("Object.freeze(").removesuffix(")"))
        for name, value in re.findall(r"export const (\w+) = (.*);", text)
    }
    assert exported == {
        "PROTOCOL_VERSION": protocol.PROTOCOL_VERSION,
        "STATES": {state: state for state in protocol.STATES},
        "BOOT_STEP": {re.sub(r"-(\w)", lambda m: m.group(1).upper(), step): step for step in protocol.BOOT_STEPS},
        "BOOT_TIMEOUT_SECONDS": protocol.BOOT_TIMEOUT_SECONDS,
        "MESSAGES": protocol.MESSAGES,
        "EMBED_MESSAGES": protocol.EMBED_MESSAGES,
        "RESULT_EVENT_ORIGINS": [],  # mkdocs.yml: result_event_origins
        "LINK_MAX_ANSWERS": protocol.LINK_MAX_ANSWERS,
        "LINK_MAX_CHARACTERS": protocol.LINK_MAX_CHARACTERS,
        "PYODIDE_VERSION": PYODIDE_VERSION,
        "CALCULATOR_VERSION": __version__,
        "SNAPSHOT_FOLDER": assets.SNAPSHOT_FOLDER,
    }


def test_the_snapshot_files_folder_is_named_once_for_all_that_delete_them(built_site: Path) -> None:
    """The worker keeps a snapshot's bytes in a file of one folder; the service worker (at an
    update) and the offline page ("Remove") delete them there: each is given the build's name."""
    folder = assets.SNAPSHOT_FOLDER
    protocol_mjs = (built_site / "assets" / "calculator" / "protocol.mjs").read_text()
    assert f"export const SNAPSHOT_FOLDER = {json.dumps(folder)};" in protocol_mjs
    worker = (built_site / "assets" / "calculator" / "worker.mjs").read_text()
    assert f"const SNAPSHOT_FOLDER = {json.dumps(folder)};" in worker  # inlined
    assert assets.service_worker_manifest(built_site)["snapshotFolder"] == folder
    offline_page = (built_site / "offline" / "index.html").read_text()
    tag = re.search(r'<script src="[^"]*offline-page\.js"[^>]*>', offline_page)
    assert tag is not None
    assert f'data-snapshot-folder="{folder}"' in tag.group(0)
    assert f'data-snapshot-prefix="{assets.SNAPSHOT_CACHE_PREFIX}"' in tag.group(0)
    for source in (
        "theme/assets/calculator/worker.mjs",
        "theme/assets/site/offline-page.js",
        "scripts/guideline_site/service_worker.js",
    ):
        assert folder not in (ROOT / source).read_text(), source


def test_the_worker_is_one_file_with_its_modules_inlined_and_no_page_preloads_them(built_site: Path) -> None:
    """Nothing the worker imports costs a request before Python can start."""
    worker = (built_site / "assets" / "calculator" / "worker.mjs").read_text()
    assert re.findall(r"^(?:import|export) .*$", worker, re.MULTILINE) == []
    for name in ("const BOOT_STEP", "function packSnapshot", "async function unpackSnapshot", "const SNAPSHOT_PAGE"):
        assert name in worker, name
    page = (built_site / "aimss" / "calculator" / "index.html").read_text()
    assert 'rel="modulepreload" href="../../assets/calculator/widget.mjs"' in page
    assert "snapshot-pages.mjs" not in page


@pytest.mark.parametrize(
    ("worker", "module", "message"),
    [
        ('import { A } from "./m.mjs";\n', "export const B = 1;\n", "imports A from m.mjs, which does not export it"),
        ('import { A } from "./m.mjs";\n', 'import { C } from "./c.mjs";\nexport const A = 1;\n', "imports nothing"),
        ("const x = 1;\n", "export const A = 1;\n", 'expected `import { ... } from "./m.mjs";`'),
    ],
)
def test_a_module_the_worker_cannot_take_inline_is_refused_by_name(worker: str, module: str, message: str) -> None:
    from guideline_site.assets import BuildError, inline_module

    with pytest.raises(BuildError, match=re.escape(message)):
        inline_module(worker, "m.mjs", module)


def test_catalogue_module_is_the_sites_language_catalogue(built_site: Path) -> None:
    text = (built_site / "assets" / "calculator" / "catalogue.mjs").read_text()
    assert text.startswith("// DO NOT EDIT")
    [value] = re.findall(r"export const CATALOGUE = Object\.freeze\((.*)\);", text)
    assert json.loads(value) == load_catalogue("en").to_json()
    assert (
        load_catalogue("en").strings.items()
        >= json.loads((ROOT / "calculator" / "locales" / "en.json").read_text())["strings"].items()
    )


def test_host_page_script_uses_the_embed_message_names_of_python() -> None:
    """embed.js runs on other sites' pages as a classic script, so it spells the names out."""
    script = (ROOT / "theme" / "assets" / "calculator" / "embed.js").read_text()
    spelled = dict(re.findall(r'var (RESIZE|SUBSCRIBE|RESULT|VIEWPORT) = "([^"]+)";', script))
    assert spelled == {name.upper(): value for name, value in protocol.EMBED_MESSAGES.items()}
    assert re.findall(r"var VERSION = (\d+);", script) == [str(protocol.PROTOCOL_VERSION)]


# --- No file references another origin -------------------------------------------------

ABSOLUTE = re.compile(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"'`)<>]*", re.IGNORECASE)
NAMESPACES = ("http://www.w3.org/",)

# Absolute URLs that third-party files contain but never request on this site, each with
# the reason. Anything not listed fails the test, so a new reference gets looked at.
INERT_THIRD_PARTY = {
    "assets/javascripts/bundle.*.min.js": {
        "https://unpkg.com/mermaid": "loaded only for Mermaid diagrams; no page has one (asserted below)",
        "https://unpkg.com/resize-observer-polyfill": (
            "loaded only where ResizeObserver is missing; every browser that can run Pyodide has it"
        ),
        "https://api.github.com/": "used only with repo_url, which this site does not set (asserted below)",
        "https://clipboardjs.com/": "licence comment",
    },
    "assets/javascripts/workers/search.*.min.js": {
        "http://lunrjs.com": "licence comment",
        "http://tartarus.org/": "licence comment",
        "https://bit.ly/": "comment",
    },
    "assets/javascripts/lunr/*": {"*": "licence and documentation comments of lunr's language support"},
    f"assets/pyodide/{PYODIDE_VERSION}/pyodide.mjs": {
        "https://cdn.jsdelivr.net/pyodide/": (
            "default CDN for packages loaded by name; the site loads only its own wheel, by URL"
        ),
    },
    "assets/stylesheets/main.*.min.css": {"https://fontawesome.com": "licence comment"},
}


class _AttributeUrls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name in {"src", "href", "action", "poster", "srcset", "data"} or name.startswith("data-")):
                self.urls.extend(ABSOLUTE.findall(value))


def _allowed(relative: str, url: str) -> bool:
    for pattern, allowed in INERT_THIRD_PARTY.items():
        if Path(relative).match(pattern) or re.fullmatch(pattern.replace(".", r"\.").replace("*", ".*"), relative):
            return "*" in allowed or any(url.startswith(prefix) for prefix in allowed)
    return False


def test_no_html_css_or_js_file_references_another_origin(built_site: Path) -> None:
    offending = []
    for path in sorted(built_site.rglob("*")):
        relative = path.relative_to(built_site).as_posix()
        if path.suffix == ".html":
            parser = _AttributeUrls()
            parser.feed(path.read_text(encoding="utf-8"))
            offending += [f"{relative}: {url}" for url in parser.urls]
        elif path.suffix in {".css", ".js", ".mjs"}:
            for url in ABSOLUTE.findall(path.read_text(encoding="utf-8", errors="replace")):
                if url.startswith(NAMESPACES):
                    continue  # XML namespace identifiers
                if not url.startswith("http") and path.suffix != ".css":
                    continue  # in scripts, "//name.tld" matches are comments and regex literals
                if not _allowed(relative, url):
                    offending.append(f"{relative}: {url}")
    assert offending == []


def test_conditions_for_inert_references_hold(built_site: Path) -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    assert "repo_url" not in config
    for page in built_site.rglob("*.html"):
        assert 'class="mermaid"' not in page.read_text(encoding="utf-8")


def test_no_google_fonts_and_no_offline_plugin() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    assert re.search(r"^\s+font: false$", config, re.MULTILINE)
    assert "- offline" not in config


# --- Authoring mistakes stop the build -------------------------------------------------


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project to break on purpose (conftest's one copy helper)."""
    return copy_project(tmp_path / "project")


def test_build_fails_on_a_source_anchor_the_guideline_does_not_define(project_copy: Path) -> None:
    module = project_copy / "content" / "aimss" / "guideline.py"
    module.write_text(module.read_text().replace('source("focal-injection", 13)', 'source("focal-injections", 13)'))
    completed = build_site(project_copy, project_copy / "site")
    assert completed.returncode != 0
    assert "focal_corticosteroid_injection cites sentence 'focal-injections', which" in completed.stderr


def test_build_fails_on_a_rule_reading_an_unknown_question(project_copy: Path) -> None:
    module = project_copy / "content" / "aimss" / "guideline.py"
    module.write_text(module.read_text().replace('Is("focal_refractory", YES)', 'Is("focal_refactory", YES)'))
    completed = build_site(project_copy, project_copy / "site")
    assert completed.returncode != 0
    assert (
        "entry 'focal_corticosteroid_injection': condition reads unknown question 'focal_refactory'" in completed.stderr
    )


def test_build_fails_on_a_marked_sentence_no_entry_cites(project_copy: Path) -> None:
    page = project_copy / "content" / "aimss" / "index.md"
    text = page.read_text()
    mark = '<span class="rec" id="extra">New sentence.</span>'
    page.write_text(text.replace("## Treatment\n", f"## Treatment\n\n{mark}\n"))
    completed = build_site(project_copy, project_copy / "site")
    assert completed.returncode != 0
    line = next(i for i, row in enumerate(page.read_text().splitlines(), 1) if 'id="extra"' in row)
    assert f"index.md:{line}: marked sentence 'extra' is cited by no catalogue entry" in completed.stderr


def test_build_fails_on_an_entry_without_a_source_anchor(project_copy: Path) -> None:
    module = project_copy / "content" / "aimss" / "guideline.py"
    module.write_text(module.read_text().replace('source=source("ring-sign")', 'source=source("")'))
    completed = build_site(project_copy, project_copy / "site")
    assert completed.returncode != 0
    assert "entry ring_sign: source anchor '' must be the id of a marked sentence" in completed.stderr


def test_build_refuses_links_in_the_content_naming_each_and_its_target(project_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.md").write_text("# Someone's notes\n")
    (project_copy / "content" / "aimss" / "environ.txt").symlink_to("/proc/self/environ")
    (project_copy / "content" / "shared").symlink_to(outside)
    completed = build_site(project_copy, project_copy / "site")
    assert completed.returncode != 0, "a build with links in content/ must fail"
    assert "aimss/environ.txt -> /proc/self/environ" in completed.stderr
    assert f"shared -> {outside}" in completed.stderr
    assert not (project_copy / "site" / "aimss" / "environ.txt").exists()


# --- Decision table: the same rules, readable without JavaScript, linked both ways ------


def _decision_table(built_site: Path) -> str:
    return (built_site / "aimss" / "decision-table" / "index.html").read_text(encoding="utf-8")


def test_decision_table_has_a_row_for_every_rule_and_question(built_site: Path, aimss: Guideline) -> None:
    html = _decision_table(built_site)
    for rule in rule_ids(aimss):
        assert f'id="{rule_anchor(rule)}"' in html, rule
    for question in aimss.questions:
        assert f'id="question-{question.id}"' in html
    for constraint in aimss.constraints:
        assert f'id="constraint-{constraint.id}"' in html


def test_decision_table_rows_link_to_their_sentence_and_an_example_that_shows_them(
    built_site: Path, aimss: Guideline
) -> None:
    html = _decision_table(built_site)
    rows = dict(re.findall(r'<tr id="(rule-[^"]+)">(.*?)</tr>', html, re.DOTALL))
    by_anchor = {rule_anchor(rule): rule for rule in rule_ids(aimss)}
    for anchor, row in rows.items():
        rule = by_anchor[anchor]
        example = re.search(r'href="\.\./calculator/#([^"]+)"', row)
        assert example, rule
        answers = decode_fragment(html_unescape(example.group(1)), list_valued(aimss))
        assert rule in rules_shown(assess(aimss, answers)), rule
    for owner, source in aimss.sources():
        if not owner.startswith("question"):
            assert f'href="../#{source.anchor}"' in html, owner


def test_every_guideline_sentence_links_to_the_rules_that_use_it(built_site: Path, aimss: Guideline) -> None:
    guideline_page = (built_site / "aimss" / "index.html").read_text(encoding="utf-8")
    table = _decision_table(built_site)
    for anchor in aimss.sentences:
        assert f'href="decision-table/#sentence-{anchor}"' in guideline_page, anchor
        assert f'<li id="sentence-{anchor}">' in table, anchor


def test_calculator_without_javascript_points_to_the_decision_table(built_site: Path) -> None:
    html = (built_site / "aimss" / "calculator" / "index.html").read_text(encoding="utf-8")
    noscript = html[html.index("<noscript>") : html.index("</noscript>")]
    assert 'href="../decision-table/"' in noscript
    assert "data-gc-needs-server" in html


class _RowContainers(HTMLParser):
    """For each ``<table>`` and each ``<li id="sentence-…">``: the classes of its nearest ``div``/``ul``."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str]] = []
        self.containers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" or (tag == "li" and (found.get("id") or "").startswith("sentence-")):
            self.containers.append(next((cls for name, cls in reversed(self.open) if name in ("div", "ul")), ""))
        if tag not in self.VOID:
            self.open.append((tag, found.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass


def test_decision_table_rows_are_laid_out_only_near_the_screen(built_site: Path) -> None:
    """Each table is in a container the stylesheet skips until it nears the screen (on a phone,
    laying out the whole page at load blocked it for most of a second), and print shows them all.
    The sentence list, last before the offline note and the footer, is laid out at once: skipped,
    its links and text lay over them (Lighthouse's color-contrast and target-size audits)."""
    html = _decision_table(built_site)
    article = html[html.index("<article") : html.index("</article>")]
    parser = _RowContainers()
    parser.feed(article)
    tables = [cls for cls in parser.containers if cls != "gc-sentences"]
    assert len(tables) > 10 and len(parser.containers) > len(tables)
    assert all(cls.split()[:1] == ["gc-rows"] for cls in tables), parser.containers
    css = (built_site / "assets" / "calculator" / "calculator.css").read_text(encoding="utf-8")
    skipped = re.search(r"\.md-typeset \.gc-rows \{([^}]*)\}", css)
    assert skipped and "content-visibility: auto" in skipped.group(1)
    assert not re.search(r"\.gc-sentences[^{]*\{[^}]*content-visibility", css)
    printed = css[css.index("@media print", skipped.end()) :]
    assert re.match(r"@media print \{\s*\.md-typeset \.gc-rows \{\s*content-visibility: visible", printed)


def test_vignettes_are_test_data_not_part_of_the_site(built_site: Path) -> None:
    assert not list(built_site.rglob("vignettes.json"))


def test_sentences_shipped_for_the_worker_match_the_guideline(built_site: Path, aimss: Guideline) -> None:
    shipped = json.loads((built_site / "aimss" / "sentences.json").read_text(encoding="utf-8"))
    assert shipped["generated_by"].startswith("DO NOT EDIT")
    assert shipped["sentences"] == aimss.sentences


class _InlineStyles(HTMLParser):
    """``style`` attributes and ``<style>`` elements: what CSP ``style-src 'self'`` refuses."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "style" or any(name == "style" for name, _ in attrs):
            self.found.append(self.get_starttag_text() or tag)


TRUSTED_TYPES_SCRIPTS = ("assets/site/html-sanitizer.js", "assets/site/trusted-types.js")
"""The first scripts of every page: the Trusted Types policies, before any script needs one."""


def head_scripts(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    return re.findall(r"<script\b[^>]*>", html[: html.index("</head>")])


def test_python_starts_from_the_first_script_of_the_calculator_page_after_the_trusted_types_policies(
    built_site: Path,
) -> None:
    """boot.js starts the worker before the main thread is busy with the page: the first script
    in <head> after the two small Trusted Types scripts its worker URL needs, before the
    stylesheets, and parser-blocking (async, it ran only after the stylesheets had been parsed:
    `make bench` measured the worker starting 150-300 ms late)."""
    page = built_site / "aimss" / "calculator" / "index.html"
    head = page.read_text(encoding="utf-8")
    scripts = head_scripts(page)
    assert [name in script for name, script in zip(TRUSTED_TYPES_SCRIPTS, scripts, strict=False)] == [True, True]
    boot = scripts[len(TRUSTED_TYPES_SCRIPTS)]
    assert "assets/calculator/boot.js" in boot and "data-calculator-boot" in boot
    for script in [*scripts[: len(TRUSTED_TYPES_SCRIPTS)], boot]:
        assert not re.search(r"\b(async|defer)\b", script) and 'type="module"' not in script
    assert head.index(boot) < head.index('rel="stylesheet"')


def page_problems(site: Path) -> list[str]:
    """What the CSP would refuse or Trusted Types miss on a page of ``site``: an inline script
    or style, or a script before the Trusted Types policies (every page: its first two scripts)."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        name = page.relative_to(site)
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html)
        problems += [f"{name}: inline {script}" for script in inline]
        styles = _InlineStyles()
        styles.feed(html)
        problems += [f"{name}: inline style {style}" for style in styles.found]
        if "<script" in html:
            first = re.findall(r"<script\b[^>]*>", html)[: len(TRUSTED_TYPES_SCRIPTS)]
            if [f'src="{n}"' in s or f'/{n}"' in s for n, s in zip(TRUSTED_TYPES_SCRIPTS, first, strict=False)] != [
                True,
                True,
            ]:
                problems.append(f"{name}: the Trusted Types scripts are not its first scripts ({first})")
    return problems


def test_pages_have_no_inline_scripts_or_styles_start_with_the_trusted_types_policies_and_store_nothing(
    built_site: Path,
) -> None:
    assert page_problems(built_site) == []
    # Our scripts never touch browser storage (Material's helpers are replaced by no-ops).
    code_only = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
    for script in [*(ROOT / "theme" / "assets").rglob("*.js"), *(ROOT / "theme" / "assets").rglob("*.mjs")]:
        code = code_only.sub("", script.read_text(encoding="utf-8"))
        for api in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "setItem("):
            assert api not in code, f"{script.relative_to(ROOT)} uses {api}"


def test_build_fails_on_nested_marks(project_copy: Path) -> None:
    page = project_copy / "content" / "aimss" / "index.md"
    text = page.read_text()
    page.write_text(text.replace("A possible presenting sign", '<span class="rec" id="inner">A</span> possible'))
    completed = build_site(project_copy, project_copy / "site")
    assert completed.returncode != 0
    assert "marked sentence 'inner' is inside marked sentence 'ring-sign': marks may not nest" in completed.stderr


MACHINERY = ("calculator", "scripts", "theme")
MACHINERY_FILES = ("mkdocs.yml", "Makefile", "pyproject.toml", "package.json", ".ci/run")


def machinery_mentions(words: set[str]) -> list[str]:
    """Where the machinery names any of ``words``: as a word or part of an identifier (such as
    ``aimss_rules``), not inside another word (a guideline "demo" is not in "pyodideModule")."""
    paths = [p for d in MACHINERY for p in (ROOT / d).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    paths += [ROOT / name for name in MACHINERY_FILES]
    patterns = {word: re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])") for word in words}
    return [
        f"{path.relative_to(ROOT)}: {word}"
        for path in paths
        for word, pattern in patterns.items()
        if pattern.search(path.read_text(encoding="utf-8", errors="replace").lower())
    ]


def test_machinery_knows_no_guideline() -> None:
    from calculator.loader import discover_guidelines, load_guideline

    folders = [*discover_guidelines(ROOT / "content"), ROOT / "tests" / "fixtures" / "docformat"]
    words = {w for folder in folders for g in [load_guideline(folder)] for w in (g.id, g.info.short_title.lower())}
    words.add("aromatase")
    assert machinery_mentions(words) == []
    assert machinery_mentions({"pyodide"}) != []  # the check can see a word that is there


def test_a_guideline_named_demo_is_not_mistaken_for_part_of_a_machinery_word() -> None:
    assert "demo" in (ROOT / "theme" / "assets" / "calculator" / "worker.mjs").read_text().lower()  # pyodideModule
    assert machinery_mentions({"demo"}) == []


def test_no_source_file_is_hidden_from_git() -> None:
    """A .gitignore pattern once hid theme/assets/site/: sources must all be tracked. (The
    runtime the package ships is generated from package.json's pin: scripts/vendor_runtime.py.)"""
    import shutil as _shutil
    import subprocess

    from conftest import require

    require((ROOT / ".git").exists() and _shutil.which("git") is not None, "not a git checkout")
    ignored = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--", *MACHINERY, "content", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    generated = "scripts/guideline_site/runtime/"
    assert [p for p in ignored if "__pycache__" not in p and ".pyc" not in p and not p.startswith(generated)] == []


def test_the_site_installs_to_a_home_screen_with_opaque_icons(built_site: Path) -> None:
    """A web app manifest with icons, and Safari's apple-touch-icon: 180 px and opaque (iOS
    fills transparency with black and rounds the corners itself)."""
    import struct
    import zlib

    manifest = json.loads((built_site / "manifest.webmanifest").read_text())
    assert manifest["display"] == "standalone" and manifest["start_url"] == "./"
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"),
        ("192x192", "maskable"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    page = (built_site / "aimss" / "index.html").read_text()
    assert '<link rel="apple-touch-icon" href="../assets/site/apple-touch-icon.png">' in page
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in page
    png = (built_site / "assets" / "site" / "apple-touch-icon.png").read_bytes()
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (width, height, depth, colour) == (180, 180, 8, 6)
    data = zlib.decompress(png[png.index(b"IDAT") + 4 : png.index(b"IEND") - 8])
    stride = 1 + width * 4
    rows = [data[row * stride : (row + 1) * stride] for row in range(height)]
    assert all(row[0] == 0 for row in rows)  # unfiltered rows, so the alpha bytes can be read
    assert all(alpha == 255 for row in rows for alpha in row[4::4])
