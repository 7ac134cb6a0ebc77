"""The machinery's languages: the shipped catalogues, a site's own catalogue, a French site.

``calculator.text`` layers English, the shipped catalogue of ``theme.language`` and the
site's ``locales/<language>.json``; these tests hold each layer to its promise.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_project

from calculator import text
from calculator.browser import create_session
from calculator.formatting import date_text
from calculator.kinds import kinds
from calculator.note import note_text

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
FILLED_BY_CODE = {"date.format"}
"""Texts whose placeholders are the code's to choose from (a date's parts), not the English text's."""


def placeholders(entry: str | dict[str, str]) -> set[str]:
    return set(PLACEHOLDER.findall(entry if isinstance(entry, str) else " ".join(entry.values())))


@pytest.fixture(autouse=True)
def english_afterwards() -> object:
    """Each test may switch language; the next one starts in English."""
    yield
    text.use_language("en")


def test_the_french_catalogue_has_every_english_key_with_the_same_placeholders() -> None:
    english, french = text.load_catalogue("en"), text.load_catalogue("fr")
    assert french.fallbacks == ()
    assert french.strings.keys() == english.strings.keys()
    for key, entry in english.strings.items():
        if key not in FILLED_BY_CODE:
            assert placeholders(french.strings[key]) == placeholders(entry), key
        if isinstance(entry, dict):
            assert isinstance(french.strings[key], dict) and set(french.strings[key]) == set(entry), key


def test_the_french_file_itself_translates_every_key_of_the_english_file() -> None:
    english = json.loads((text.LOCALES / "en.json").read_text(encoding="utf-8"))["strings"]
    french = json.loads((text.LOCALES / "fr.json").read_text(encoding="utf-8"))["strings"]
    assert french.keys() == english.keys()
    untranslated = [k for k, v in english.items() if french[k] == v and k not in {"info.source", "table.question"}]
    assert set(untranslated) <= {
        "source.citations",
        "result.source.citations",
        "table.questions",
        "table.questions_column",
        "table.message",
        "changes.questions",
        "note.calculator",
        "offline.help.ipad_heading",
        "summary.convention",  # "convention": the word is French too
        "cli.check.vignette.numbered",  # "vignette {number}": the word is French too
        "cli.check.vignette.named",
        "condition.is",  # "{question} = {option}"
        "condition.plus",  # "{first} plus {second}": the word is French too
    }, untranslated


def test_every_question_kind_speaks_french() -> None:
    for name, kind in kinds().items():
        if "en" in kind.texts:
            assert kind.texts.get("fr", {}).keys() == kind.texts["en"].keys(), name


def test_french_counts_zero_and_one_as_singular() -> None:
    french = text.load_catalogue("fr")
    assert [french.text("bar.missing", count=n) for n in (0, 1, 2)] == [
        "0\u00a0question restante",
        "1\u00a0question restante",
        "2\u00a0questions restantes",
    ]


def test_dates_are_written_as_the_language_writes_them() -> None:
    assert date_text("2027-01-05") == "2027-01-05"
    text.use_language("fr")
    assert date_text("2027-01-05") == "5 janvier 2027"
    assert date_text("2027-08-01") == "1er août 2027"


def test_french_yes_no_labels_come_from_the_catalogue_when_the_guideline_is_loaded() -> None:
    from calculator.kinds.choice import yes_no

    assert [o.label for o in yes_no(id="stopped", label="Stopped?").options] == ["Yes", "No"]
    text.use_language("fr")
    assert [o.label for o in yes_no(id="stopped", label="Stopped?").options] == ["Oui", "Non"]


