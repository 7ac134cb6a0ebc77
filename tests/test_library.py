"""A library of guidelines: pages, first visits and search that do not grow with it.

The library is AIMSS plus synthetic copies of the non-clinical fixture (``scripts/library.py``).
Offline tests use a real service worker on a persistent profile, on the dev server and on
nginx; "offline" means the server is stopped (see test_offline.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Launch, build_site, copy_project, require
from guideline_site.assets import service_worker_manifest
from guideline_site.server import SiteServer
from nginx_server import NginxServer, free_port, nginx_available
from playwright.sync_api import Page, expect
from test_accessibility import axe_violations
from test_build import page_problems

GUIDELINES = 4
"""AIMSS and three synthetic guidelines."""
SAMPLES = ("sample-0001/", "sample-0002/", "sample-0003/")
OFFLINE_READY_MS = 60_000


def make_library(project: Path, total: int) -> None:
    command = [sys.executable, str(ROOT / "scripts" / "library.py"), str(project / "content"), str(total)]
    subprocess.run(command, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def library_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("library") / "project")
    make_library(project, GUIDELINES)
    return project


@pytest.fixture(scope="module")
def library_site(library_project: Path) -> Path:
    completed = build_site(library_project, library_project / "site")
    assert completed.returncode == 0, completed.stderr
    return library_project / "site"


def integrity_of(path: Path) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def site_file(site: Path, listed: str) -> Path:
    return site / (listed + "index.html" if listed == "" or listed.endswith("/") else listed)


def test_library_script_writes_distinct_non_clinical_guidelines(library_project: Path) -> None:
    folders = sorted(p.name for p in (library_project / "content").glob("sample-*"))
    assert folders == [s.rstrip("/") for s in SAMPLES]
    sources = [(library_project / "content" / f / "guideline.py").read_text() for f in folders]
    assert len({re.search(r'id="(sample_\d+)"', s).group(1) for s in sources}) == 3  # type: ignore[union-attr]
    assert all("topics=(" in s and "not a clinical source" in s for s in sources)


def test_each_guideline_is_an_offline_group_of_its_own_and_the_shell_holds_none(library_site: Path) -> None:
    manifest = service_worker_manifest(library_site)
    shell = [path for path, _ in manifest["shell"]]
    folders = ("aimss/", *SAMPLES)
    assert not [path for path in shell if path.startswith(folders)]
    assert "" not in shell and "search/catalogue.json" not in shell and "offline/groups.json" not in shell
    assert {"offline/", "404.html", "search/search_index.json"} <= set(shell)
    assert set(manifest["visited"]) == {"", "search/catalogue.json", "offline/groups.json"}
    index = json.loads((library_site / "offline" / "groups.json").read_text())
    titles = [g["title"] for g in index["guidelines"]]
    assert titles == sorted(titles, key=str.casefold) and len(titles) == GUIDELINES  # by title
    for folder in folders:
        group = json.loads((library_site / folder / "offline.json").read_text())
        listed = {path: integrity for path, integrity in group["files"]}
        for page in ("", "calculator/", "decision-table/", "changes/", "embed/"):
            assert folder + page in listed, folder + page
        for name in ("guideline.py", "sentences.json", "search.json", "decision-logic.json"):
            assert folder + name in listed
        for path, integrity in listed.items():
            assert integrity == integrity_of(site_file(library_site, path)), path
        assert group["bytes"] == sum(site_file(library_site, path).stat().st_size for path in listed)
        summary = next(g for g in index["guidelines"] if g["folder"] == folder)
        assert summary["bytes"] == group["bytes"] and summary["hash"] == group["hash"]
    built = {
        p.relative_to(library_site).as_posix()
        for p in library_site.rglob("*")
        if p.is_file() and p.suffix not in {".br", ".gz"}
    }
    in_groups = {
        site_file(library_site, path).relative_to(library_site).as_posix()
        for folder in folders
        for path, _ in json.loads((library_site / folder / "offline.json").read_text())["files"]
    }
    in_shell = {site_file(library_site, path).relative_to(library_site).as_posix() for path in shell}
    runtime = {path for path, _ in manifest["runtime"]["files"]}
    left = built - in_groups - in_shell - runtime
    # Only what no page needs offline, or keeps as last seen: nothing of a guideline is missed.
    assert {p for p in left if not p.endswith(".map") and not p.startswith("assets/javascripts/lunr/")} == {
        "sw.js",
        "index.html",
        "sitemap.xml",
        "search/catalogue.json",
        "offline/groups.json",
        *(f + "offline.json" for f in folders),
    }


def test_every_page_of_the_library_passes_the_page_checks_of_the_site(library_site: Path) -> None:
    """The checks test_build.py makes on the site's pages, on every page of the library (each
    guideline's text, calculator, embed, decision table, changes): no inline script or style
    (the CSP), and the Trusted Types policies as its first scripts."""
    pages = list(library_site.rglob("*.html"))
    assert len([page for page in pages if page.parent.name == "calculator"]) == GUIDELINES
    assert page_problems(library_site) == []


def test_search_every_page_loads_is_empty_and_each_guideline_has_its_own(library_site: Path) -> None:
    assert json.loads((library_site / "search" / "search_index.json").read_text())["docs"] == []
    catalogue = json.loads((library_site / "search" / "catalogue.json").read_text())["docs"]
    entries = {doc["location"]: doc for doc in catalogue}
    for folder in ("aimss/", *SAMPLES):
        assert folder in entries  # every guideline can be found by title, short title and topics
        own = json.loads((library_site / folder / "search.json").read_text())["docs"]
        assert own and all(doc["location"].startswith(folder) for doc in own)
    assert "palliative care" in entries["aimss/"]["text"]
    assert not [loc for loc in entries if loc.startswith(("aimss/", "sample-")) and loc.count("/") > 1]
    assert entries[""]["text"] == ""  # the catalogue page's table of every guideline is not indexed twice


def test_a_page_lists_its_own_guideline_and_the_site_not_the_library(library_site: Path, built_site: Path) -> None:
    page = (library_site / "aimss" / "index.html").read_text()
    assert 'href="calculator/"' in page and 'href="../offline/"' in page
    assert "sample-0001" not in page
    sample = (library_site / "sample-0002" / "index.html").read_text()
    assert "aimss/" not in sample and "sample-0001" not in sample
    # The same page in the AIMSS-only site: the library adds (almost) nothing.
    alone = (built_site / "aimss" / "index.html").stat().st_size
    assert (library_site / "aimss" / "index.html").stat().st_size <= 1.10 * alone


def test_the_catalogue_lists_every_guideline_with_versions_review_dates_and_topics(library_site: Path) -> None:
    home = (library_site / "index.html").read_text()
    rows = re.findall(r'<tr data-catalogue-row data-words="([^"]*)" data-topics="([^"]*)">', home)
    assert len(rows) == GUIDELINES
    assert rows[0][1] == "breast cancer|aromatase inhibitors|musculoskeletal symptoms|palliative care"
    assert '<option value="palliative care">' in home and '<option value="archiving">' in home
    assert home.count('<time datetime="2027-12-03">') == GUIDELINES  # next review of each


@pytest.mark.browser
def test_the_catalogue_filters_by_words_and_topic_from_the_keyboard(page: Page, library_site: Path) -> None:
    with SiteServer(library_site, prefix="/guidelines/") as server:
        page.goto(server.url)
        words = page.get_by_label("Title or topic contains")
        words.focus()
        page.keyboard.type("aromatase")
        rows = page.locator("[data-catalogue-row]")
        expect(rows.filter(has_text="AIMSS")).to_be_visible()
        expect(page.locator("[data-catalogue-count]")).to_have_text(f"Showing 1 of {GUIDELINES} guidelines.")
        assert axe_violations(page) == []
        assert rows.evaluate_all("rows => rows.filter(r => !r.hidden).length") == 1
        words.fill("")
        page.get_by_label("Topic", exact=True).select_option("archiving")
        expect(page.locator("[data-catalogue-count]")).to_have_text(re.compile(rf"Showing [12] of {GUIDELINES}"))
        assert rows.filter(has_text="AIMSS").is_hidden()
        page.keyboard.press("Enter")  # never submits the page away
        expect(page).to_have_url(server.url)


@pytest.fixture(params=["dev-server", "nginx"])
def server_kind(request: pytest.FixtureRequest) -> str:
    if request.param == "nginx":
        require(nginx_available(), "nginx with the brotli module is missing")
    return str(request.param)


class Switchable:
    """A server for the site on one fixed port, to be stopped (offline) and started again."""

    def __init__(self, site: Path, kind: str) -> None:
        self.site, self.kind, self.port = site, kind, free_port()
        self.server: SiteServer | NginxServer | None = None
        self.url = ""

    def start(self, site: Path | None = None) -> None:
        self.site = site or self.site
        if self.kind == "nginx":
            self.server = NginxServer(self.site, sub_path="/intranet/guidelines/", port=self.port)
        else:
            self.server = SiteServer(self.site, prefix="/intranet/guidelines/", port=self.port)
        self.server.__enter__()
        self.url = self.server.url

    def stop(self) -> None:
        if self.server is not None:
            self.server.__exit__(None, None, None)
            self.server = None

    def requested(self) -> list[str]:
        """Paths requested so far (of this server run), relative to the site."""
        assert self.server is not None
        if isinstance(self.server, NginxServer):
            paths = [line.split(" ")[1] for line in self.server.requests()]
        else:
            paths = list(self.server.requested)
        return [p.split("/intranet/guidelines/", 1)[-1].split("?")[0] for p in paths]


@pytest.fixture
def switchable(library_site: Path, server_kind: str) -> Iterator[Switchable]:
    server = Switchable(library_site, server_kind)
    server.start()
    yield server
    server.stop()


RECORD_STATUS = """
window.__statuses = [];
new MutationObserver(() => {
  const status = document.querySelector("[data-offline-text]");
  if (status && status.textContent !== window.__statuses.at(-1)) window.__statuses.push(status.textContent);
}).observe(document, { subtree: true, childList: true, characterData: true });
"""
"""Records every text of the offline status line, from the first."""


def offline_state(page: Page, state: str) -> None:
    expect(page.locator("[data-offline]")).to_have_attribute("data-offline-state", state, timeout=OFFLINE_READY_MS)


def guideline_caches(page: Page) -> list[str]:
    names: list[str] = page.evaluate("caches.keys()")
    return sorted(name.split(":guideline:", 1)[1].rsplit(":", 1)[0] for name in names if ":guideline:" in name)


def search(page: Page, term: str) -> Any:
    page.keyboard.press("/")
    page.locator("input.md-search__input").fill("")
    page.locator("input.md-search__input").press_sequentially(term, delay=20)
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(re.compile("Initializing|Type to start", re.I), timeout=10_000)
    return page.locator(".md-search-result__item")


@pytest.mark.browser
def test_a_reader_of_one_guideline_has_it_offline_and_not_another_until_chosen(
    launch: Launch, switchable: Switchable
) -> None:
    server = switchable
    page = launch().new_page()
    page.add_init_script(RECORD_STATUS)
    page.goto(server.url + "aimss/")
    offline_state(page, "ready-without-calculator")
    expect(page.locator("[data-offline]")).to_contain_text("This guideline (AIMSS) is kept on this device.")
    # No copy was on the device: the status said it may have been removed (Safari's 7 days).
    said = page.evaluate("window.__statuses")
    assert any("had no offline copy" in line and "7 days" in line for line in said), said
    assert guideline_caches(page) == ["aimss/"]
    fetched = server.requested()
    assert not [p for p in fetched if p.startswith("sample-") or p in ("search/catalogue.json", "offline/groups.json")]
    assert "aimss/decision-table/" in fetched and "aimss/search.json" in fetched  # the whole guideline

    server.stop()  # offline
    page.goto(server.url + "aimss/decision-table/")
    expect(page.locator("#rule-diffuse_duloxetine")).to_be_visible()
    items = search(page, "duloxetine")  # the kept guideline's full text is searched offline
    expect(items.first).to_contain_text("duloxetine", ignore_case=True)
    page.keyboard.press("Escape")
    page.goto(server.url + "sample-0001/")
    missing = page.locator("[data-offline-missing]")
    expect(missing).to_be_visible()
    expect(missing).to_contain_text(server.url + "sample-0001/")
    expect(page.locator("[data-offline-kept]")).to_contain_text("Aromatase Inhibitor Associated")
    expect(page.locator("[data-offline-kept]")).not_to_contain_text("sample 0001")

    server.start()  # back online: choose another guideline, seeing its size first
    page.goto(server.url + "offline/")
    row = page.locator("[data-offline-group='sample-0001/']")
    expect(row).to_contain_text(re.compile(r"\d+ KB"))
    expect(page.locator("[data-offline-group='aimss/']")).to_contain_text("Kept")
    assert axe_violations(page) == []  # the chooser, filled in
    row.get_by_role("checkbox").check()
    save = page.locator("[data-offline-save]")
    expect(save).to_have_text(re.compile(r"Save the chosen guidelines \(\d+ KB\)"))
    save.click()
    expect(page.locator("[data-offline-progress]")).to_have_text("Saved: 1 guideline is now kept on this device.")
    # Saving asked the browser to keep it, and the status line says what the browser answered.
    granted = page.evaluate("navigator.storage.persisted()")
    expect(page.locator("[data-offline]")).to_contain_text(
        "persistent storage granted" if granted else "may remove it when space runs low"
    )
    assert guideline_caches(page) == ["aimss/", "sample-0001/"]
    assert not [p for p in server.requested() if p.startswith(("sample-0002/", "sample-0003/"))]

    server.stop()
    page.goto(server.url + "sample-0001/calculator/")
    expect(page.locator("[data-calculator]")).to_be_visible()
    page.goto(server.url + "sample-0002/")
    expect(page.locator("[data-offline-missing]")).to_be_visible()
    page.goto(server.url + "offline/")  # offline, the page still lists and removes what is kept
    page.get_by_role("button", name="Remove Sample 0001 from this device").click()
    expect(page.locator("[data-offline-progress]")).to_have_text("Removed Sample 0001 from this device.")
    assert guideline_caches(page) == ["aimss/"]
    page.goto(server.url + "sample-0001/")
    expect(page.locator("[data-offline-missing]")).to_be_visible()
    page.goto(server.url + "aimss/")
    expect(page.locator("#timing")).to_be_visible()


@pytest.fixture(scope="module")
def library_site_v2(library_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The library again, with one guideline's text changed."""
    project = copy_project(tmp_path_factory.mktemp("library-v2") / "project")
    make_library(project, GUIDELINES)
    text = project / "content" / "sample-0001" / "index.md"
    text.write_text(text.read_text().replace("## ", "## Revised: ", 1))
    site = project / "site"
    completed = build_site(project, site)
    assert completed.returncode == 0, completed.stderr
    return site


