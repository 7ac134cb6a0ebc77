"""The static server of the preview and the tests, with the content types the calculator needs.

Module workers refuse ``.mjs`` unless it is served as JavaScript, and WebAssembly
streaming wants ``application/wasm``; Python's own ``http.server`` does not guarantee
either on every version. ``SiteRequestHandler`` sends the same Content-Security-Policy,
security headers and Cache-Control as the shipped server snippets (``guideline_site.deploy``),
and serves the site under a sub-path (``prefix``), as an intranet server would. The preview
(``guideline-site serve``) and the tests' ``SiteServer`` both use it, so what the tests
exercise is what authors preview. It binds to 127.0.0.1 only. (For precompressed files, use
nginx: see README, "Deployment".)
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Any, ClassVar

from guideline_site import deploy

CONTENT_TYPES = {
    f".{suffix}": f"{kind}; charset=utf-8" if kind.startswith("text/") and suffix != "html" else kind
    for suffix, kind in deploy.CONTENT_TYPES.items()
    if suffix != "html"
}


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the base class declares it as a plain attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **CONTENT_TYPES,
    }
    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", deploy.cache_control(self.path.split("?", 1)[0]))
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page gets the site's own 404.html (as from nginx: its base rewritten)."""
        missing = Path(self.directory) / deploy.NOT_FOUND_PAGE
        if code != 404 or not missing.is_file():
            super().send_error(code, message, explain)
            return
        page = missing.read_text(encoding="utf-8")
        for old, new in deploy.base_rewrites(self.prefix):
            page = page.replace(old, new)
        body = page.encode("utf-8")
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.requested.append(self.path)
        super().log_request(code, size)

    def log_message(self, format: str, *args: Any) -> None:  # quiet unless asked
        if self.server_verbose:
            super().log_message(format, *args)

    server_verbose = False
    extra_headers: ClassVar[dict[str, str]] = {}  # replaced per server, never mutated
    requested: ClassVar[list[str]] = []  # replaced per server


class SiteServer:
    """A threaded static server for ``site_dir`` on 127.0.0.1; use as a context manager."""

    def __init__(
        self,
        site_dir: Path,
        *,
        port: int = 0,
        prefix: str = "/",
        verbose: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        """``headers`` replace the default security headers (``guideline_site.deploy``: the CSP and others)."""
        if not prefix.startswith("/") or not prefix.endswith("/"):
            raise ValueError("prefix must start and end with '/'")
        chosen = deploy.security_headers() if headers is None else headers
        self.requested: list[str] = []
        """The path of every request served, in order (what tests check the device asked for)."""
        attributes = {"prefix": prefix, "server_verbose": verbose, "extra_headers": chosen, "requested": self.requested}
        handler = type("Handler", (SiteRequestHandler,), attributes)
        bound = functools.partial(handler, directory=str(site_dir))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), bound)
        self.prefix = prefix
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