def write_catalogue(folder: Path, language: str, strings: dict[str, object], **fields: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / f"{language}.json"
    file.write_text(json.dumps({"strings": strings, **fields}, ensure_ascii=False), encoding="utf-8")
    return file


def test_a_site_catalogue_overrides_one_string_and_keeps_the_rest(tmp_path: Path) -> None:
    write_catalogue(tmp_path, "fr", {"actions.copy": "Copier vers le dossier"})
    catalogue = text.load_catalogue("fr", site_locales=tmp_path)
    assert catalogue.text("actions.copy") == "Copier vers le dossier"
    assert catalogue.text("actions.print") == "Imprimer le résultat"
    assert catalogue.fallbacks == ()


def test_a_site_catalogue_overrides_an_english_string(tmp_path: Path) -> None:
    write_catalogue(tmp_path, "en", {"manifest.short_name": "Oncology"})
    assert text.load_catalogue("en", site_locales=tmp_path).text("manifest.short_name") == "Oncology"


def test_an_unknown_key_is_an_error_naming_the_file_and_the_key(tmp_path: Path) -> None:
    file = write_catalogue(tmp_path, "fr", {"actions.copie": "Copier"})
    with pytest.raises(text.CatalogueError) as raised:
        text.load_catalogue("fr", site_locales=tmp_path)
    assert str(file) in str(raised.value) and "'actions.copie'" in str(raised.value)


def test_a_plural_text_without_other_is_an_error_naming_the_file(tmp_path: Path) -> None:
    file = write_catalogue(tmp_path, "fr", {"bar.missing": {"one": "{count} question"}})
    with pytest.raises(text.CatalogueError, match=re.escape(str(file))):
        text.load_catalogue("fr", site_locales=tmp_path)


def test_a_new_language_falls_back_to_english_key_by_key(tmp_path: Path) -> None:
    write_catalogue(tmp_path, "de", {"actions.copy": "In die Notiz kopieren"}, plural={"one": [1]})
    catalogue = text.load_catalogue("de", site_locales=tmp_path)
    assert catalogue.text("actions.copy") == "In die Notiz kopieren"
    assert catalogue.text("actions.print") == "Print result"
    assert "actions.print" in catalogue.fallbacks and "actions.copy" not in catalogue.fallbacks


def test_a_new_language_must_give_its_plural_rule(tmp_path: Path) -> None:
    write_catalogue(tmp_path, "de", {"actions.copy": "In die Notiz kopieren"})
    with pytest.raises(text.CatalogueError, match="plural"):
        text.load_catalogue("de", site_locales=tmp_path)


def test_a_language_without_any_catalogue_is_an_error_listing_those_there_are(tmp_path: Path) -> None:
    with pytest.raises(text.CatalogueError, match=r"no catalogue for language 'xx'.*have: en, fr"):
        text.load_catalogue("xx", site_locales=tmp_path)


def test_the_worker_speaks_the_catalogue_the_page_hands_it(aimss_source: tuple[str, str]) -> None:
    """A site's override reaches the worker: it gets catalogue.mjs's words, not a language name."""
    module_source, sentences = aimss_source
    french = text.load_catalogue("fr").to_json()
    french["strings"]["note.answers"] = "Réponses du patient\u00a0:"
    session = create_session(module_source, "guideline.py", sentences, "CPython", json.dumps(french))
    steps = json.loads(session.schema())["steps"]
    labels = [o["label"] for step in steps for q in step["questions"] for o in q.get("options", [])]
    assert "Oui" in labels and "Non" in labels
    answers = json.loads((ROOT / "content" / "aimss" / "vignettes.json").read_text())["vignettes"][0]["answers"]
    reply = json.loads(session.evaluate(json.dumps(answers)))
    assert "Réponses du patient\u00a0:" in reply["note"]
    note = note_text(reply["result"], runtime="CPython", today=date(2020, 1, 1))
    assert re.search(r"vérifié par rapport à la source le \d{1,2}(er)? [a-zéû]+ \d{4}\.", note), note


@pytest.fixture
def aimss_source() -> tuple[str, str]:
    folder = ROOT / "content" / "aimss"
    from calculator.loader import load_guideline

    sentences = {"sentences": load_guideline(folder).sentences}
    return (folder / "guideline.py").read_text(encoding="utf-8"), json.dumps(sentences)


@pytest.fixture(scope="module")
def french_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The project built with ``theme.language: fr``, a site catalogue overriding one string,
    and one key taken out of the shipped French catalogue (to see the fallback warning)."""
    project = copy_project(tmp_path_factory.mktemp("french") / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("language: en", "language: fr", 1))
    write_catalogue(project / "locales", "fr", {"manifest.short_name": "Recos onco"})
    shipped = project / "calculator" / "locales" / "fr.json"
    data = json.loads(shipped.read_text(encoding="utf-8"))
    del data["strings"]["offline.checking"]
    shipped.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    completed = build_site(project, project / "site")
    assert completed.returncode == 0, completed.stderr
    return project / "site", completed.stderr


def test_a_french_site_builds_strictly_and_warns_of_an_untranslated_text(french_build: tuple[Path, str]) -> None:
    _, log = french_build
    assert re.search(r"WARNING.*theme\.language 'fr': 1 texts .* English.*offline\.checking", log), log


def test_the_french_calculator_page_speaks_french_only(french_build: tuple[Path, str]) -> None:
    site, _ = french_build
    html = (site / "aimss" / "calculator" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]* lang="fr"', html)
    assert re.search(r">\s*Oui\s*<", html) and re.search(r">\s*Non\s*<", html)
    english, french = text.load_catalogue("en"), text.load_catalogue("fr")
    for key, entry in english.strings.items():
        if key == "offline.checking" or not isinstance(entry, str) or placeholders(entry):
            continue
        if entry != french.strings[key] and len(entry) > 12:
            assert entry not in html, key


def test_every_french_page_carries_its_language(french_build: tuple[Path, str]) -> None:
    site, _ = french_build
    for page in ("index.html", "404.html", "aimss/index.html", "aimss/embed/index.html", "offline/index.html"):
        assert re.search(r'<html[^>]* lang="fr"', (site / page).read_text(encoding="utf-8")), page


def test_a_site_override_reaches_the_manifest_and_the_browser_catalogue(french_build: tuple[Path, str]) -> None:
    site, _ = french_build
    manifest = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["short_name"] == "Recos onco" and manifest["lang"] == "fr"
    module = (site / "assets" / "calculator" / "catalogue.mjs").read_text(encoding="utf-8")
    [value] = re.findall(r"export const CATALOGUE = Object\.freeze\((.*)\);", module)
    strings = json.loads(value)["strings"]
    assert strings["manifest.short_name"] == "Recos onco"
    assert strings["kinds.yes_no.yes"] == "Oui"
    assert strings["offline.checking"] == "Offline status: checking…"


def test_french_dates_and_rules_links_on_the_guideline_page(french_build: tuple[Path, str]) -> None:
    site, _ = french_build
    html = (site / "aimss" / "index.html").read_text(encoding="utf-8")
    assert 'title="Règles du calculateur fondées sur cette phrase">règles</a>' in html
    review_date = re.search(r'<time datetime="(\d{4}-\d\d-\d\d)">([^<]+)</time>', html)
    assert review_date is not None
    day = date.fromisoformat(review_date.group(1))
    assert review_date.group(2).endswith(f" {day.year}") and not review_date.group(2)[0:4].isdigit()


def test_the_french_decision_table_states_its_conditions_in_french(french_build: tuple[Path, str]) -> None:
    """The "Posée quand" and "Quand" cells: once the guideline's own labels (English in this
    project) are taken out, no English word of a condition is left."""
    site, _ = french_build
    html = (site / "aimss" / "decision-table" / "index.html").read_text(encoding="utf-8")
    rule_cells = re.findall(r'<tr id="rule-[^"]*"><td>(.*?)</td>', html, re.S)
    asked_cells = re.findall(r'<tr id="question-[^"]*">(?:\s*<td>.*?</td>){2}\s*<td>(.*?)</td>\s*</tr>', html, re.S)
    assert len(rule_cells) > 10 and asked_cells, html
    text.use_language("fr")
    from calculator.loader import load_guideline

    guideline = load_guideline(ROOT / "content" / "aimss")
    labels = [q.label for q in guideline.questions] + [o.label for q in guideline.questions for o in q.options]
    labels += [q.unit for q in guideline.questions if q.unit]
    english = text.load_catalogue("en")
    french = text.load_catalogue("fr")
    condition_keys = [key for key in english.strings if key.startswith("condition.")]

    def words(catalogue: text.Catalogue) -> set[str]:
        templates = " ".join(PLACEHOLDER.sub("", catalogue.template(key)) for key in condition_keys)
        return set(re.findall(r"[a-z]+", templates))

    english_words = words(english) - words(french)
    assert {"always", "or", "and", "more", "include"} <= english_words
    for cell in rule_cells + asked_cells:
        stripped = unescape(re.sub(r"<[^>]+>", "", cell))
        for label in sorted(labels, key=len, reverse=True):
            stripped = stripped.replace(label, "")
        left = set(re.findall(r"[a-z]+", stripped.lower())) & english_words
        assert not left, (cell, left)


def test_the_offline_script_knows_the_language_its_sizes_are_written_in(french_build: tuple[Path, str]) -> None:
    """offline.js and the offline page write sizes with Intl.NumberFormat in the site's language
    ("1,5 Mo"): the script's catalogue carries it."""
    site, _ = french_build
    html = (site / "offline" / "index.html").read_text(encoding="utf-8")
    [texts] = re.findall(r"<script src=\"[^\"]*offline\.js\"[^>]* data-texts='([^']*)'", html)
    catalogue = json.loads(unescape(texts))
    assert catalogue["language"] == "fr"
    assert catalogue["strings"]["offline.page.size_mb"] == "{size}\u00a0Mo"
