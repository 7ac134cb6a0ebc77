"""The authors' preview (``guideline-site serve``): build, serve, and rebuild on every change.

    guideline-site serve [--port 8000] [--prefix /] [-f mkdocs.yml]

Builds the site in this process into ``build/preview/a`` or ``build/preview/b`` (alternately,
beside ``mkdocs.yml``) and serves the last good build through ``guideline_site.server``'s handler:
the same Content-Security-Policy and headers as the shipped server snippets. A change to what
the site is built from (``watched_paths``: ``mkdocs.yml``, the docs folder, the site's
``custom_dir`` and ``locales/``, and the generator's own folders when they are part of the
project, as in its source checkout) starts a rebuild; nothing else in the project folder does
(a log written there is not a change). When a rebuild is done, open
pages reload themselves through an external script (``/__preview/reload.js``, allowed by
``script-src 'self'``; no inline script) that long-polls ``/__preview/build``
(``connect-src 'self'``). A build that fails is reported here and the previous one stays
served. Offline use is off in the preview (it would serve the previous build from the
device): ``sw.js`` is not served and the pages say so. Deploy what ``make site`` builds.
"""

from __future__ import annotations

import functools
import http.server
import logging
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

from calculator import text
from guideline_site import assets, deploy, settings
from guideline_site.server import SiteRequestHandler

RELOAD_SCRIPT = "__preview/reload.js"
BUILD_ID = "__preview/build"
RELOAD_JS = b"""// The authors' preview: reload the page once a rebuild is served (guideline_site/preview.py).
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script ? script.getAttribute("data-build-url") : "";
  var seen = null;
  function poll() {
    fetch(url + (seen ? "?since=" + seen : ""), { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (id) {
        if (seen && id !== seen) return location.reload();
        seen = id;
        poll();
      }, function () { setTimeout(poll, 1000); });
  }
  if (url) poll();
})();
"""


class Preview:
    """Builds of one project, alternating between two folders; the last good one is served."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self.project = config_file.parent
        self.out = self.project / "build" / "preview"
        self.current: Path | None = None
        self.build_id = "0"
        self.changed = threading.Condition()
        self.lock = threading.Lock()  # one build at a time: a build's state lives on its plugin
        self.templates: tuple[tuple[str, ...], Any] | None = None

    def build(self) -> float:
        """Build into the folder not being served, then serve it. Returns the seconds it took."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        start = time.perf_counter()
        with self.lock:
            target = self.out / ("b" if self.current == self.out / "a" else "a")
            if target.exists():  # the build before last: deleted aside, so the build need not wait
                aside = self.out / f"old-{time.time_ns()}"
                target.rename(aside)
                threading.Thread(target=shutil.rmtree, args=(aside,), kwargs={"ignore_errors": True}).start()
            config = load_config(str(self.config_file), site_dir=str(target))
            self._reuse_templates(config)
            # Precompressed copies are for nginx; this server sends files as they are.
            config.plugins["guideline-site"].config["compress"] = False
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
            with self.changed:
                self.current = target
                self.build_id = str(time.time_ns())
                self.changed.notify_all()
        return time.perf_counter() - start

    def _reuse_templates(self, config: Any) -> None:
        """One Jinja environment for every rebuild with the same theme folders: templates are
        compiled once (Jinja recompiles one whose file changed), not at every rebuild."""
        theme = config.theme
        make = theme.get_env

        def get_env() -> Any:
            key = tuple(theme.dirs)  # as the plugins left them (guideline-site adds its theme)
            if self.templates is None or self.templates[0] != key:
                self.templates = (key, make())
            return self.templates[1]

        theme.get_env = get_env

    def wait_for_build(self, since: str, timeout: float) -> str:
        with self.changed:
            self.changed.wait_for(lambda: self.build_id != since, timeout=timeout)
            return self.build_id


class PreviewHandler(SiteRequestHandler):
    preview: Preview

    def translate_path(self, path: str) -> str:
        self.directory = str(self.preview.current)  # the build served when this request came
        return super().translate_path(path)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        relative = path[len(self.prefix) :] if path.startswith(self.prefix) else None
        if relative == RELOAD_SCRIPT:
            return self._send(RELOAD_JS, "text/javascript; charset=utf-8")
        if relative == BUILD_ID:
            since = self.path.partition("since=")[2]
            current = self.preview.wait_for_build(since, timeout=25 if since else 0)
            return self._send(current.encode(), "text/plain; charset=utf-8")
        if relative == assets.SERVICE_WORKER:
            return self.send_error(404, "no offline use in the preview")
        file = Path(self.translate_path(self.path))
        file = file / "index.html" if file.is_dir() else file
        if relative is not None and file.suffix == ".html" and file.is_file():
            tag = (
                f'<script src="{self.prefix}{RELOAD_SCRIPT}" data-build-url="{self.prefix}{BUILD_ID}" '
                "data-preview defer></script></body>"
            )
            html = file.read_bytes().replace(b"</body>", tag.encode(), 1)
            return self._send(html, "text/html; charset=utf-8")
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def reuse_search_entries() -> None:
    """Material's search parses every page's HTML at every build; in the preview, a page whose
    HTML did not change since the last build gets the same entries back (the index written is
    the same as a full build's). Bounded: one set of entries per page URL."""
    from material.plugins.search.plugin import SearchIndex

    index_page = SearchIndex.add_entry_from_context
    cache: dict[str, tuple[tuple[Any, ...], list[Any]]] = {}

    def add_entry_from_context(self: Any, page: Any) -> None:
        key = (page.title, page.content, repr(page.meta.get("search")))
        found = cache.get(page.url)
        if found is not None and found[0] == key:
            self.entries.extend(found[1])
            return
        before = len(self.entries)
        index_page(self, page)
        cache[page.url] = (key, self.entries[before:])

    SearchIndex.add_entry_from_context = add_entry_from_context


