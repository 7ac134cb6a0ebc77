"""``guideline-site bundle`` (``make bundle``): a zip an intranet admin can serve, embed and verify."""

from __future__ import annotations

import hashlib
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


def verify_watching_opens(folder: Path) -> subprocess.CompletedProcess[str]:
    """``verify`` with an audit hook that prints ``OPENED <path>`` to stderr for every file opened."""
    watch = (
        "import runpy, sys\n"
        "sys.addaudithook(lambda event, args: event == 'open' and print('OPENED', args[0], file=sys.stderr))\n"
        "sys.argv = sys.argv[1:]\n"
        "runpy.run_path(sys.argv[0], run_name='__main__')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", watch, str(folder / "verify.py"), str(folder / "site")], capture_output=True, text=True
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


@pytest.fixture
def small_bundle(tmp_path: Path) -> Path:
    """A bundle's verify.py and SHA256SUMS beside a three-file site: the checker alone, no build."""
    folder = tmp_path / "bundle"
    site = folder / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<h1>Guidelines</h1>\n")
    (site / "assets" / "app.js").write_text("export {};\n")
    (site / "404.html").write_text("<p>Not found</p>\n")
    (folder / "SHA256SUMS").write_text(bundle.checksums(site))
    (folder / "verify.py").write_text(bundle._package_text(bundle.VERIFY))
    return folder


def test_verify_reports_files_added_to_the_deployed_site(small_bundle: Path) -> None:
    (small_bundle / "site" / "shell.php").write_text("<?php system($_GET['c']);\n")
    (small_bundle / "site" / "assets" / "extra").mkdir()
    (small_bundle / "site" / "assets" / "extra" / "tracker.js").write_text("fetch('//elsewhere');\n")
    completed = verify(small_bundle)
    assert completed.returncode == 1, completed.stdout
    assert "EXTRA    shell.php" in completed.stdout
    assert "EXTRA    assets/extra/tracker.js" in completed.stdout


def test_verify_refuses_a_listed_file_or_folder_replaced_by_a_link(small_bundle: Path, tmp_path: Path) -> None:
    site = small_bundle / "site"
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "assets").mkdir(parents=True)
    (elsewhere / "index.html").write_bytes((site / "index.html").read_bytes())  # same bytes: the hash matches
    (site / "index.html").unlink()
    (site / "index.html").symlink_to(elsewhere / "index.html")
    (elsewhere / "assets" / "app.js").write_bytes((site / "assets" / "app.js").read_bytes())
    (site / "assets" / "app.js").unlink()
    (site / "assets").rmdir()
    (site / "assets").symlink_to(elsewhere / "assets")
    completed = verify(small_bundle)
    assert completed.returncode == 1, completed.stdout
    assert f"LINK     index.html -> {elsewhere / 'index.html'}" in completed.stdout
    assert f"LINK     assets -> {elsewhere / 'assets'}" in completed.stdout
    assert "MISSING  assets/app.js" in completed.stdout


def test_verify_never_opens_a_name_outside_the_site(small_bundle: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("outside\n")
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    sums = small_bundle / "SHA256SUMS"
    sums.write_text(sums.read_text() + f"{digest}  ../../secret.txt\n{digest}  {secret}\n")
    completed = verify_watching_opens(small_bundle)
    assert completed.returncode == 1, completed.stdout
    assert "SHA256SUMS line 4: ../../secret.txt is outside the site (a name must be relative, without ..)" in (
        completed.stdout
    )
    assert f"SHA256SUMS line 5: {secret} is outside the site (a name must be relative, without ..)" in (
        completed.stdout
    )
    assert f"OPENED {small_bundle / 'site' / 'index.html'}" in completed.stderr  # the watch works
    assert "secret.txt" not in completed.stderr


def test_verify_names_each_malformed_line_of_the_checksums(small_bundle: Path) -> None:
    sums = small_bundle / "SHA256SUMS"
    sums.write_text(sums.read_text() + "not a checksum line\nabc123  index.html\n" + "0" * 64 + "  \n")
    completed = verify(small_bundle)
    assert completed.returncode == 1, completed.stdout
    assert "Traceback" not in completed.stderr
    expected = "is not '<64 hex digits>  <path in the site>'"
    assert f"SHA256SUMS line 4: {expected}" in completed.stdout
    assert f"SHA256SUMS line 5: {expected}" in completed.stdout
    assert f"SHA256SUMS line 6: {expected}" in completed.stdout
    assert "3 lines of SHA256SUMS not understood" in completed.stdout


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


def test_bundle_refuses_a_site_folder_holding_links(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sw.js").write_text("// service worker\n")
    (site / "environ.txt").symlink_to("/proc/self/environ")
    with pytest.raises(bundle.site_assets.BuildError, match=r"environ\.txt -> /proc/self/environ"):
        bundle.bundle(site, tmp_path / "out", ROOT / "mkdocs.yml")
    assert not (tmp_path / "out").exists()