@pytest.mark.browser
def test_an_update_fetches_only_what_changed_for_the_guidelines_kept(
    launch: Launch, library_site: Path, library_site_v2: Path
) -> None:
    server = Switchable(library_site, "dev-server")
    server.start()
    page = launch().new_page()
    page.goto(server.url + "sample-0001/")
    offline_state(page, "ready-without-calculator")
    page.goto(server.url + "sample-0002/")
    offline_state(page, "ready-without-calculator")
    assert guideline_caches(page) == ["sample-0001/", "sample-0002/"]
    server.stop()

    server.start(library_site_v2)
    page.goto(server.url + "sample-0002/")
    status = page.locator("[data-offline]")
    offline_state(page, "update")
    fetched = server.requested()
    changed = json.loads((library_site_v2 / "sample-0001" / "offline.json").read_text())["files"]
    before = dict(json.loads((library_site / "sample-0001" / "offline.json").read_text())["files"])
    differing = {path for path, integrity in changed if before.get(path) != integrity}
    assert differing == {"sample-0001/", "sample-0001/search.json"}
    # Of the kept guidelines, only the changed files and the groups' listings came again.
    kept_files = [p for p in fetched if p.startswith(("sample-0001/", "sample-0002/")) and p != "sample-0002/"]
    assert sorted(set(kept_files)) == sorted({"sample-0001/offline.json", "sample-0002/offline.json", *differing})
    assert not [p for p in fetched if p.startswith(("aimss/", "sample-0003/"))]  # not kept: not fetched
    shell_before = dict(service_worker_manifest(library_site)["shell"])
    shell_changed = {p for p, i in service_worker_manifest(library_site_v2)["shell"] if shell_before.get(p) != i}
    assert {p for p in fetched if p in shell_before} <= shell_changed | {"404.html"}
    with page.expect_navigation():
        status.get_by_role("button", name="Reload to update").click()
    assert guideline_caches(page) == ["sample-0001/", "sample-0002/"]
    server.stop()
    page.goto(server.url + "sample-0001/")
    expect(page.locator("h2").first).to_contain_text("Revised:")
