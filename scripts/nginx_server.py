"""Real web servers for the deployment tests, started and stopped by the tests themselves.

``NginxServer`` runs Debian's nginx on 127.0.0.1 with the snippets ``scripts/guideline_site/deploy.py``
ships (the same text an intranet admin includes), serving a built site under a sub-path.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from guideline_site import deploy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_available() -> bool:
    return Path(NGINX).exists() and BROTLI_MODULE.exists()


class NginxServer:
    """nginx serving ``site_dir`` at ``http://127.0.0.1:<port><sub_path>``; a context manager."""

    def __init__(
        self,
        site_dir: Path,
        *,
        sub_path: str = "/intranet/guidelines/",
        frame_ancestors: str = deploy.DEFAULT_FRAME_ANCESTORS,
        port: int | None = None,
    ) -> None:
        self.site_dir = site_dir
        self.sub_path = sub_path
        self.frame_ancestors = frame_ancestors
        self.port = port or free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="nginx-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.sub_path}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _write_config(self) -> Path:
        work = self.workdir
        (work / "guidelines-http.conf").write_text(deploy.nginx_http(self.frame_ancestors))
        location = deploy.nginx_location(self.sub_path, f"{self.site_dir.resolve()}/", self.frame_ancestors)
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
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError as error:
                if self.process.poll() is not None:
                    output = self.process.stderr.read().decode() if self.process.stderr else ""
                    raise RuntimeError(f"nginx exited: {output}") from error
                time.sleep(0.05)
        raise RuntimeError("nginx did not start listening within 10 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> NginxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def error_log(self) -> str:
        path = self.workdir / "error.log"
        return path.read_text() if path.exists() else ""
