"""Real web servers for the deployment tests, started and stopped by the tests themselves.

``NginxServer`` runs Debian's nginx on 127.0.0.1 with the snippets ``scripts/guideline_site/deploy.py``
ships (the same text an intranet admin includes), serving a built site under a sub-path.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guideline_site import deploy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(process: subprocess.Popen[bytes], port: int, name: str, log: Callable[[], str] = str) -> None:
    """Return once ``process`` accepts connections on 127.0.0.1:``port``; raise with its
    output (and ``log()``) if it exits first, or after 10 s."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError as error:
            if process.poll() is not None:
                output = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"{name} exited: {output}{log()}") from error
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not start listening within 10 s")


def nginx_available() -> bool:
    return Path(NGINX).exists() and BROTLI_MODULE.exists()


CSP_REPORT_PATH = "/__csp_report"


class _ReportCollector:
    """A local HTTP server nginx passes CSP violation reports to (POSTs), kept in ``reports``."""

    def __init__(self) -> None:
        self.reports: list[Any] = []
        collector = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    collector.reports.append(json.loads(body or b"null"))
                except ValueError:
                    collector.reports.append(body.decode(errors="replace"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class NginxServer:
    """nginx serving ``site_dir`` at ``http://127.0.0.1:<port><sub_path>``; a context manager.

    With ``csp_reports``, the CSP also says ``report-uri``, and every violation a browser reports
    is kept (``csp_violations()``): for engines whose driver cannot see them. The access log
    (``requests()``) shows every request the server got, a proxy's absolute URIs included."""

    def __init__(
        self,
        site_dir: Path,
        *,
        sub_path: str = "/intranet/guidelines/",
        frame_ancestors: str = deploy.DEFAULT_FRAME_ANCESTORS,
        port: int | None = None,
        csp_reports: bool = False,
    ) -> None:
        self.site_dir = site_dir
        self.sub_path = sub_path
        self.frame_ancestors = frame_ancestors
        self.port = port or free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="nginx-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.collector = _ReportCollector() if csp_reports else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.sub_path}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _write_config(self) -> Path:
        work = self.workdir
        (work / "guidelines-http.conf").write_text(deploy.nginx_http(self.frame_ancestors))
        report_uri = CSP_REPORT_PATH if self.collector else None
        location = deploy.nginx_location(
            self.sub_path, f"{self.site_dir.resolve()}/", self.frame_ancestors, report_uri=report_uri
        )
        if self.collector:
            location += f"location = {CSP_REPORT_PATH} {{ proxy_pass http://127.0.0.1:{self.collector.port}; }}\n"
        (work / "guidelines-location.conf").write_text(location)
        user = "user root;\n" if os.geteuid() == 0 else ""
        config = work / "nginx.conf"
        config.write_text(
            f"load_module {BROTLI_MODULE};\n"
            f"{user}worker_processes 1;\ndaemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log warn;\n"
            "events { worker_connections 256; }\n"
            "http {\n"
            f"  access_log {work}/access.log;\n"
            f"  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;\n"
            f"  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;\n"
            "  sendfile on;\n"
            f"  include {work}/guidelines-http.conf;\n"
            f"  server {{\n    listen 127.0.0.1:{self.port};\n    server_name localhost;\n"
            f"    include {work}/guidelines-location.conf;\n  }}\n"
            "}\n"
        )
        return config

    def start(self) -> NginxServer:
        config = self._write_config()
        command = [NGINX, "-c", str(config), "-p", str(self.workdir)]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected the shipped configuration:\n{check.stderr}")
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE)
        wait_until_listening(self.process, self.port, "nginx")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> NginxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        if self.collector:
            self.collector.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def csp_violations(self) -> list[Any]:
        """Every CSP violation report received so far (``csp_reports=True``)."""
        return list(self.collector.reports) if self.collector else []

    def requests(self) -> list[str]:
        """The request lines of the access log (``GET /path HTTP/1.1``; a proxy's carry the full URL)."""
        path = self.workdir / "access.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [line.split('"')[1] for line in lines if line.count('"') >= 2]

    def error_log(self) -> str:
        path = self.workdir / "error.log"
        return path.read_text() if path.exists() else ""
