"""``guideline-site new`` and ``new-guideline`` give a site and guidelines that build and pass their checks at once."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import build_site
from guideline_site import scaffold
from guideline_site.cli import main as guideline_site
from guideline_site.scaffold import ScaffoldError, new_guideline, new_site

from calculator import text
from calculator.engine import assess
from calculator.explore import rule_ids
from calculator.export import decision_logic, without_build_details
from calculator.loader import load_guideline
from calculator.model import Guideline
from calculator.vignettes import expected_summary, load_vignettes, result_summary

SITE_FILES = [
    ".gitignore",
    "README.md",
    "docs/index.md",
    "docs/{example}/calculator.md",
    "docs/{example}/guideline.py",
    "docs/{example}/index.md",
    "docs/{example}/releases/0.1.0.json",
    "docs/{example}/vignettes.json",
    "mkdocs.yml",
]


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """A command may switch the messages to a site's language; the next test starts in English."""
    yield
    text.use_language("en")


def build_new_site(site: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """Build a site made by ``new`` into ``output``, as its team would: its own ``mkdocs.yml``
    only (the plugin brings the theme and the runtime)."""
    return build_site(site, output)


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def read_config(site: Path) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    with (site / "mkdocs.yml").open(encoding="utf-8") as stream:
        config: dict[str, Any] = yaml_load(stream)
    return config


def shown_texts(guideline: Guideline) -> list[str]:
    """Every text of a guideline a reader sees, in a fixed order."""
    info = guideline.info
    texts = [info.title, info.source, info.reviewer, info.intended_use, *info.authors]
    for step in guideline.steps:
        texts += [step.title, *(text for q in step.questions for text in (q.label, q.help))]
    for classification in guideline.classifications:
        texts += [classification.label, *(text for c in classification.categories for text in (c.label, c.text))]
    for section in guideline.sections:
        texts += [section.title, *(e.text for e in section.entries)]
    return texts + [e.text for e in guideline.findings] + list(guideline.sentences.values())


def logic_without_words(guideline: Guideline) -> Any:
    """What a guideline decides, and from which answers and sentences, whatever its language."""
    return (
        [(q.id, q.kind, [o.id for o in q.options], q.applies_when) for q in guideline.questions],
        rule_ids(guideline),
        [(c.when, c.source) for classification in guideline.classifications for c in classification.categories],
        [(e.when, e.source) for e in guideline.entries()],
    )


@pytest.mark.build
def test_a_new_site_builds_with_its_example_and_a_guideline_added_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = new_site(tmp_path / "site")
    monkeypatch.chdir(site)
    assert guideline_site(["new-guideline", "demo", "--title", "Demonstration guideline"]) == 0

    completed = build_new_site(site, tmp_path / "public")
    assert completed.returncode == 0, completed.stderr
    public = tmp_path / "public"
    for guideline in ("example", "demo"):
        for page in (
            "index.html",
            "calculator/index.html",
            "decision-table/index.html",
            "changes/index.html",
            "embed/index.html",
            "fhir/PlanDefinition.json",
        ):
            assert (public / guideline / page).is_file(), f"{guideline}/{page}"
        assert f'href="{guideline}/calculator/"' in (public / "index.html").read_text()
        assert "not for clinical use" in (public / guideline / "calculator" / "index.html").read_text()
        changes = (public / guideline / "changes" / "index.html").read_text()
        assert "This is the first release of this guideline" in changes
    assert "Demonstration guideline" in (public / "index.html").read_text()


@pytest.mark.parametrize(("language", "example"), [("en", "example"), ("fr", "exemple")])
def test_a_new_site_has_the_calculators_settings_and_its_commands(tmp_path: Path, language: str, example: str) -> None:
    site = new_site(tmp_path / "site", language=language, title="Guidelines of the ward")
    assert files_of(site) == sorted(name.format(example=example) for name in SITE_FILES)
    config = read_config(site)
    assert config["site_name"] == "Guidelines of the ward"
    assert config["docs_dir"] == "docs"
    assert config["theme"]["name"] == "material" and config["theme"]["language"] == language
    assert "custom_dir" not in config["theme"], "the plugin brings its own theme"
    assert config["theme"]["font"] is False and config["extra"] == {"generator": False}
    assert config["extra_css"] == ["assets/calculator/calculator.css"]
    assert "search" in config["plugins"] and any(
        "guideline-site" in p for p in config["plugins"] if isinstance(p, dict)
    )
    assert "<!-- guidelines -->" in (site / "docs" / "index.md").read_text()
    readme = (site / "README.md").read_text()
    for command in ("guideline-site serve", "guideline-site build", "guideline-site check"):
        assert f"`{command}`" in readme
    assert (site / ".gitignore").read_text().splitlines()[1:] == ["site/", "build/"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_example_guideline_passes_its_vignettes_and_has_its_release_record(tmp_path: Path, language: str) -> None:
    docs = new_site(tmp_path / "site", language=language) / "docs"
    (folder,) = (p for p in docs.iterdir() if p.is_dir())
    text.use_language(language)  # as the site's check and build read it
    guideline = load_guideline(folder)  # the authoring checks
    vignettes = load_vignettes(folder)
    assert vignettes
    for vignette in vignettes:
        result = assess(guideline, vignette.answers)
        assert result_summary(result) == expected_summary(vignette, result), vignette.id
    record = json.loads((folder / "releases" / "0.1.0.json").read_text())
    assert record == json.loads(json.dumps(without_build_details(decision_logic(guideline))))
    assert "template" in guideline.info.intended_use or "modèle" in guideline.info.intended_use


def test_the_french_templates_say_in_french_what_the_english_ones_say(tmp_path: Path) -> None:
    english_site = new_site(tmp_path / "en")
    french_site = new_site(tmp_path / "fr", language="fr")
    english = load_guideline(english_site / "docs" / "example")
    french = load_guideline(french_site / "docs" / "exemple")
    assert logic_without_words(french) == logic_without_words(english)
    for english_text, french_text in zip(shown_texts(english), shown_texts(french), strict=True):
        assert french_text != english_text
    assert "ne pas utiliser en pratique clinique" in french.info.intended_use
    english_vignettes = load_vignettes(english_site / "docs" / "example")
    french_vignettes = load_vignettes(french_site / "docs" / "exemple")
    for english_vignette, french_vignette in zip(english_vignettes, french_vignettes, strict=True):
        assert (french_vignette.answers, french_vignette.plan) == (english_vignette.answers, english_vignette.plan)
        assert french_vignette.description != english_vignette.description
    for page in ("README.md", "docs/index.md", "docs/exemple/index.md", "docs/exemple/calculator.md"):
        text = (french_site / page).read_text()
        assert " : " in text and " the " not in text, page
    assert "Passer au mode sombre" in (french_site / "mkdocs.yml").read_text()


def test_new_refuses_a_folder_that_holds_anything(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.txt").write_text("mine")
    with pytest.raises(ScaffoldError, match="not an empty folder"):
        new_site(tmp_path / "site")
    assert files_of(tmp_path / "site") == ["notes.txt"]
    new_site(tmp_path / "empty-folder-is-fine")


def test_new_refuses_a_language_without_templates_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="no template in language 'de'"):
        new_site(tmp_path / "site", language="de")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(("name", "says"), [("example", "already exists"), ("Bad Name", "use lower-case letters")])
def test_new_guideline_refuses_a_taken_or_malformed_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, says: str
) -> None:
    site = new_site(tmp_path / "site")
    before = files_of(site)
    with pytest.raises(ScaffoldError, match=says):
        new_guideline(site / "docs", name, language="en")
    monkeypatch.chdir(site)
    assert guideline_site(["new-guideline", name]) == 1
    assert says in capsys.readouterr().err
    assert files_of(site) == before


def test_a_title_that_would_need_escaping_is_refused(tmp_path: Path) -> None:
    for title in ('The "new" guideline', "back\\slash", "two\nlines", " "):
        with pytest.raises(ScaffoldError, match="double quotes"):
            new_site(tmp_path / "site", title=title)
    assert not (tmp_path / "site").exists()
    site = new_site(tmp_path / "site", title="Gout: acute {care} & 'more'")
    assert read_config(site)["site_name"] == "Gout: acute {care} & 'more'"
    folder = new_guideline(site / "docs", "gout", language="en", title="Gout: acute {care}", short_title="GOUT'S")
    assert load_guideline(folder).info.title == "Gout: acute {care}"


def test_new_guideline_outside_a_site_says_where_to_run_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert guideline_site(["new-guideline", "gout"]) == 1
    assert "mkdocs.yml not found: run the command from the site's folder" in capsys.readouterr().err
    assert guideline_site(["new", str(tmp_path / "site"), "--language", "fr"]) == 0
    assert read_config(tmp_path / "site")["theme"]["language"] == "fr"


def test_new_guideline_takes_the_language_and_docs_folder_from_mkdocs_yml(tmp_path: Path) -> None:
    site = new_site(tmp_path / "site", language="fr")
    (site / "docs").rename(site / "pages")
    config = (site / "mkdocs.yml").read_text().replace("docs_dir: docs", "docs_dir: pages")
    (site / "mkdocs.yml").write_text(config)
    # As `make new-guideline` runs it: the command, from the site's folder.
    completed = subprocess.run(
        [sys.executable, "-m", "guideline_site", "new-guideline", "goutte"],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Réponse oui" in (site / "pages" / "goutte" / "vignettes.json").read_text()
    assert (site / "pages" / "goutte" / "releases" / "0.1.0.json").is_file()


def test_a_failed_creation_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_record(folder: Path, *, overwrite: bool = False) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(scaffold, "write_record", failing_record)
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "new"):
        with pytest.raises(OSError, match="disk full"):
            new_site(folder)
    assert files_of(tmp_path) == [] and (tmp_path / "empty").is_dir() and not (tmp_path / "new").exists()


def test_new_new_guideline_and_release_record_say_what_is_wrong_in_the_sites_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert guideline_site(["new", str(tmp_path / "taken"), "--language", "fr"]) == 1
    assert "existe déjà et n’est pas un dossier vide" in capsys.readouterr().err
    site = new_site(tmp_path / "site", language="fr")
    monkeypatch.chdir(site)
    assert guideline_site(["new-guideline", "exemple"]) == 1
    assert "existe déjà\u00a0: choisissez un autre nom" in capsys.readouterr().err
    assert guideline_site(["new-guideline", "Mauvais Nom"]) == 1
    assert "lettres minuscules" in capsys.readouterr().err
    module = site / "docs" / "exemple" / "guideline.py"
    module.write_text(
        module.read_text().replace("la première recommandation,", "la première recommandation, reformulée,")
    )
    assert guideline_site(["release-record", "exemple"]) == 1
    err = capsys.readouterr().err
    assert "enregistre déjà un contenu 0.1.0 différent" in err and "content_version" in err, err


def test_a_french_site_made_by_the_library_passes_its_checks_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The release record holds the words of the conditions and of Yes/No in the site's language,
    whichever language the caller of ``new_site`` speaks, so ``check`` (in French) finds it unchanged."""
    site = new_site(tmp_path / "site", language="fr")
    monkeypatch.chdir(site)
    assert guideline_site(["check"]) == 0, capsys.readouterr()
    assert text.catalogue().language == "fr"  # the command spoke the site's language
    text.use_language("en")
    new_guideline(site / "docs", "goutte", language="fr")
    assert text.catalogue().language == "en", "new_guideline leaves the caller's language as it was"
    assert guideline_site(["check"]) == 0, capsys.readouterr()
