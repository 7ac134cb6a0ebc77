"""Golden clinical vignettes, in CPython and through the form in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from guideline_site.server import SiteServer
from playwright.sync_api import Page
from ui import vignettes_through_the_form
from vignettes import Vignette, expected_summary, load_vignettes, result_summary

from calculator.engine import assess
from calculator.loader import discover_guidelines, load_guideline

GUIDELINES = discover_guidelines(ROOT / "content")
VIGNETTES = [v for folder in GUIDELINES for v in load_vignettes(folder)]
AIMSS = ROOT / "content" / "aimss"


def test_every_guideline_has_vignettes_and_aimss_has_at_least_15() -> None:
    assert GUIDELINES
    for folder in GUIDELINES:
        assert load_vignettes(folder), folder
    assert len(load_vignettes(AIMSS)) >= 15


def test_vignette_ids_are_unique() -> None:
    for folder in GUIDELINES:
        ids = [v.id for v in load_vignettes(folder)]
        assert len(ids) == len(set(ids)), folder


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: f"{v.guideline_dir.name}:{v.id}")
def test_vignette_in_cpython(vignette: Vignette) -> None:
    guideline = load_guideline(vignette.guideline_dir)
    result = assess(guideline, vignette.answers)
    assert result_summary(result) == expected_summary(vignette, result), vignette.description


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: f"{v.guideline_dir.name}:{v.id}")
def test_every_expectation_is_justified_by_a_marked_sentence_the_result_cites(vignette: Vignette) -> None:
    guideline = load_guideline(vignette.guideline_dir)
    justifications = [e["because"] for e in vignette.classifications.values()]
    justifications += [*vignette.findings.values(), *vignette.plan.values()]
    assert set(justifications) <= set(guideline.sentences), "cites a sentence the guideline does not mark"
    # Each expected item cites the very sentence that justifies expecting it.
    result = assess(guideline, vignette.answers)
    items = [*result["findings"], *(i for s in result["sections"] for i in s["items"])]
    cited = {item["id"]: item["source"]["anchor"] for item in items}
    assert {k: cited[k] for k in vignette.findings} == vignette.findings
    assert {k: cited[k] for k in vignette.plan} == vignette.plan
    categories = {c["id"]: c["category"] for c in result["classifications"]}
    for classification, expected in vignette.classifications.items():
        source = categories[classification]["source"]
        if source is not None:  # a category with no source says the question was not assessed
            assert source["anchor"] == expected["because"], classification


@pytest.mark.browser
@pytest.mark.parametrize("folder", GUIDELINES, ids=lambda p: p.name)
def test_vignettes_through_the_form_in_chromium(page: Page, site_server: SiteServer, folder: Path) -> None:
    vignettes_through_the_form(page, site_server, folder)
