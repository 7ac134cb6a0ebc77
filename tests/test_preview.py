"""`make serve`: the authors' preview rebuilds on every edit and open pages reload themselves,
under the same CSP as the deployed site; a broken edit keeps the last good build served."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from guideline_site import deploy
from nginx_server import free_port
from playwright.sync_api import Page, expect

REBUILD_MS = 60_000


class Preview:
    def __init__(self, project: Path) -> None:
        self.project, self.port, self.output = project, free_port(), []
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GUIDELINE_SITE_CACHE": str(ROOT / "build" / "site-cache")}
        command = [sys.executable, "-m", "guideline_site", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "-f", str(project / "mkdocs.yml"), "--prefix", "/preview/"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if line.startswith("Previewing at"):
                break
        else:
            raise AssertionError("".join(self.output))
        threading.Thread(target=lambda: self.output.extend(self.process.stdout or []), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}/preview/"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    project = copy_project(tmp_path_factory.mktemp("preview") / "project")
    server = Preview(project)
    yield server
    server.stop()


def test_the_preview_sends_the_sites_csp_and_no_offline_worker(preview: Preview) -> None:
    with urllib.request.urlopen(preview.url + "aimss/") as response:
        assert response.headers["Content-Security-Policy"] == deploy.security_headers()["Content-Security-Policy"]
        html = response.read().decode()
    inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) if "application/json" not in s]
    assert inline == []  # the reload script is a file, allowed by script-src 'self'
    assert '<script src="/preview/__preview/reload.js"' in html
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(preview.url + "sw.js")
    assert raised.value.code == 404
    assert not list((preview.project / "build" / "preview").glob("*/index.html.br"))  # nothing precompressed


@pytest.mark.browser
def test_an_edit_shows_in_the_open_page_and_a_broken_one_keeps_the_last_good_build(
    page: Page, preview: Preview
) -> None:
    page.goto(preview.url + "aimss/")
    expect(page.locator("[data-offline]")).to_have_attribute("data-offline-state", "preview")
    text = preview.project / "content" / "aimss" / "index.md"
    original = text.read_text()
    text.write_text(original.replace("## Background", "## Background, edited in the preview", 1))
    heading = page.locator("article h2").first
    expect(heading).to_contain_text("edited in the preview", timeout=REBUILD_MS)

    module = preview.project / "content" / "aimss" / "guideline.py"
    source = module.read_text()
    module.write_text(source.replace('short_title="AIMSS"', "short_title=", 1))  # a syntax error
    try:
        for _ in range(600):
            if "build failed, still serving the previous one" in "".join(preview.output):
                break
            page.wait_for_timeout(100)
        assert "guideline.py" in "".join(preview.output)
        page.reload()
        expect(heading).to_contain_text("edited in the preview")
        module.write_text(source)
        text.write_text(original)
        expect(heading).not_to_contain_text("edited in the preview", timeout=REBUILD_MS)
    finally:
        module.write_text(source)
        text.write_text(original)


def _rebuild_seconds(preview: Preview) -> list[float]:
    return [float(line.split()[2]) for line in preview.output if line.startswith("rebuilt in ")]


def _wait_for_rebuilds(preview: Preview, count: int) -> None:
    for _ in range(REBUILD_MS // 100):
        if len(_rebuild_seconds(preview)) >= count:
            return
        threading.Event().wait(0.1)
    raise AssertionError(f"no rebuild within {REBUILD_MS} ms:\n" + "".join(preview.output))


def test_a_log_written_in_the_project_folder_rebuilds_nothing_and_an_edit_of_the_docs_rebuilds(
    preview: Preview,
) -> None:
    """`make serve > serve.log` in the project's folder: the preview watches only what the site is
    built from (mkdocs.yml, the docs, custom_dir, locales/), so its own log never triggers a
    rebuild (which would log a line, which would trigger a rebuild, forever)."""
    page = preview.project / "content" / "aimss" / "index.md"
    original = page.read_text()
    try:
        # An edit of the docs is rebuilt: the watcher runs (and tells how long a rebuild takes).
        before = len(_rebuild_seconds(preview))
        page.write_text(original + "\n")
        _wait_for_rebuilds(preview, before + 1)
        threading.Event().wait(1.0)  # a burst's late events settle
        settled = _rebuild_seconds(preview)
        log = preview.project / "serve.log"
        for line in range(20):
            with log.open("a") as written:
                written.write(f"line {line}\n")
            threading.Event().wait(0.1)
        (preview.project / "notes.txt").write_text("not part of the site\n")
        # A rebuild the log had started would have ended within twice the longest one seen.
        threading.Event().wait(2 * max(settled) + 1.0)
        assert _rebuild_seconds(preview) == settled, "".join(preview.output)
    finally:
        page.write_text(original)