def serve(preview: Preview, port: int, prefix: str) -> http.server.ThreadingHTTPServer:
    attributes: dict[str, Any] = {
        "prefix": prefix,
        "server_verbose": False,
        "extra_headers": deploy.security_headers(),
        "requested": [],
        "preview": preview,
    }
    handler = type("Handler", (PreviewHandler,), attributes)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(preview.out)))


def watch(preview: Preview, debounce: float = 0.05) -> Any:
    """Rebuild after changes under the watched folders (and mkdocs.yml), a burst at a time."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    pending = threading.Event()

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            name = str(event.src_path)
            if event.is_directory or "__pycache__" in name or event.event_type in ("opened", "closed_no_write"):
                return
            if name.endswith((".swp", "~")) or "/." in name:
                return
            pending.set()

    def loop() -> None:
        while True:
            pending.wait()
            time.sleep(debounce)  # an editor's save is often several events
            pending.clear()
            try:
                print(text.t("cli.serve.rebuilt", seconds=f"{preview.build():.2f}"), flush=True)
            except Exception as error:  # the previous build stays served
                print(text.t("cli.serve.failed", message=str(error)), file=sys.stderr, flush=True)

    class OnlyThese(FileSystemEventHandler):
        """Passes on the events of the named files only (``watchdog`` watches folders, not files)."""

        def __init__(self, names: set[str], handler: FileSystemEventHandler) -> None:
            self.names, self.handler = names, handler

        def dispatch(self, event: FileSystemEvent) -> None:
            if str(event.src_path) in self.names or str(getattr(event, "dest_path", "")) in self.names:
                self.handler.dispatch(event)

    threading.Thread(target=loop, daemon=True).start()
    observer = Observer()
    folders, files = watched_paths(preview.config_file)
    for folder in folders:
        observer.schedule(OnChange(), str(folder), recursive=True)
    parents = {file.parent for file in files}
    for parent in parents:  # a file is watched through its folder, the folder's other files are not
        wanted = {str(file) for file in files if file.parent == parent}
        observer.schedule(OnlyThese(wanted, OnChange()), str(parent), recursive=False)
    observer.start()
    return observer


def watched_paths(config_file: Path) -> tuple[list[Path], list[Path]]:
    """What the site is built from: (folders watched whole, single files).

    ``mkdocs.yml``; the docs folder; the site's ``custom_dir`` and ``locales/`` when there; and
    the engine, the plugin and its theme when they sit inside the project (this repository,
    installed editable), not when they are an installed package."""
    from mkdocs.config import load_config

    import calculator

    config = load_config(str(config_file))
    project = config_file.parent.resolve()
    folders = [Path(config.docs_dir).resolve()]
    custom = config.theme.custom_dir
    if custom:
        folders.append(Path(custom).resolve())
    if (project / text.SITE_LOCALES).is_dir():
        folders.append(project / text.SITE_LOCALES)
    machinery = (Path(calculator.__file__).parent, Path(deploy.__file__).parent, settings.theme_folder())
    folders += [folder.resolve() for folder in machinery if folder.resolve().is_relative_to(project)]
    unique = [folder for folder in dict.fromkeys(folders) if folder.is_dir()]
    return unique, [config_file.resolve()]


def run(config_file: Path, *, port: int, prefix: str) -> None:
    """Build, serve on 127.0.0.1 and rebuild on change until interrupted (``guideline-site serve``)."""
    # MkDocs' own warnings and errors (the build's messages naming file and line), as its CLI shows them.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    reuse_search_entries()
    preview = Preview(config_file.resolve())
    print(text.t("cli.serve.built", seconds=f"{preview.build():.2f}"), flush=True)
    httpd = serve(preview, port, prefix)
    observer = watch(preview)
    host, bound = httpd.server_address[:2]
    print(text.t("cli.serve.listening", url=f"http://{host!s}:{bound}{prefix}"), flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        print("\n" + text.t("cli.serve.stopped"))
    finally:
        observer.stop()
