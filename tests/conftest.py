"""Shared fixtures: the AIMSS guideline, one built site and one browser per session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from calculator.loader import load_guideline
from calculator.model import Guideline

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from serve import SiteServer  # noqa: E402  (scripts/ is not a package)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def aimss() -> Guideline:
    return load_guideline(ROOT / "content" / "aimss")


def build_site(project_dir: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` for ``project_dir`` into ``site_dir``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    return subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    completed = build_site(ROOT, site)
    assert completed.returncode == 0, completed.stderr
    return site


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[SiteServer]:
    """The built site under a sub-path, as an intranet would serve it."""
    with SiteServer(built_site, prefix="/intranet/guidelines/") as server:
        yield server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, never a downloaded browser; missing means failure under CI."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report rule coverage reached by the property tests, when they ran."""
    properties = sys.modules.get("test_properties")
    coverage = getattr(properties, "COVERAGE", None)
    if not coverage:
        return
    from calculator.explore import rule_ids

    terminalreporter.section("rule coverage (property tests)")
    for guideline in properties.GUIDELINES:
        reached = coverage.get(guideline.id, set())
        every = rule_ids(guideline)
        share = 100 * len(reached & set(every)) / len(every)
        terminalreporter.write_line(f"{guideline.id}: {len(reached)} of {len(every)} rules shown ({share:.0f}%)")
