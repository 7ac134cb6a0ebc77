"""Debian's Apache httpd for the deployment tests, started and stopped by the tests themselves.

``ApacheServer`` runs ``apache2`` on 127.0.0.1 with the snippet ``scripts/guideline_site/deploy.py``
ships (``deploy/apache/guidelines.conf``, the same text an intranet admin includes), serving a built
site under a sub-path, with Debian's default ``mime.conf`` and ``deflate.conf`` loaded as
``a2enmod`` leaves them: the snippet must hold its own against what a stock server adds
(``AddLanguage br .br``, compressing on the fly). ``nginx_server.py`` is its model.

Apache refuses to serve as root: started as root, its workers run as ``www-data``, which cannot
read pytest's private temporary folders, so the site is copied into the server's own folder.
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
from nginx_server import free_port

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
DEBIAN_DEFAULTS = Path("/etc/apache2/mods-available")
REQUIRED_MODULES = (
    "mpm_event",
    "authz_core",
    "alias",
    "dir",
    "mime",
    "headers",
    "rewrite",
    "filter",
    "substitute",
    "env",
    "deflate",
)
"""The snippet names mod_alias, mod_headers, mod_mime, mod_rewrite and mod_substitute; the others
are what any Debian apache2 loads (deflate: enabled by default, and it must not recompress);
unixd and log_config are built in."""
WORKER_USER = "www-data"


def apache_available() -> bool:
    return Path(APACHE).exists() and all((MODULES / f"mod_{name}.so").exists() for name in REQUIRED_MODULES)


class ApacheServer:
    """apache2 serving ``site_dir`` at ``http://127.0.0.1:<port><sub_path>``; a context manager."""

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
        self.workdir = Path(tempfile.mkdtemp(prefix="apache-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.sub_path}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _served_folder(self) -> Path:
        if os.geteuid() != 0:
            return self.site_dir.resolve()
        self.workdir.chmod(0o755)
        copy = self.workdir / "site"
        shutil.copytree(self.site_dir, copy)
        for folder, _, names in os.walk(copy):  # pytest's folders are private (0700)
            Path(folder).chmod(0o755)
            for name in names:
                (Path(folder) / name).chmod(0o644)
        return copy

    def _write_config(self) -> Path:
        work = self.workdir
        root = self._served_folder()
        (work / "guidelines.conf").write_text(deploy.apache(self.sub_path, f"{root}/", self.frame_ancestors))
        modules = "".join(f"LoadModule {name}_module {MODULES}/mod_{name}.so\n" for name in REQUIRED_MODULES)
        defaults = "".join(
            f"Include {DEBIAN_DEFAULTS / name}\n"
            for name in ("mime.conf", "deflate.conf")
            if (DEBIAN_DEFAULTS / name).exists()
        )
        user = f"User {WORKER_USER}\nGroup {WORKER_USER}\n" if os.geteuid() == 0 else ""
        config = work / "apache2.conf"
        config.write_text(
            f"{modules}"
            f"ServerRoot {work}\nServerName localhost\nListen 127.0.0.1:{self.port}\n{user}"
            f"PidFile {work}/apache2.pid\nDefaultRuntimeDir {work}\nMutex file:{work} default\n"
            f"ErrorLog {work}/error.log\nLogLevel warn\n"
            f'LogFormat "%r %>s" requests\nCustomLog {work}/access.log requests\n'
            "StartServers 1\nServerLimit 1\nThreadsPerChild 16\nMaxRequestWorkers 16\n"
            "<Directory />\n    AllowOverride None\n    Require all denied\n</Directory>\n"
            f"{defaults}"
            f"Include {work}/guidelines.conf\n"
        )
        return config

    def start(self) -> ApacheServer:
        config = self._write_config()
        command = [APACHE, "-f", str(config)]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"apache2 rejected the shipped configuration:\n{check.stderr}")
        self.process = subprocess.Popen([*command, "-DFOREGROUND"], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError as error:
                if self.process.poll() is not None:
                    output = self.process.stderr.read().decode() if self.process.stderr else ""
                    raise RuntimeError(f"apache2 exited: {output}{self.error_log()}") from error
                time.sleep(0.05)
        raise RuntimeError("apache2 did not start listening within 10 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: the parent stops its workers and exits
            self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> ApacheServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def requests(self) -> list[str]:
        """The request lines of the access log (``GET /path HTTP/1.1 200``)."""
        path = self.workdir / "access.log"
        return path.read_text().splitlines() if path.exists() else []

    def error_log(self) -> str:
        path = self.workdir / "error.log"
        return path.read_text() if path.exists() else ""
