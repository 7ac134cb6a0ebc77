"""`make serve`'s server sends the content types module workers and WebAssembly need."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from guideline_site.server import SiteServer

PYODIDE = "assets/pyodide/314.0.7/"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("assets/calculator/widget.mjs", "text/javascript"),
        ("assets/calculator/worker.mjs", "text/javascript"),
        (PYODIDE + "pyodide.mjs", "text/javascript"),
        (PYODIDE + "pyodide.asm.wasm", "application/wasm"),
        (PYODIDE + "pyodide-lock.json", "application/json"),
        ("aimss/guideline.py", "text/plain; charset=utf-8"),
        ("aimss/calculator/", "text/html"),
    ],
)
def test_content_types(built_site: Path, path: str, content_type: str) -> None:
    with SiteServer(built_site, prefix="/a/b/") as server, urllib.request.urlopen(server.url + path) as response:
        assert response.headers["Content-Type"].split(";")[0] == content_type.split(";")[0]


def test_paths_outside_the_prefix_are_not_served(built_site: Path) -> None:
    with SiteServer(built_site, prefix="/a/b/") as server:
        outside = server.url.replace("/a/b/", "/index.html")
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(outside)
        assert raised.value.code == 404


def test_binds_to_loopback_only(built_site: Path) -> None:
    with SiteServer(built_site) as server:
        assert server.url.startswith("http://127.0.0.1:")
