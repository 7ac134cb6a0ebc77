"""``make bundle``: a versioned zip of the built site for intranet administrators.

    python scripts/bundle.py [--site site] [--out dist]

The zip holds ``site/``, the server snippets of ``scripts/guideline_site/deploy.py``, a README for
admins, ``SHA256SUMS`` (every file of ``site/``, paths relative to it) and ``verify.py``
(stdlib only), so that one command on the server reports any file that is missing,
truncated or altered. Zip entries have fixed dates: the same site gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from datetime import date
from pathlib import Path

import jinja2
from guideline_site import deploy

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from guideline_site import assets as site_assets  # noqa: E402  (imports calculator)

from calculator import __version__  # noqa: E402
from calculator.loader import discover_guidelines, load_guideline  # noqa: E402

ZIP_DATE = (1980, 1, 1, 0, 0, 0)

VERIFY = Path(__file__).with_name("bundle_verify.py")
"""Shipped in the zip as ``verify.py``: stdlib only, for any admin's Python 3."""


def checksums(site: Path) -> str:
    lines = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(site).as_posix()}")
    return "\n".join(lines) + "\n"


def build_id(site: Path) -> str:
    return str(site_assets.service_worker_manifest(site)["build"])


def readme(name: str, frame_ancestors: str) -> str:
    guidelines = [load_guideline(folder).info for folder in discover_guidelines(PROJECT / "content")]
    package = json.loads((PROJECT / "package.json").read_text(encoding="utf-8"))
    template = jinja2.Template((Path(__file__).with_name("bundle_readme.md.j2")).read_text(encoding="utf-8"))
    first = discover_guidelines(PROJECT / "content")[0].name
    return str(
        template.render(
            site_name="Interactive clinical guidelines",
            name=name,
            built=date.today().isoformat(),
            calculator_version=__version__,
            pyodide_version=package["dependencies"]["pyodide"],
            guidelines=guidelines,
            headers=deploy.security_headers(frame_ancestors),
            frame_ancestors=frame_ancestors,
            sub_path_example="/intranet/guidelines/",
            embed_example=f"{first}/embed/",
            embed_title=f"{guidelines[0].short_title} calculator",
        )
    )


def bundle(site: Path, out: Path) -> Path:
    if not (site / "sw.js").is_file():
        raise SystemExit(f"{site} is not a built site: run `make site` first")
    ancestors = deploy.frame_ancestors_from_config(PROJECT / "mkdocs.yml")
    name = f"clinical-guidelines-{__version__}-{build_id(site)}"
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
    entries[f"{name}/README.md"] = readme(name, ancestors).encode()
    entries[f"{name}/SHA256SUMS"] = checksums(site).encode()
    entries[f"{name}/verify.py"] = VERIFY.read_bytes()
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            info = zipfile.ZipInfo(entry, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    parser.add_argument("--out", type=Path, default=PROJECT / "dist")
    args = parser.parse_args()
    print(bundle(args.site, args.out))


if __name__ == "__main__":
    main()
