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
