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

import argparse
import contextlib
import datetime
import re
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from guideline_site.release import write_record

NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
"""A guideline's folder name, which is also its address in the site."""
UNSAFE_IN_TITLE = re.compile(r'["\\\x00-\x1f\x7f]')
"""Characters a title may not hold: the templates put titles between double quotes (YAML,
Python, JSON), where these would need escaping."""
RENAMED_ON_WRITE = {"gitignore": ".gitignore"}
"""Template files stored without their leading dot: package data globs skip hidden files."""
CONFIG_FILE = "mkdocs.yml"


class ScaffoldError(ValueError):
    """What was asked cannot be created; the message says why and what to do. Nothing was written."""


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


@dataclass(frozen=True, kw_only=True, slots=True)
class SiteSettings:
    """What ``new-guideline`` reads from a site's ``mkdocs.yml``."""

    docs_dir: Path
    language: str


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
        raise ScaffoldError(f"{directory} already exists and is not an empty folder: choose a new folder for the site")
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
        raise ScaffoldError(f"NAME {name!r}: use lower-case letters, digits, '-' and '_', starting with a letter")
    _words(language)
    _check_title("title", title)
    _check_title("short title", short_title)
    if not docs_dir.is_dir():
        raise ScaffoldError(f"{docs_dir} is not a folder: run new-guideline in a site's folder (made by `new DIR`)")
    folder = docs_dir / name
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists: choose another NAME")
    values = {
        "guideline_id": name.replace("-", "_"),
        "title": title or name.replace("-", " ").replace("_", " ").capitalize(),
        "short_title": short_title or name.upper().replace("-", " ").replace("_", " "),
        "today": datetime.date.today().isoformat(),
    }
    with _removed_on_failure(folder):
        folder.mkdir()
        _write_tree(templates() / "guideline" / language, folder, values)
        write_record(folder)
    return folder


def site_settings(config_file: Path) -> SiteSettings:
    """The docs folder and language of the site that ``config_file`` configures (MkDocs' defaults where unset)."""
    from mkdocs.utils.yaml import yaml_load
    from yaml import YAMLError

    if not config_file.is_file():
        raise ScaffoldError(f"no {config_file}: run this in a site's folder (made by `new DIR`)")
    try:
        with config_file.open(encoding="utf-8") as stream:
            config = yaml_load(stream)
    except YAMLError as error:
        raise ScaffoldError(f"{config_file}: {error}") from error
    docs_dir = config.get("docs_dir", "docs")
    theme = config.get("theme")
    language = theme.get("language", "en") if isinstance(theme, dict) else "en"
    if not isinstance(docs_dir, str) or not isinstance(language, str):
        raise ScaffoldError(f"{config_file}: docs_dir and theme.language must be text")
    return SiteSettings(docs_dir=config_file.parent / docs_dir, language=language)


def new_site_main(argv: Sequence[str] | None = None) -> int:
    """``guideline-site new``: create the site, say what to run next; on error print it and return 1."""
    parser = argparse.ArgumentParser(
        prog="guideline-site new",
        description="Create a site with an example guideline, ready to serve and build.",
    )
    parser.add_argument("directory", type=Path, help="the new site's folder (absent or empty)")
    parser.add_argument("--language", choices=LANGUAGES, default="en", help="the site's language (default: en)")
    parser.add_argument("--title", help="the site's name (default: a generic one in its language)")
    args = parser.parse_args(argv)
    try:
        site = new_site(args.directory, language=args.language, title=args.title)
    except (ScaffoldError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Created {site}: `cd {site}` and `guideline-site serve` to see it.")
    return 0


def new_guideline_main(argv: Sequence[str] | None = None) -> int:
    """``guideline-site new-guideline``: create the guideline in the site of ``--config-file``; errors as in ``new``."""
    parser = argparse.ArgumentParser(
        prog="guideline-site new-guideline",
        description=(
            "Add a draft guideline to the site in this folder, in the site's language (theme.language), "
            "with its release record: it builds and passes its checks at once."
        ),
    )
    parser.add_argument("name", help="its folder under the docs folder: lower-case letters, digits, '-', '_'")
    parser.add_argument("--title", help="its full title (default: NAME in words)")
    parser.add_argument("--short-title", help="its short title, e.g. an acronym (default: NAME in capitals)")
    parser.add_argument(
        "-f", "--config-file", type=Path, default=Path(CONFIG_FILE), help="the site's settings (default: mkdocs.yml)"
    )
    args = parser.parse_args(argv)
    try:
        settings = site_settings(args.config_file)
        folder = new_guideline(
            settings.docs_dir, args.name, language=settings.language, title=args.title, short_title=args.short_title
        )
    except (ScaffoldError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Created {folder}: write its text in index.md and its rules in guideline.py (see Writing a guideline).")
    return 0


COMMANDS: Mapping[str, Callable[[Sequence[str] | None], int]] = {
    "new": new_site_main,
    "new-guideline": new_guideline_main,
}


def main(argv: Sequence[str] | None = None) -> int:
    """``new ...`` or ``new-guideline ...``: the two commands, for callers without the CLI (the Makefile)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] not in COMMANDS:
        print(f"usage: {' | '.join(COMMANDS)} ARGUMENTS (--help for each)", file=sys.stderr)
        return 2
    return COMMANDS[arguments[0]](arguments[1:])


def _words(language: str) -> SiteWords:
    if language not in SITE_WORDS:
        raise ScaffoldError(f"no template in language {language!r}: choose one of {', '.join(LANGUAGES)}")
    return SITE_WORDS[language]


def _check_title(what: str, title: str | None) -> None:
    if title is not None and (not title.strip() or UNSAFE_IN_TITLE.search(title)):
        raise ScaffoldError(f"{what} {title!r}: give some text without double quotes, backslashes or line breaks")


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


if __name__ == "__main__":
    sys.exit(main())
