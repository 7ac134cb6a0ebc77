"""New sites and new guidelines from the package's templates, each ready to build at once.

    guideline-site new DIR [--language en|fr] [--title "Site title"]
    guideline-site new-guideline NAME [--title "Full title"] [--short-title SHORT]

``new`` writes a whole site into DIR: ``mkdocs.yml`` with what the calculator needs, the
catalogue home page (``docs/index.md``), one example guideline and a short README.
``new-guideline``, run in a site's folder, adds ``docs/NAME/``: the guideline text
(``index.md``), the calculator page (``calculator.md``), the questions, rules and catalogue
(``guideline.py``) and a first pair of vignettes (``vignettes.json``), in the site's language
(``theme.language``). Both write the release record of the draft version, so the new
guideline passes its checks at once.

The templates are package data (``templates/site/``, ``templates/guideline/<language>/``),
read with ``importlib.resources``; a language is a folder in each plus its words in
``SITE_WORDS``. What they create is a draft that says it is not for clinical use: every
clinical sentence is the author's to write.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from calculator import text
from calculator.text import t
from guideline_site.release import write_record

NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
"""A guideline's folder name, which is also its address in the site."""
UNSAFE_IN_TITLE = re.compile(r'["\\\x00-\x1f\x7f]')
"""Characters a title may not hold: the templates put titles between double quotes (YAML,
Python, JSON), where these would need escaping."""
RENAMED_ON_WRITE = {"gitignore": ".gitignore"}
"""Template files stored without their leading dot: package data globs skip hidden files."""


class ScaffoldError(ValueError):
    """What was asked cannot be created; the message says why and what to do (in the active
    catalogue's language: the command chooses it, ``cli.scaffold.*``). Nothing was written."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SiteWords:
    """The words of a new site in one language that its templates leave open."""

    site_name: str
    site_description: str
    dark_mode_switch: str
    light_mode_switch: str
    example_name: str
    """The example guideline's folder (and address) in a new site."""
    example_title: str
    example_short_title: str


SITE_WORDS: Mapping[str, SiteWords] = {
    "en": SiteWords(
        site_name="Interactive clinical guidelines",
        site_description="Clinical guidelines with step-by-step calculators that run in the browser, offline.",
        dark_mode_switch="Switch to dark mode",
        light_mode_switch="Switch to light mode",
        example_name="example",
        example_title="Example guideline",
        example_short_title="Example",
    ),
    "fr": SiteWords(
        site_name="Recommandations cliniques interactives",
        site_description=(
            "Recommandations cliniques avec des calculateurs pas à pas qui fonctionnent dans le navigateur, hors ligne."
        ),
        dark_mode_switch="Passer au mode sombre",
        light_mode_switch="Passer au mode clair",
        example_name="exemple",
        example_title="Exemple de recommandation",
        example_short_title="Exemple",
    ),
}
LANGUAGES = tuple(SITE_WORDS)
"""The languages a site or guideline can be created in (``theme.language``)."""


def templates() -> Traversable:
    """The package's template folder (``site/``, ``guideline/<language>/``), read-only."""
    return resources.files("guideline_site") / "templates"


def new_site(directory: Path, *, language: str = "en", title: str | None = None) -> Path:
    """Write a new site into ``directory`` (absent or empty) and return it.

    The site has ``mkdocs.yml``, ``docs/index.md`` (the catalogue home page), a README with
    its commands, a ``.gitignore`` for build products, and the example guideline
    (``docs/<example name>/``) with its release record. ``title`` is the site's name
    (default: the language's ``SiteWords.site_name``). Raises ``ScaffoldError`` for an
    unknown language, an unsafe title or a ``directory`` that holds anything.
    """
    words = _words(language)
    _check_title("title", title)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ScaffoldError(t("cli.scaffold.not_empty", directory=directory))
    values = {
        "site_name": title or words.site_name,
        "site_description": words.site_description,
        "language": language,
        "dark_mode_switch": words.dark_mode_switch,
        "light_mode_switch": words.light_mode_switch,
        "example_name": words.example_name,
    }
    with _removed_on_failure(directory):
        directory.mkdir(parents=True, exist_ok=True)
        site_templates = templates() / "site"
        for template in site_templates.iterdir():
            if template.is_file():
                _write(template, directory, values)
        _write_tree(site_templates / language, directory, values)
        new_guideline(
            directory / "docs",
            words.example_name,
            language=language,
            title=words.example_title,
            short_title=words.example_short_title,
        )
    return directory


