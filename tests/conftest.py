"""Shared fixtures: the AIMSS guideline, one built site and one browser per session."""

from __future__ import annotations

import contextlib
import inspect
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from guideline_site.server import SiteServer
from playwright.sync_api import Browser, BrowserContext, BrowserType, Page

from calculator.loader import load_guideline
from calculator.model import Guideline

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from chromium import CHROMIUM, CHROMIUM_ARGS, launch_profile  # noqa: E402  (scripts/ is not a package)
from nginx_server import NginxServer, nginx_available  # noqa: E402


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """The machinery speaks one language at a time (``calculator.text``): a test that switches
    to another leaves English behind it for the next."""
    yield
    from calculator import text

    if text.catalogue().language != text.DEFAULT_LANGUAGE or text.catalogue().fallbacks:
        text.use_language(text.DEFAULT_LANGUAGE)


@pytest.fixture(scope="session")
def aimss() -> Guideline:
    return load_guideline(ROOT / "content" / "aimss")


def require(available: bool, message: str) -> None:
    """Skip when a system tool is missing, except under CI=true, where that is a failure."""
    if not available:
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


TOP_LEVEL_NOT_COPIED = {
    ".venv",
    "node_modules",
    "site",
    "build",
    "dist",
    ".git",
    "test-artifacts",
    "tests",
    ".hypothesis",
}


def copy_project(destination: Path) -> Path:
    """A copy of the project's sources (top-level build products, tests and .git left out),
    with ``node_modules`` linked, to build or break on purpose."""

    def ignored(folder: str, names: list[str]) -> set[str]:
        top = Path(folder).resolve() == ROOT
        return {n for n in names if (top and n in TOP_LEVEL_NOT_COPIED) or n == "__pycache__"}

    shutil.copytree(ROOT, destination, ignore=ignored)
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    return destination


