"""No silently broken site: what the calculator needs is applied by the plugin or checked.

A site's ``mkdocs.yml`` names the plugin and nothing else of this repository's configuration;
what cannot work fails the build with the setting to write, and a calculator that could not
start in the browser is never built.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_site, copy_project

MINIMAL = """site_name: A hospital's guidelines
docs_dir: content
theme:
  name: material
  language: en
plugins:
  - search
  - guideline-site
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_a_minimal_configuration_gets_the_theme_fonts_and_styles_the_calculator_needs(
    project: Path, tmp_path: Path
) -> None:
    (project / "mkdocs.yml").write_text(MINIMAL, encoding="utf-8")
    completed = build_site(project, tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    page = (tmp_path / "site" / "aimss" / "calculator" / "index.html").read_text(encoding="utf-8")
    assert "data-calculator" in page  # the shipped theme's form, without custom_dir
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page
    assert 'href="../../assets/calculator/calculator.css"' in page
    assert "squidfunk" not in page  # no "Made with Material" link to another origin
    text = (tmp_path / "site" / "aimss" / "index.html").read_text(encoding="utf-8")
    assert 'class="admonition warning"' in text and "md-button" in text  # admonition, attr_list


def test_the_sites_own_custom_dir_wins_over_the_shipped_theme(project: Path, tmp_path: Path) -> None:
    overrides = project / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "guideline-info.html").write_text('<p class="our-own-info">Our own info line</p>\n')
    config = MINIMAL.replace("  language: en\n", "  language: en\n  custom_dir: overrides\n")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    completed = build_site(project, tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    page = (tmp_path / "site" / "aimss" / "index.html").read_text(encoding="utf-8")
    assert "Our own info line" in page
    assert "data-calculator" in (tmp_path / "site" / "aimss" / "calculator" / "index.html").read_text()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ("  name: material\n", "theme.name is 'mkdocs'"),
        ("  language: en\n", "theme.font is {'text': 'Inter'}"),
    ],
)
def test_a_setting_that_cannot_work_fails_the_build_saying_what_to_write(
    project: Path, tmp_path: Path, change: str, says: str
) -> None:
    replacement = "  name: mkdocs\n" if "name" in change else "  language: en\n  font:\n    text: Inter\n"
    (project / "mkdocs.yml").write_text(MINIMAL.replace(change, replacement), encoding="utf-8")
    completed = build_site(project, tmp_path / "site")
    assert completed.returncode != 0
    assert says in completed.stderr
    assert "mkdocs.yml" in completed.stderr


def test_a_guideline_the_browser_could_not_start_is_never_built(project: Path, tmp_path: Path) -> None:
    module = project / "content" / "aimss" / "guideline.py"
    source = module.read_text(encoding="utf-8")
    # Installed where the site is built, absent from the browser's Python: it would pass a build
    # that loaded the guideline in the build's own interpreter only.
    module.write_text("import jinja2  # noqa: F401\n" + source, encoding="utf-8")
    completed = build_site(project, tmp_path / "site")
    assert completed.returncode != 0
    assert re.search(r"the calculator would not start in the browser.*No module named 'jinja2'", completed.stderr)
    assert not (tmp_path / "site" / "aimss" / "calculator" / "index.html").exists()
