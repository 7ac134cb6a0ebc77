"""``guideline-site bundle`` (``make bundle``): a zip an intranet admin can serve, embed and verify."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from guideline_site import bundle, deploy
from playwright.sync_api import Page, expect


@pytest.fixture(scope="module")
def unpacked(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    archive = bundle.bundle(built_site, out, ROOT / "mkdocs.yml")
    assert archive.name.startswith("interactive-clinical-guidelines-") and archive.suffix == ".zip"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(out)
    [folder] = [p for p in out.iterdir() if p.is_dir()]
    return folder


def verify(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(folder / "verify.py"), str(folder / "site")], capture_output=True, text=True
    )


def test_bundle_holds_the_site_snippets_readme_and_checksums(unpacked: Path, built_site: Path) -> None:
    for name in (
        "README.md",
        "SHA256SUMS",
        "verify.py",
        "deploy/nginx/guidelines-location.conf",
        "deploy/nginx/guidelines-http.conf",
        "deploy/apache/guidelines.conf",
        "deploy/iis/web.config",
    ):
        assert (unpacked / name).is_file(), name
    shipped = sorted(p.relative_to(unpacked / "site").as_posix() for p in (unpacked / "site").rglob("*") if p.is_file())
    built = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file())
    assert shipped == built
    readme = (unpacked / "README.md").read_text()
    assert f"Content-Security-Policy: {deploy.content_security_policy()}" in readme
    assert "data-result-events" in readme and "Privacy" in readme
    assert "python3 verify.py" in readme


def test_verify_passes_on_an_intact_copy(unpacked: Path) -> None:
    completed = verify(unpacked)
    assert completed.returncode == 0, completed.stdout
    lines = len((unpacked / "SHA256SUMS").read_text().splitlines())
    assert completed.stdout.strip() == f"OK: {lines} files"
    coreutils = subprocess.run(
        ["sha256sum", "--quiet", "-c", str(unpacked / "SHA256SUMS")], cwd=unpacked / "site", capture_output=True
    )
    assert coreutils.returncode == 0


def test_verify_reports_missing_truncated_and_altered_files(unpacked: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(unpacked, copy)
    (copy / "site" / "aimss" / "guideline.py").unlink()
    wasm = next((copy / "site" / "assets" / "pyodide").glob("*/pyodide.asm.wasm"))
    wasm.write_bytes(wasm.read_bytes()[:1000])
    page = copy / "site" / "aimss" / "index.html"
    page.write_text(page.read_text().replace("duloxetine", "dulox3tine"))
    completed = verify(copy)
    assert completed.returncode == 1
    assert "MISSING  aimss/guideline.py" in completed.stdout
    assert f"ALTERED  {wasm.relative_to(copy / 'site').as_posix()}" in completed.stdout
    assert "ALTERED  aimss/index.html" in completed.stdout
    assert "3 of" in completed.stdout


@pytest.mark.browser
def test_opened_from_disk_the_guideline_reads_and_the_calculator_points_to_the_decision_table(
    page: Page, unpacked: Path
) -> None:
    page.goto((unpacked / "site" / "aimss" / "index.html").as_uri())
    expect(page.locator("#diffuse-duloxetine")).to_contain_text("duloxetine")
    page.goto((unpacked / "site" / "aimss" / "calculator" / "index.html").as_uri())
    message = page.locator("[data-gc-needs-server]")
    expect(message).to_be_visible()
    message.get_by_role("link", name="decision table").click()
    expect(page.locator("#rule-diffuse_duloxetine")).to_be_visible()
