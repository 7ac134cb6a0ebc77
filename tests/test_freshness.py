"""Freshness: each guideline says when its next review is due; past it, every page and result
says "review overdue since", the copy-to-note text carries it, the CLI warns and the build
warns (``overdue_review: error`` fails it)."""

from __future__ import annotations

import calendar
import json
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_project
from guideline_site.server import SiteServer
from playwright.sync_api import Page, expect
from ui import answer, open_calculator

from calculator import __main__ as cli
from calculator.browser import Session
from calculator.engine import assess
from calculator.loader import load_guideline_source
from calculator.model import Guideline, GuidelineDefinitionError, add_months
from calculator.note import note_text
from calculator.text import t

FIXTURE = ROOT / "tests" / "fixtures" / "docformat"
FIXTURE_SOURCE = (FIXTURE / "guideline.py").read_text(encoding="utf-8")
FIXTURE_ANSWERS = json.loads((FIXTURE / "vignettes.json").read_text(encoding="utf-8"))["vignettes"][0]["answers"]
OVERDUE_DATES = ('review_date="2020-01-01"', 'next_review="2021-01-01"')


def fixture_with(*replacements: tuple[str, str]) -> str:
    source = FIXTURE_SOURCE
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new, 1)
    return source


def overdue_source() -> str:
    return fixture_with(('review_date="2026-12-03"', OVERDUE_DATES[0]), ("review_interval_months=12", OVERDUE_DATES[1]))


def load(source: str) -> Guideline:
    return load_guideline_source(source, filename="content/demo/guideline.py")


def test_the_next_review_is_the_interval_after_the_last_check_or_the_date_given(aimss: Guideline) -> None:
    assert aimss.info.review_interval_months == 12
    assert aimss.info.review_due == add_months(date.fromisoformat(aimss.info.review_date), 12).isoformat()
    assert load(overdue_source()).info.review_due == "2021-01-01"
    # A month past the 31st ends on the last day of the shorter month, leap years included.
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 12, 3), 13) == date(2028, 1, 3)


def test_adding_months_agrees_with_the_calendar_for_every_day_of_a_decade() -> None:
    """``add_months`` avoids the ``calendar`` module (its import cost the browser's start):
    the month's last day it works out is the calendar's, leap years and December included."""
    day = date(2020, 1, 1)
    while day < date(2030, 1, 1):
        for months in (0, 1, 2, 11, 12, 13, 25, 120):
            year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
            last = calendar.monthrange(year, month + 1)[1]
            assert add_months(day, months) == date(year, month + 1, min(day.day, last)), (day, months)
        day += timedelta(days=1)


def test_overdue_starts_the_day_after_the_due_date() -> None:
    info = load(overdue_source()).info
    assert not info.overdue(date(2021, 1, 1))
    assert info.overdue(date(2021, 1, 2))


@pytest.mark.parametrize(
    ("replacements", "message"),
    [
        ((("review_interval_months=12", "topics=()"),), "either next_review (a date) or review_interval_months"),
        ((("review_interval_months=12", 'review_interval_months=12, next_review="2027-06-01"'),), "not both"),
        ((("review_interval_months=12", "review_interval_months=0"),), "review_interval_months 0: a whole number"),
        ((("review_interval_months=12", "review_interval_months=1.5"),), "review_interval_months 1.5: a whole number"),
        ((("review_interval_months=12", 'next_review="03/12/2027"'),), "next_review '03/12/2027': write a date"),
        ((("review_interval_months=12", 'next_review="2026-12-03"'),), "is not after review_date 2026-12-03"),
        ((('review_date="2026-12-03"', 'review_date="2026-13-01"'),), "review_date '2026-13-01': write a date"),
        ((("review_interval_months=12", 'review_interval_months=12, topics="demo"'),), "topics 'demo': a tuple"),
    ],
)
def test_a_review_date_that_cannot_be_used_is_an_authoring_error_naming_the_field(
    replacements: tuple[tuple[str, str], ...], message: str
) -> None:
    with pytest.raises(GuidelineDefinitionError) as raised:
        load(fixture_with(*replacements))
    assert message in str(raised.value)
    assert "content/demo/guideline.py" in str(raised.value)


def test_results_carry_the_due_date_and_the_note_says_when_the_review_is_overdue() -> None:
    guideline = load(overdue_source())
    result = assess(guideline, FIXTURE_ANSWERS)
    assert result["guideline"]["review_due"] == "2021-01-01"
    before = note_text(result, runtime="CPython", today=date(2021, 1, 1))
    assert "REVIEW OVERDUE" not in before
    assert "Next review of the content due 2021-01-01." in before
    after = note_text(result, runtime="CPython", today=date(2021, 1, 2))
    assert after.splitlines()[1] == t("note.overdue", review_due="2021-01-01", review_date="2020-01-01")
    assert "Next review of the content due" not in after


