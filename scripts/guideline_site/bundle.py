"""``guideline-site bundle``: a versioned zip of the built site for intranet administrators.

    guideline-site bundle [--site-dir site] [--out dist] [-f mkdocs.yml]

The zip holds ``site/``, the server snippets of ``guideline_site.deploy``, a README for
admins, ``SHA256SUMS`` (every file of ``site/``, paths relative to it) and ``verify.py``
(stdlib only), so that one command on the server reports any file that is missing,
truncated or altered. Zip entries have fixed dates: the same site gives the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from calculator import __version__
from calculator.loader import discover_guidelines, load_guideline
from guideline_site import assets as site_assets
from guideline_site import deploy, runtime

ZIP_DATE = (1980, 1, 1, 0, 0, 0)

VERIFY = "bundle_verify.py"
"""Shipped in the zip as ``verify.py``: stdlib only, for any admin's Python 3."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SiteConfig:
    """What a bundle says of the site it holds, from its ``mkdocs.yml``."""

    site_name: str
    docs_dir: Path
    frame_ancestors: str

    @classmethod
    def load(cls, config_file: Path) -> SiteConfig:
        from mkdocs.config import load_config

        config = load_config(str(config_file))
        plugin = config.plugins["guideline-site"]
        return cls(
            site_name=config.site_name,
            docs_dir=Path(config.docs_dir),
            frame_ancestors=str(plugin.config.frame_ancestors),
        )


def _package_text(name: str) -> str:
    return (importlib.resources.files("guideline_site") / name).read_text(encoding="utf-8")


def checksums(site: Path) -> str:
    lines = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(site).as_posix()}")
    return "\n".join(lines) + "\n"


def build_id(site: Path) -> str:
    return str(site_assets.service_worker_manifest(site)["build"])


def readme(name: str, site: SiteConfig) -> str:
    folders = discover_guidelines(site.docs_dir)
    guidelines = [load_guideline(folder).info for folder in folders]
    template = jinja2.Template(_package_text("bundle_readme.md.j2"))
    first = folders[0].name if folders else ""
    frame_ancestors = site.frame_ancestors
    return str(
        template.render(
            site_name=site.site_name,
            name=name,
            built=date.today().isoformat(),
            calculator_version=__version__,
            pyodide_version=runtime.pyodide_version(),
            guidelines=guidelines,
            headers=deploy.security_headers(frame_ancestors),
            frame_ancestors=frame_ancestors,
            sub_path_example="/intranet/guidelines/",
            embed_example=f"{first}/embed/",
            embed_title=f"{guidelines[0].short_title} calculator" if guidelines else "",
        )
    )


def bundle_name(site_name: str) -> str:
    """The site's name as a file name: lower-case ASCII words joined by '-'."""
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-")
    return slug or "guidelines"


def bundle(site: Path, out: Path, config_file: Path) -> Path:
    """Zip the built ``site`` of the project whose configuration is ``config_file`` into ``out``."""
    if not (site / "sw.js").is_file():
        raise site_assets.BuildError(f"{site} is not a built site: run `guideline-site build` first")
    links = [path for path in sorted(site.rglob("*")) if path.is_symlink()]
    if links:  # the build refuses links in content/; a folder built otherwise or edited since may hold some
        named = "; ".join(f"{path.relative_to(site).as_posix()} -> {os.readlink(path)}" for path in links)
        raise site_assets.BuildError(f"{site} holds links, which a bundle never follows: {named}")
    config = SiteConfig.load(config_file)
    ancestors = config.frame_ancestors
    name = f"{bundle_name(config.site_name)}-{__version__}-{build_id(site)}"
    entries: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            entries[f"{name}/site/{path.relative_to(site).as_posix()}"] = path.read_bytes()
    snippets = {
        "nginx/guidelines-http.conf": deploy.nginx_http(ancestors),
        "nginx/guidelines-location.conf": deploy.nginx_location(frame_ancestors=ancestors),
        "apache/guidelines.conf": deploy.apache(frame_ancestors=ancestors),
        "iis/web.config": deploy.iis(frame_ancestors=ancestors),
    }
    for relative, text in snippets.items():
        entries[f"{name}/deploy/{relative}"] = text.encode()
    entries[f"{name}/README.md"] = readme(name, config).encode()
    entries[f"{name}/SHA256SUMS"] = checksums(site).encode()
    entries[f"{name}/verify.py"] = _package_text(VERIFY).encode()
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            info = zipfile.ZipInfo(entry, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return target