def build_site(
    project_dir: Path, site_dir: Path, *, settings: dict[str, str] | None = None, config_file: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` for ``project_dir`` into ``site_dir``.

    Builds share the main checkout's build cache, so copies of the project do not
    recompress the Python runtime.
    """
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "GUIDELINE_SITE_CACHE": str(ROOT / "build" / "site-cache"),
        **(settings or {}),
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    if config_file is not None:
        command += ["--config-file", config_file]
    return subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)


def rebuilt_site(work: Path, edits: dict[str, Callable[[str], str]]) -> Path:
    """Another build of the site, into ``work/site-v2``: the project copied to ``work/project``,
    each file named (relative to it) rewritten by its function. The build must succeed."""
    project = copy_project(work / "project")
    for name, edit in edits.items():
        source = project / name
        changed = edit(source.read_text())
        assert changed != source.read_text(), f"{name}: the edit changed nothing"
        source.write_text(changed)
    completed = build_site(project, work / "site-v2")
    assert completed.returncode == 0, completed.stderr
    return work / "site-v2"


UPDATED_TEXT = {"content/aimss/index.md": lambda text: text.replace("\n## ", "\nUPDATED BUILD.\n\n## ", 1)}
"""An edit for ``rebuilt_site``: the guideline's text says UPDATED BUILD. before its first section."""


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    completed = build_site(ROOT, site)
    assert completed.returncode == 0, completed.stderr
    return site


QUICK_BOOT_TIMEOUT = 3
"""Seconds: the boot timeout of ``quick_timeout_site``, so tests of a slow start wait that long, not 15."""


@pytest.fixture(scope="session")
def quick_timeout_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with a short boot timeout (the plugin's ``boot_timeout``, set by
    ``GUIDELINE_BOOT_TIMEOUT`` in ``mkdocs.yml``)."""
    site = tmp_path_factory.mktemp("quick-timeout-site")
    completed = build_site(ROOT, site, settings={"GUIDELINE_BOOT_TIMEOUT": str(QUICK_BOOT_TIMEOUT)})
    assert completed.returncode == 0, completed.stderr
    return site


@pytest.fixture(scope="session", params=["dev-server", "nginx"])
def site_server(request: pytest.FixtureRequest, built_site: Path) -> Iterator[SiteServer | NginxServer]:
    """The built site under a sub-path, with the shipped CSP: every browser test runs on
    ``make serve``'s server and on Debian's nginx with the shipped configuration."""
    if request.param == "nginx":
        require(
            nginx_available(),
            "nginx with the brotli module is missing: apt-get install nginx libnginx-mod-http-brotli-static",
        )
        with NginxServer(built_site, sub_path="/intranet/guidelines/aimss/") as nginx:
            yield nginx
    else:
        with SiteServer(built_site, prefix="/intranet/guidelines/") as server:
            yield server


CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  globalThis.__reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.href}`);
});
"""


class CspWatch:
    """Collects every Content-Security-Policy violation in the pages and contexts it watches.

    Each document (frames included) reports its ``securitypolicyviolation`` events to Python
    through an exposed function, as they happen, so nothing is lost when a page closes;
    Chromium's console line for a violation ("Refused to ...") is counted too.
    """

    def __init__(self) -> None:
        self.violations: list[str] = []

    def _report(self, violation: str) -> None:
        self.violations.append(violation)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def watch(self, target: Page | BrowserContext) -> None:
        target.expose_function("__reportCspViolation", self._report)
        target.add_init_script(CSP_WATCH)
        target.on("console", self._console)


@pytest.fixture
def csp_watch(request: pytest.FixtureRequest) -> Iterator[CspWatch]:
    """Fails the test on any CSP violation in what it watched (unless the test expects some)."""
    watch = CspWatch()
    yield watch
    if not request.node.get_closest_marker("csp_violations_expected"):
        assert watch.violations == [], "CSP violations"


@pytest.fixture(autouse=True)
def no_csp_violations(request: pytest.FixtureRequest) -> None:
    """Every browser test's ``page`` is watched; tests with browsers or contexts of their own
    watch them with ``csp_watch`` (or open them with ``watched_context``)."""
    if "page" in request.fixturenames:
        request.getfixturevalue("csp_watch").watch(request.getfixturevalue("page"))


@pytest.fixture
def watched_context(browser: Browser, csp_watch: CspWatch) -> Iterator[Callable[..., BrowserContext]]:
    """``browser.new_context`` whose pages are watched for CSP violations, closed after the test."""
    opened: list[BrowserContext] = []

    def open_context(**options: Any) -> BrowserContext:
        context = browser.new_context(**options)
        csp_watch.watch(context)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        with contextlib.suppress(Exception):
            context.close()


Launch = Callable[[], BrowserContext]


@pytest.fixture
def launch(
    browser_type: BrowserType, browser_type_launch_args: dict[str, Any], tmp_path: Path, csp_watch: CspWatch
) -> Iterator[Launch]:
    """Start Chromium on one persistent profile (call again after closing to restart it)."""
    profile = tmp_path / "profile"
    contexts: list[BrowserContext] = []

    def start() -> BrowserContext:
        context: BrowserContext = launch_profile(browser_type, profile)
        csp_watch.watch(context)
        contexts.append(context)
        return context

    yield start
    for context in contexts:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, never a downloaded browser; missing means failure under CI."""
    require(CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


BROWSER_FIXTURES = {"page", "context", "browser", "browser_type", "watched_context", "schemed_page", "device_page"}


def _calls_build_site(function: Any) -> bool:
    try:
        return "build_site(" in inspect.getsource(function)
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers that are true by construction: ``build`` on every test that builds a site (itself
    or through any fixture it uses), ``browser`` on every test that opens a browser."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        names = set(item.fixturenames)
        definitions = [defs[-1].func for name, defs in item._fixtureinfo.name2fixturedefs.items() if defs]
        if _calls_build_site(item.function) or any(_calls_build_site(func) for func in definitions):
            item.add_marker(pytest.mark.build)
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report rule coverage reached by the property tests, when they ran."""
    properties = sys.modules.get("test_properties")
    coverage = getattr(properties, "COVERAGE", None)
    if properties is None or not coverage:
        return
    from calculator.explore import rule_ids

    terminalreporter.section("rule coverage (property tests)")
    for guideline in properties.GUIDELINES:
        reached = coverage.get(guideline.id, set())
        every = rule_ids(guideline)
        share = 100 * len(reached & set(every)) / len(every)
        terminalreporter.write_line(f"{guideline.id}: {len(reached)} of {len(every)} rules shown ({share:.0f}%)")