def test_the_worker_session_reports_overdue_by_the_devices_date() -> None:
    guideline = load(overdue_source())
    answers = json.dumps(FIXTURE_ANSWERS)
    on_time = json.loads(Session(guideline, runtime="test", today=lambda: date(2020, 6, 1)).evaluate(answers))
    late = json.loads(Session(guideline, runtime="test", today=lambda: date(2021, 1, 2)).evaluate(answers))
    assert on_time["overdue_since"] is None and "REVIEW OVERDUE" not in on_time["note"]
    assert late["overdue_since"] == "2021-01-01" and "REVIEW OVERDUE since 2021-01-01" in late["note"]
    # Without a result the form still learns it (the page's banner does not depend on answers).
    empty = json.loads(Session(guideline, runtime="test", today=lambda: date(2021, 1, 2)).evaluate("{}"))
    assert empty["overdue_since"] == "2021-01-01" and empty["note"] is None


def test_the_cli_warns_on_stderr_and_still_gives_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "demo"
    shutil.copytree(FIXTURE, folder)
    (folder / "guideline.py").write_text(overdue_source(), encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(FIXTURE_ANSWERS), encoding="utf-8")

    class Today(date):
        @classmethod
        def today(cls) -> Today:
            return cls(2021, 1, 2)

    monkeypatch.setattr(cli, "date", Today)
    assert cli.main(["--guideline", str(folder), str(answers)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["guideline"]["review_due"] == "2021-01-01"
    assert err.startswith("warning: Review overdue since 2021-01-01")

    monkeypatch.setattr(cli, "date", date)
    (folder / "guideline.py").write_text(FIXTURE_SOURCE, encoding="utf-8")
    assert cli.main(["--guideline", str(folder), str(answers)]) == 0
    assert capsys.readouterr().err == ""


@pytest.fixture(scope="module")
def overdue_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """AIMSS (current) and the demonstration guideline, overdue since 2021-01-01."""
    project = copy_project(tmp_path_factory.mktemp("overdue") / "project")
    shutil.copytree(FIXTURE, project / "content" / "docformat")
    (project / "content" / "docformat" / "guideline.py").write_text(overdue_source(), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def overdue_site(overdue_project: Path) -> tuple[Path, str]:
    completed = build_site(overdue_project, overdue_project / "site")
    assert completed.returncode == 0, completed.stderr
    return overdue_project / "site", completed.stderr


def test_the_build_warns_of_an_overdue_guideline_and_its_pages_say_so(overdue_site: tuple[Path, str]) -> None:
    site, log = overdue_site
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, log
    assert "docformat/calculator.md: guideline 'docformat': review overdue since 2021-01-01" in warnings[0]
    banner = re.compile(r'<p class="gc-overdue" role="note" data-search-exclude data-review-due="([0-9-]+)"( hidden)?>')
    for page in ("index.html", "calculator/index.html", "decision-table/index.html", "changes/index.html"):
        html = (site / "docformat" / page).read_text(encoding="utf-8")
        assert banner.findall(html) == [("2021-01-01", "")], page
        assert "Review overdue since 2021-01-01" in html
        current = (site / "aimss" / page).read_text(encoding="utf-8")
        assert banner.findall(current) == [("2027-12-03", " hidden")], page
        assert '<meta name="guideline.review-due" content="2027-12-03">' in current


def test_a_setting_makes_an_overdue_review_fail_the_build(overdue_project: Path, tmp_path: Path) -> None:
    config = overdue_project / "mkdocs.yml"
    strict = tmp_path / "mkdocs.yml"
    strict.write_text(config.read_text().replace("overdue_review: warn", "overdue_review: error"), encoding="utf-8")
    shutil.copy(strict, overdue_project / "mkdocs-strict-review.yml")
    completed = build_site(overdue_project, tmp_path / "site", config_file="mkdocs-strict-review.yml")
    assert completed.returncode != 0
    assert "review overdue since 2021-01-01" in completed.stderr and "(overdue_review: error)" in completed.stderr


def test_pages_built_before_the_due_date_say_overdue_once_the_device_is_past_it(page: Page, built_site: Path) -> None:
    with SiteServer(built_site, prefix="/guidelines/") as server:
        page.clock.set_fixed_time(datetime(2027, 12, 4, 9, 0))
        page.goto(server.url + "aimss/")
        note = page.locator(".gc-overdue")
        expect(note).to_be_visible()
        expect(note).to_have_text(re.compile(r"Review overdue since 2027-12-03"))
        page.clock.set_fixed_time(datetime(2027, 12, 3, 23, 0))
        page.reload()
        expect(page.locator(".gc-overdue")).to_be_hidden()


def test_every_calculator_result_says_overdue_and_the_note_carries_it(
    page: Page, overdue_site: tuple[Path, str]
) -> None:
    site, _ = overdue_site
    with SiteServer(site, prefix="/guidelines/") as server:
        open_calculator(page, server, "docformat/calculator/")
        answer(page, load(overdue_source()), FIXTURE_ANSWERS)
        result = page.locator("[data-gc-result] [data-gc-overdue]")
        expect(result).to_have_text(re.compile("Review overdue since 2021-01-01"))
        expect(page.locator("[data-gc-summary] [data-gc-overdue]")).to_have_text("Review overdue since 2021-01-01")
        expect(page.locator("[data-gc-note]")).to_have_value(re.compile("REVIEW OVERDUE since 2021-01-01"))
