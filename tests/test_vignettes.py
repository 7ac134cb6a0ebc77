"""Golden clinical vignettes, in CPython and through the form in Chromium."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import ROOT
from guideline_site.server import SiteServer
from playwright.sync_api import Page
from ui import vignettes_through_the_form

from calculator.engine import assess
from calculator.loader import discover_guidelines, load_guideline
from calculator.vignettes import (
    VIGNETTES_FILE,
    Vignette,
    VignetteError,
    expected_summary,
    load_vignettes,
    result_summary,
    vignette_problems,
)

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


AIMSS_VIGNETTES = (AIMSS / VIGNETTES_FILE).read_text(encoding="utf-8")


def _line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.index(fragment, position + 1)
    return text.count("\n", 0, position) + 1


FIRST_FINDINGS = '"findings": {\n          "carpal_tunnel_is_an_aimss_tendinopathy": "tendinopathies"\n        }'
MALFORMED = {
    # name: (replace, by, what the message says); the error is on the line of the replacement
    "syntax": ('"ring_no_longer_fits": "no",', '"ring_no_longer_fits": "no",,', "is not valid JSON"),
    "unknown-key": ('"description": "Carpal', '"descripton": "Carpal', "unknown key descripton"),
    "unknown-expect-key": ('"findings": {', '"finding": {', "unknown key expect.finding"),
    "duplicate-id": ('"id": "focal_de_quervain_refractory"', '"id": "focal_carpal_tunnel"', "already used on line 5"),
    "description-not-text": (
        '"description": "Carpal tunnel syndrome 7 weeks after starting anastrozole; focal; not refractory."',
        '"description": 7',
        "vignette 'focal_carpal_tunnel': description must be a non-empty string",
    ),
    "because-not-text": (
        '"because": "diagnosis"',
        '"because": 3',
        "vignette 'focal_carpal_tunnel': expect.classifications.assessment.because must be a non-empty string",
    ),
    "empty-anchor": ('"focal_icing": "focal-conservative"', '"focal_icing": ""', "expect.plan.focal_icing must be"),
    "findings-not-object": (
        FIRST_FINDINGS,
        '"findings": ["carpal_tunnel_is_an_aimss_tendinopathy"]',
        "vignette 'focal_carpal_tunnel': expect.findings must be a JSON object",
    ),
}


@pytest.mark.parametrize(("replace", "by", "message"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_vignettes_file_names_its_line_and_what_to_correct(
    tmp_path: Path, replace: str, by: str, message: str
) -> None:
    broken = AIMSS_VIGNETTES.replace(replace, by, 1)
    assert broken != AIMSS_VIGNETTES
    (tmp_path / VIGNETTES_FILE).write_text(broken, encoding="utf-8")
    with pytest.raises(VignetteError) as raised:
        load_vignettes(tmp_path)
    assert raised.value.file == tmp_path / VIGNETTES_FILE
    assert raised.value.line == _line_of(broken, by, occurrence=2 if by.startswith('"id"') else 1)
    assert message in raised.value.message
    assert str(raised.value).startswith(f"{tmp_path / VIGNETTES_FILE}:{raised.value.line}: ")


def test_a_missing_vignettes_file_says_what_to_add(tmp_path: Path) -> None:
    with pytest.raises(VignetteError, match=r"no vignettes\.json beside guideline\.py: add golden cases"):
        load_vignettes(tmp_path)


def test_each_vignette_knows_the_line_of_its_id() -> None:
    for vignette in load_vignettes(AIMSS):
        assert AIMSS_VIGNETTES.splitlines()[vignette.line - 1].strip() == f'"id": "{vignette.id}",'


def test_vignette_problems_say_which_expectation_fails_and_why() -> None:
    guideline = load_guideline(AIMSS)
    vignette = next(v for v in load_vignettes(AIMSS) if v.id == "focal_carpal_tunnel")
    assert vignette_problems(guideline, vignette) == []
    wrong = dataclasses.replace(
        vignette,
        classifications={**vignette.classifications, "pattern": {"category": "diffuse", "because": "focal-site"}},
        findings={},
        plan={**vignette.plan, "focal_icing": "referral", "diffuse_duloxetine": "diffuse-duloxetine"},
    )
    where = "vignette 'focal_carpal_tunnel': "
    assert vignette_problems(guideline, wrong) == [
        where + "expect.classifications.pattern expects category 'diffuse', the result shows 'focal': "
        "correct the rule, or the expectation with the sentence that justifies it",
        where + "the result also shows 'carpal_tunnel_is_an_aimss_tendinopathy', which expect.findings does not "
        "list: add it with the sentence that justifies it, or correct the rule",
        where + "expect.plan.focal_icing is justified by sentence 'referral', the result cites 'focal-conservative': "
        "name the sentence the result cites, or correct the rule's source",
        where + "expect.plan.diffuse_duloxetine is expected, the result does not show it: correct the rule, or the "
        "expectation with the sentence that justifies it",
    ]
    unmarked = dataclasses.replace(vignette, plan={**vignette.plan, "focal_icing": "no-such-sentence"})
    assert (
        where + "expect.plan.focal_icing is justified by sentence 'no-such-sentence', which the guideline page "
        "does not mark: name a marked sentence" in vignette_problems(guideline, unmarked)
    )
    unanswered = dataclasses.replace(vignette, answers={k: v for k, v in vignette.answers.items() if k != "symptoms"})
    assert [p.split(" (")[0] for p in vignette_problems(guideline, unanswered)] == [
        where + "the calculator does not accept its answers"
    ]
