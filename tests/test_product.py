"""A second organization's site, in French, from the distribution alone.

The wheel ``make dist`` writes is installed, with its declared dependencies and nothing else,
into a fresh virtual environment outside the repository, with no ``node`` or ``npm`` on
``PATH``. In an empty folder a guideline team then runs ``guideline-site new`` (French),
``check``, ``build``, ``serve`` and ``deploy``, and the built calculator is driven in Chromium
like a clinician would: ready, a French vignette gives its result, no CSP violation, no
request to another origin, and no word of the English catalogue in the page in any state.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from guideline_site.server import SiteServer
from nginx_server import free_port
from playwright.sync_api import Page, expect
from ui import READY_TIMEOUT_MS, Recorder

from calculator import text

LANGUAGE = "fr"
REBUILD_MS = 60_000
MIN_FRAGMENT = 8
"""Shorter pieces of English texts ("Plan", "Source") are words French shares."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Installed:
    """The distribution installed in a fresh virtual environment, and a new French site."""

    venv: Path
    env: dict[str, str]
    folder: Path
    """The site's folder (``guideline-site new``)."""
    wheel: Path
    build_seconds: float

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            [str(self.venv / "bin" / "guideline-site"), *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if check:
            assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed

    @property
    def guideline(self) -> Path:
        [folder] = [path.parent for path in (self.folder / "docs").glob("*/vignettes.json")]
        return folder


def _build_wheel(out: Path) -> Path:
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    [wheel] = out.glob("guideline_site-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("second-organization")
    assert not work.resolve().is_relative_to(ROOT)
    wheel = _build_wheel(work / "dist")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], capture_output=True, text=True
    )
    assert pip.returncode == 0, pip.stderr
    # Only the environment's own commands: no node, no npm, not this repository's tools.
    env = {
        "PATH": str(venv / "bin"),
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "NO_MKDOCS_2_WARNING": "1",
        "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
    }
    assert shutil.which("node", path=env["PATH"]) is None and shutil.which("npm", path=env["PATH"]) is None
    new = subprocess.run(
        [str(venv / "bin" / "guideline-site"), "new", "hopital", "--language", LANGUAGE],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert new.returncode == 0, new.stdout + new.stderr
    folder = work / "hopital"
    started = time.perf_counter()
    build = subprocess.run(
        [str(venv / "bin" / "guideline-site"), "build"], cwd=folder, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    assert build.returncode == 0, build.stdout + build.stderr
    print(f"\nfresh French site: wheel {wheel.stat().st_size / 1e6:.1f} MB, guideline-site build {seconds:.1f} s")
    return Installed(venv=venv, env=env, folder=folder, wheel=wheel, build_seconds=seconds)


def test_the_installed_package_is_used_and_nothing_is_written_into_it(installed: Installed) -> None:
    site_packages = next((installed.venv / "lib").glob("python3.*/site-packages"))
    shown = subprocess.run(
        [
            str(installed.venv / "bin" / "python"),
            "-c",
            "import calculator, guideline_site; print(calculator.__file__); print(guideline_site.__file__)",
        ],
        cwd=installed.folder,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(Path(path).is_relative_to(site_packages) for path in shown)
    package = site_packages / "guideline_site"
    recent = [p for p in package.rglob("*") if p.is_file() and p.stat().st_mtime > installed.wheel.stat().st_mtime + 60]
    assert [p for p in recent if "__pycache__" not in p.parts] == []
    assert (installed.folder / "site" / "index.html").is_file()
    assert (installed.folder / "build" / "site-cache").is_dir()  # the build's cache is the site's own


def test_the_new_site_is_french_and_every_page_says_so(installed: Installed) -> None:
    pages = list((installed.folder / "site").rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        assert re.search(r'<html[^>]* lang="fr"', page.read_text(encoding="utf-8")), page


def test_every_command_has_help(installed: Installed) -> None:
    for command in ("new", "new-guideline", "serve", "build", "check", "release-record", "deploy", "bundle"):
        shown = installed.run(command, "--help")
        assert shown.stdout.startswith(f"usage: guideline-site {command}"), command


def test_check_passes_then_names_the_file_and_line_of_a_broken_vignette(installed: Installed) -> None:
    passed = installed.run("check")
    assert passed.returncode == 0
    vignettes = installed.guideline / "vignettes.json"
    original = vignettes.read_text(encoding="utf-8")
    document = json.loads(original)
    broken = document["vignettes"][-1]
    broken["expect"]["plan"] = {
        "an_entry_that_does_not_exist": next(iter(broken["expect"]["classifications"].values()))["because"]
    }
    vignettes.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    try:
        failed = installed.run("check", check=False)
    finally:
        vignettes.write_text(original, encoding="utf-8")
    assert failed.returncode == 1
    line = next(
        number
        for number, content in enumerate(json.dumps(document, indent=2, ensure_ascii=False).splitlines(), 1)
        if f'"{broken["id"]}"' in content
    )
    relative = vignettes.relative_to(installed.folder).as_posix()
    assert f"{relative}:{line}:" in failed.stdout, failed.stdout
    assert installed.run("check").returncode == 0


def test_plain_mkdocs_build_gives_the_same_files(installed: Installed) -> None:
    plain = installed.folder / "plain-site"
    completed = subprocess.run(
        [str(installed.venv / "bin" / "mkdocs"), "build", "--strict", "--site-dir", str(plain)],
        cwd=installed.folder,
        env=installed.env,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    built = installed.folder / "site"

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    ours, theirs = files(built), files(plain)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_deploy_writes_the_server_snippets_into_the_sites_folder(installed: Installed) -> None:
    written = installed.run("deploy").stdout.split()
    assert written == [
        "deploy/nginx/guidelines-http.conf",
        "deploy/nginx/guidelines-location.conf",
        "deploy/apache/guidelines.conf",
        "deploy/iis/web.config",
    ]
    for relative in written[1:]:  # the first holds http-level settings; the others the headers
        assert "Content-Security-Policy" in (installed.folder / relative).read_text(), relative


def english_fragments() -> list[str]:
    """The pieces of every English catalogue text that French says otherwise (placeholders cut out)."""
    english, french = text.load_catalogue("en"), text.load_catalogue(LANGUAGE)
    fragments: set[str] = set()
    for key, entry in english.strings.items():
        if key.startswith("cli."):
            continue
        forms = entry.values() if isinstance(entry, dict) else [entry]
        theirs = french.strings.get(key)
        their_forms = set(theirs.values()) if isinstance(theirs, dict) else {theirs}
        for form in forms:
            if form in their_forms:
                continue
            for piece in re.split(r"\{[a-z_]+\}", form):
                piece = piece.strip(" .,:;()·")
                if len(piece) >= MIN_FRAGMENT and not any(piece in other for other in their_forms if other):
                    fragments.add(piece)
    return sorted(fragments)


PAGE_WORDS_JS = """() => {
  const attributes = [...document.querySelectorAll('[title],[aria-label],[placeholder],[alt],[value]')]
    .flatMap(el => ['title', 'aria-label', 'placeholder', 'alt'].map(a => el.getAttribute(a) ?? ''));
  const fields = [...document.querySelectorAll('textarea, output')].map(el => el.value ?? el.textContent);
  return [document.title, document.body.innerText, ...attributes, ...fields].join('\\n');
}"""


def assert_no_english(page: Page, state: str) -> None:
    shown = page.evaluate(PAGE_WORDS_JS)
    found = [fragment for fragment in english_fragments() if fragment in shown]
    assert found == [], f"English in the French calculator page ({state})"


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[SiteServer]:
    with SiteServer(installed.folder / "site", prefix="/hopital/") as server:
        yield server


def test_the_french_calculator_starts_and_answers_in_french_only(
    page: Page, served: SiteServer, installed: Installed
) -> None:
    recorder = Recorder(page)
    folder = installed.guideline
    french = text.load_catalogue(LANGUAGE)
    vignette = json.loads((folder / "vignettes.json").read_text(encoding="utf-8"))["vignettes"][0]
    page.goto(f"{served.url}{folder.name}/calculator/")
    assert_no_english(page, "empty, starting")
    calculator = page.locator("[data-calculator]")
    expect(calculator).to_have_attribute("data-calculator-state", "ready", timeout=READY_TIMEOUT_MS)
    expect(page.locator("[data-offline]")).not_to_have_attribute("data-offline-state", "waiting", timeout=20_000)
    assert_no_english(page, "empty, ready, offline status")

    # The vignette through the form, by the labels a clinician reads.
    for question, value in vignette["answers"].items():
        container = page.locator(f'[data-question="{question}"]')
        label = french.text(f"kinds.yes_no.{value}") if value in ("yes", "no") else str(value)
        container.get_by_label(label, exact=True).check()
    expected = vignette["expect"]["classifications"]
    for classification, wanted in expected.items():
        expect(page.locator(f'[data-classification="{classification}"]').first).to_have_attribute(
            "data-category", wanted["category"], timeout=READY_TIMEOUT_MS
        )
    assert_no_english(page, "result")

    page.get_by_role("button", name=french.text("actions.copy")).click()
    note = page.locator("textarea").first
    expect(note).not_to_be_empty()
    assert_no_english(page, "copy to note")

    page.get_by_role("button", name=french.text("actions.new_patient")).click()
    expect(page.locator("[data-classification]")).to_have_count(0)
    assert_no_english(page, "new patient, partly answered")

    # A link whose answer is not one of the options: the error, in French.
    page.goto(f"{served.url}{folder.name}/calculator/#{next(iter(vignette['answers']))}=peut-etre")
    expect(page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
    )
    page.wait_for_timeout(500)
    assert_no_english(page, "error from a link")

    origin = served.url.split("/hopital/")[0]
    assert [url for url in recorder.requests if not url.startswith((origin, "data:", "blob:"))] == []


def test_serve_shows_an_edit_in_the_open_page(page: Page, installed: Installed) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(installed.venv / "bin" / "guideline-site"), "serve", "--port", str(port)],
        cwd=installed.folder,
        env=installed.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if f"127.0.0.1:{port}/" in line:
                break
        else:
            raise AssertionError("".join(output))
        threading.Thread(target=lambda: output.extend(process.stdout or []), daemon=True).start()
        index = installed.guideline / "index.md"
        original = index.read_text(encoding="utf-8")
        page.goto(f"http://127.0.0.1:{port}/{installed.guideline.name}/")
        heading = page.locator("article h1").first
        expect(heading).to_be_visible()
        title = heading.inner_text()
        edited = re.sub(r"^# .*$", "# Titre modifié pendant l'aperçu", original, count=1, flags=re.MULTILINE)
        assert edited != original
        index.write_text(edited, encoding="utf-8")
        try:
            expect(heading).to_contain_text("Titre modifié pendant l'aperçu", timeout=REBUILD_MS)
        finally:
            index.write_text(original, encoding="utf-8")
        expect(heading).to_have_text(title, timeout=REBUILD_MS)
    finally:
        process.terminate()
        process.wait(timeout=10)