def new_guideline(
    docs_dir: Path, name: str, *, language: str, title: str | None = None, short_title: str | None = None
) -> Path:
    """Write the draft guideline ``docs_dir/name`` in ``language`` with its release record; return its folder.

    ``title`` defaults to ``name`` in words, ``short_title`` to ``name`` in capitals. Raises
    ``ScaffoldError`` for a malformed or taken ``name``, a missing ``docs_dir``, an unknown
    language or an unsafe title.
    """
    if not NAME.match(name):
        raise ScaffoldError(t("cli.scaffold.bad_name", name=repr(name)))
    _words(language)
    _check_title("title", title)
    _check_title("short_title", short_title)
    if not docs_dir.is_dir():
        raise ScaffoldError(t("cli.scaffold.no_docs_dir", docs_dir=docs_dir))
    folder = docs_dir / name
    if folder.exists():
        raise ScaffoldError(t("cli.scaffold.taken", folder=folder))
    values = {
        "guideline_id": name.replace("-", "_"),
        "title": title or name.replace("-", " ").replace("_", " ").capitalize(),
        "short_title": short_title or name.upper().replace("-", " ").replace("_", " "),
        "today": datetime.date.today().isoformat(),
    }
    with _removed_on_failure(folder):
        folder.mkdir()
        _write_tree(templates() / "guideline" / language, folder, values)
        with _speaking(language):
            write_record(folder)
    return folder


def _words(language: str) -> SiteWords:
    if language not in SITE_WORDS:
        raise ScaffoldError(t("cli.scaffold.no_template", language=repr(language), languages=", ".join(LANGUAGES)))
    return SITE_WORDS[language]


def _check_title(what: str, title: str | None) -> None:
    """``what``: ``title`` or ``short_title``, named in the message by the catalogue."""
    if title is not None and (not title.strip() or UNSAFE_IN_TITLE.search(title)):
        raise ScaffoldError(t("cli.scaffold.unsafe_title", what=t(f"cli.scaffold.{what}"), title=repr(title)))


def _write(template: Traversable, folder: Path, values: Mapping[str, str]) -> None:
    name = RENAMED_ON_WRITE.get(template.name, template.name)
    text = template.read_text(encoding="utf-8").format_map(values)
    (folder / name).write_text(text, encoding="utf-8")


def _write_tree(template_folder: Traversable, folder: Path, values: Mapping[str, str]) -> None:
    """Copy ``template_folder`` into ``folder``, filling each file's ``{placeholders}`` from ``values``."""
    folder.mkdir(exist_ok=True)
    for template in template_folder.iterdir():
        if template.name == "__pycache__":
            continue
        if template.is_dir():
            _write_tree(template, folder / template.name, values)
        else:
            _write(template, folder, values)


@contextlib.contextmanager
def _speaking(language: str) -> Iterator[None]:
    """The catalogue of ``language`` while the release record is written: the record holds the
    words of Yes/No and of the conditions, which ``check`` and the build read in the site's
    language. A caller already speaking it (the command, with the site's own overrides) keeps
    its catalogue; any other gets its own back afterwards."""
    previous = text.catalogue()
    if previous.language == language:
        yield
        return
    text.use_language(language)
    try:
        yield
    finally:
        text.use_catalogue(previous)


@contextlib.contextmanager
def _removed_on_failure(folder: Path) -> Iterator[None]:
    """Undo a half-written ``folder`` (absent or empty before) if writing fails, so the command can be run again."""
    existed = folder.exists()
    try:
        yield
    except BaseException:
        if not existed:
            shutil.rmtree(folder, ignore_errors=True)
        elif folder.is_dir():
            for child in folder.iterdir():
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink()
        raise
