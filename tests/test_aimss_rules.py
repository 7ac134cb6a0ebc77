"""Every AIMSS rule and branch, against the sentence of the guideline it implements."""

from __future__ import annotations

from typing import Any

import pytest
from aimss_cases import (
    DIFFUSE_MILD,
    DIFFUSE_MODERATE_WITH_DEPRESSION,
    FOCAL_CARPAL_TUNNEL,
    NEUROPATHY_ONLY,
)

from calculator.engine import assess, evaluate
from calculator.model import Guideline


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``base`` with ``changes``; a value of ``None`` removes that answer."""
    merged = {**base, **changes}
    return {k: v for k, v in merged.items() if v is not None}


def category(result: dict[str, Any], classification: str) -> str:
    return next(c["category"]["id"] for c in result["classifications"] if c["id"] == classification)


def item_ids(result: dict[str, Any]) -> set[str]:
    return {item["id"] for section in result["sections"] for item in section["items"]}


def finding_ids(result: dict[str, Any]) -> set[str]:
    return {f["id"] for f in result["findings"]}


def why(result: dict[str, Any], item_id: str) -> dict[str, str]:
    everything = [*result["findings"], *(i for s in result["sections"] for i in s["items"])]
    item = next(i for i in everything if i["id"] == item_id)
    return {reason["question"]: reason["answer"] for reason in item["why"]}


# --- Assessment: "the presence of stereotypical symptoms within the appropriate time
# frame should be enough for diagnosis"; "usually start 6-8 weeks after AI initiation".


@pytest.mark.parametrize(
    ("weeks", "timing", "assessment"),
    [
        (6, "usual_window", "consistent_with_aimss"),
        (8, "usual_window", "consistent_with_aimss"),
        ("7.5", "usual_window", "consistent_with_aimss"),
        (0, "within_two_months", "consistent_with_aimss"),
        ("5.9", "within_two_months", "consistent_with_aimss"),
        ("8.7", "within_two_months", "consistent_with_aimss"),
        ("8.8", "later_than_two_months", "atypical_late_onset"),
        (26, "later_than_two_months", "atypical_late_onset"),
    ],
)
def test_onset_timing_windows(aimss: Guideline, weeks: Any, timing: str, assessment: str) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, onset_weeks_after_ai_start=weeks))
    assert category(result, "timing") == timing
    assert category(result, "assessment") == assessment


def test_onset_in_the_week_the_ai_started_is_consistent_with_aimss_by_a_convention_the_result_names(
    aimss: Guideline,
) -> None:
    # "the presence of stereotypical symptoms within the appropriate time frame should be enough
    # for diagnosis": the source does not say where that frame begins, so 0 weeks counts by
    # convention, and the result carries the convention apart, for the summary to mark it.
    result = assess(aimss, with_(DIFFUSE_MILD, onset_weeks_after_ai_start=0))
    assessment = result["classifications"][0]["category"]
    assert assessment["id"] == "consistent_with_aimss"
    assert "0 to 2 months (8.7 weeks)" in assessment["convention"]
    assert "0 weeks" in assessment["convention"]
    assert assessment["text"].endswith(f"Convention: {assessment['convention']}")
    timing = result["classifications"][2]["category"]
    assert "8.7 weeks" in timing["convention"]
    assert "8.7 weeks" in item(result, "index_of_suspicion")["convention"]


def test_rules_the_source_settles_alone_carry_no_convention(aimss: Guideline) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, onset_weeks_after_ai_start=7))
    assert category(result, "timing") == "usual_window"
    assert "convention" not in result["classifications"][2]["category"]
    assert "convention" not in item(result, "arthralgia_sites")
    assert all("convention" not in i for s in result["sections"] for i in s["items"])


def test_symptoms_before_the_ai_are_atypical(aimss: Guideline) -> None:
    answers = with_(DIFFUSE_MILD, onset_before_ai="yes", onset_weeks_after_ai_start=None)
    result = assess(aimss, answers)
    assert category(result, "assessment") == "atypical_onset_before_ai"
    assert category(result, "timing") == "before_ai"
    assert result["classifications"][0]["category"]["source"]["anchor"] == "timing"


def test_weeks_question_applies_only_when_onset_was_after_the_ai(aimss: Guideline) -> None:
    answers = with_(DIFFUSE_MILD, onset_before_ai="yes")
    state = evaluate(aimss, answers)
    assert "onset_weeks_after_ai_start" not in state["applicable"]
    assert state["inapplicable"] == ["onset_weeks_after_ai_start"]


def stopped(weeks_ago: Any, improved: str) -> dict[str, Any]:
    return {"ai_stopped": "yes", "weeks_since_ai_stopped": weeks_ago, "improved_within_4_weeks_of_stopping": improved}


def test_improvement_within_weeks_of_stopping_is_the_usual_course(aimss: Guideline) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, **stopped(3, "yes")))
    assert category(result, "assessment") == "consistent_with_aimss"
    assert "improved_after_stopping" in finding_ids(result)


@pytest.mark.parametrize("weeks_ago", [0, "0.5"])
def test_improved_answered_in_the_week_the_ai_was_stopped_is_too_early_to_judge_not_the_usual_course(
    aimss: Guideline, weeks_ago: Any
) -> None:
    # "resolve or improve within 2-4 weeks of discontinuation": an improvement recorded less than
    # a week after stopping is not read as that course; the result says so and asks to check.
    result = assess(aimss, with_(DIFFUSE_MILD, **stopped(weeks_ago, "yes")))
    assert "improved_after_stopping" not in finding_ids(result)
    finding = item(result, "improvement_too_early_to_judge")
    assert "too early to judge" in finding["short"] and "within 2-4 weeks of discontinuation" in finding["text"]
    assert "less than 1 week" in finding["convention"]
    assert why(result, "improvement_too_early_to_judge") == {
        "improved_within_4_weeks_of_stopping": "Yes",
        "weeks_since_ai_stopped": f"{weeks_ago} weeks",
    }
    assert "improvement_too_early_to_judge" not in finding_ids(assess(aimss, with_(DIFFUSE_MILD, **stopped(1, "yes"))))


@pytest.mark.parametrize(
    ("started", "onset", "stopped_weeks", "improved"),
    [(10, 0, 10, "yes"), (10, 0, 10, "no"), (0, 0, 0, "no"), (30, "0.5", "29.5", "yes"), (30, 0, "29.1", "yes")],
)
def test_symptoms_the_week_the_ai_started_with_the_ai_stopped_that_week_are_not_classified_but_checked(
    aimss: Guideline, started: Any, onset: Any, stopped_weeks: Any, improved: str
) -> None:
    # "AIMSS symptoms usually start 6-8 weeks after AI initiation and resolve or improve within
    # 2-4 weeks of discontinuation": the source gives no rule for an AI stopped in the week it was
    # started with symptoms that week. No confident assessment, neither "Consistent with AIMSS"
    # (onset 0 by convention) nor "atypical" (no improvement): the result asks to check, by a
    # convention it names.
    answers = with_(
        DIFFUSE_MILD, weeks_since_ai_start=started, onset_weeks_after_ai_start=onset, **stopped(stopped_weeks, improved)
    )
    result = assess(aimss, answers)
    assessment = result["classifications"][0]["category"]
    assert assessment["id"] == "check_durations_ai_stopped_in_first_week"
    assert assessment["label"] == "Not classified: check the durations"
    assert (
        "6-8 weeks after AI initiation and resolve or improve within 2-4 weeks of discontinuation"
        in (assessment["text"])
    )
    assert "Check the weeks since starting" in assessment["text"]
    assert "are not classified: the guideline gives no rule for this combination" in assessment["convention"]
    assert assessment["text"].endswith(f"Convention: {assessment['convention']}")
    assert assessment["source"]["anchor"] == "timing" and assessment["source"]["citations"] == [11]
    assert {reason["question"] for reason in assessment["why"]} == {
        "onset_weeks_after_ai_start",
        "weeks_since_ai_start",
        "weeks_since_ai_stopped",
    }


@pytest.mark.parametrize(
    ("started", "onset", "stopped_weeks", "assessment"),
    [
        (10, 0, 9, "consistent_with_aimss"),  # the AI taken for 1 week
        (30, 1, 29, "consistent_with_aimss"),  # symptoms in the week after starting, stopped then
        (30, 0, 25, "consistent_with_aimss"),
        (30, 6, 20, "consistent_with_aimss"),
    ],
)
def test_an_ai_taken_for_a_week_or_more_is_assessed_as_before(
    aimss: Guideline, started: Any, onset: Any, stopped_weeks: Any, assessment: str
) -> None:
    answers = with_(
        DIFFUSE_MILD, weeks_since_ai_start=started, onset_weeks_after_ai_start=onset, **stopped(stopped_weeks, "yes")
    )
    assert category(assess(aimss, answers), "assessment") == assessment


def test_the_ai_still_taken_is_never_the_check_durations_case(aimss: Guideline) -> None:
    answers = with_(DIFFUSE_MILD, weeks_since_ai_start=0, onset_weeks_after_ai_start=0)
    assert category(assess(aimss, answers), "assessment") == "consistent_with_aimss"


@pytest.mark.parametrize("weeks_ago", [4, "4.0", 10, 24])
def test_no_improvement_four_or_more_weeks_after_stopping_is_atypical(aimss: Guideline, weeks_ago: Any) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, **stopped(weeks_ago, "no")))
    assert category(result, "assessment") == "atypical_no_improvement"
    assert "improved_after_stopping" not in finding_ids(result)
    assert "too_early_to_judge_response" not in finding_ids(result)


@pytest.mark.parametrize("weeks_ago", [0, 2, "3.9"])
def test_too_early_after_stopping_is_said_and_does_not_change_the_assessment(aimss: Guideline, weeks_ago: Any) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, **stopped(weeks_ago, "no")))
    assert category(result, "assessment") == "consistent_with_aimss"
    assert "too_early_to_judge_response" in finding_ids(result)


def test_stopping_questions_apply_only_when_the_ai_was_stopped(aimss: Guideline) -> None:
    applicable = evaluate(aimss, DIFFUSE_MILD)["applicable"]
    assert "weeks_since_ai_stopped" not in applicable
    assert "improved_within_4_weeks_of_stopping" not in applicable
    applicable = evaluate(aimss, with_(DIFFUSE_MILD, ai_stopped="yes"))["applicable"]
    assert {"weeks_since_ai_stopped", "improved_within_4_weeks_of_stopping"} <= set(applicable)


def test_ring_that_no_longer_fits_is_reported_as_presenting_sign(aimss: Guideline) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, ring_no_longer_fits="yes"))
    assert "ring_sign" in finding_ids(result)
    assert "ring_sign" not in finding_ids(assess(aimss, DIFFUSE_MILD))


def test_index_of_suspicion_applies_to_arthralgia_or_stiffness_within_two_months(aimss: Guideline) -> None:
    assert "index_of_suspicion" in finding_ids(assess(aimss, DIFFUSE_MILD))
    late = assess(aimss, with_(DIFFUSE_MILD, onset_weeks_after_ai_start=12))
    assert "index_of_suspicion" not in finding_ids(late)
    tendinopathy_only = assess(aimss, FOCAL_CARPAL_TUNNEL)
    assert "index_of_suspicion" not in finding_ids(tendinopathy_only)


# --- "AIs are not known to cause neuropathies" vs carpal tunnel syndrome, a tendinopathy.


def test_neuropathy_points_away_from_aimss(aimss: Guideline) -> None:
    result = assess(aimss, NEUROPATHY_ONLY)
    assert category(result, "assessment") == "not_explained_by_aimss"
    assert category(result, "pattern") == "not_assessed"
    assert finding_ids(result) == {"neuropathy_not_caused_by_ai"}
    assert result["sections"] == []


def test_neuropathy_alone_asks_nothing_further(aimss: Guideline) -> None:
    assert evaluate(aimss, NEUROPATHY_ONLY)["applicable"] == ["symptoms"]


def test_neuropathy_beside_arthralgia_is_flagged_but_arthralgia_is_still_assessed(aimss: Guideline) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, symptoms=["arthralgia", "neuropathy"]))
    assert category(result, "assessment") == "consistent_with_aimss"
    assert "neuropathy_not_caused_by_ai" in finding_ids(result)


def test_carpal_tunnel_syndrome_is_an_aimss_tendinopathy_not_an_exclusion(aimss: Guideline) -> None:
    result = assess(aimss, FOCAL_CARPAL_TUNNEL)
    assert category(result, "assessment") == "consistent_with_aimss"
    assert "carpal_tunnel_is_an_aimss_tendinopathy" in finding_ids(result)
    assert "neuropathy_not_caused_by_ai" not in finding_ids(result)
    assert "focal_splint_neutral_hand" in item_ids(result)


# --- Focal: "NSAIDs, icing, splinting (thumb spica splint for de quervain's and neutral
# hand splint for carpal tunnel syndrome), and a course of occupational therapy".

FOCAL_CONSERVATIVE = {"focal_nsaids", "focal_icing", "focal_occupational_therapy"}


@pytest.mark.parametrize(
    ("tendinopathy_types", "splints"),
    [
        (["de_quervain"], {"focal_splint_thumb_spica"}),
        (["carpal_tunnel"], {"focal_splint_neutral_hand"}),
        (["de_quervain", "carpal_tunnel"], {"focal_splint_thumb_spica", "focal_splint_neutral_hand"}),
        (["trigger_finger"], {"focal_splinting"}),
        (["other_tendinopathy"], {"focal_splinting"}),
    ],
)
def test_focal_splint_is_chosen_by_condition(
    aimss: Guideline, tendinopathy_types: list[str], splints: set[str]
) -> None:
    result = assess(aimss, with_(FOCAL_CARPAL_TUNNEL, tendinopathy_types=tendinopathy_types))
    splint_items = {i for i in item_ids(result) if "splint" in i}
    assert splint_items == splints
    assert item_ids(result) >= FOCAL_CONSERVATIVE


def test_focal_arthralgia_without_tendinopathy_gets_general_splinting(aimss: Guideline) -> None:
    answers = with_(FOCAL_CARPAL_TUNNEL, symptoms=["arthralgia"], tendinopathy_types=None)
    result = assess(aimss, answers)
    assert {i for i in item_ids(result) if "splint" in i} == {"focal_splinting"}


def test_corticosteroid_injection_only_for_refractory_focal_symptoms(aimss: Guideline) -> None:
    assert "focal_corticosteroid_injection" not in item_ids(assess(aimss, FOCAL_CARPAL_TUNNEL))
    refractory = assess(aimss, with_(FOCAL_CARPAL_TUNNEL, focal_refractory="yes"))
    assert "focal_corticosteroid_injection" in item_ids(refractory)
    injection = next(
        i for s in refractory["sections"] for i in s["items"] if i["id"] == "focal_corticosteroid_injection"
    )
    assert "rheumatologists, orthopedic surgeons, physiatrists" in injection["text"]
    assert injection["source"]["anchor"] == "focal-injection"
    assert injection["source"]["citations"] == [13]
    assert injection["source"]["quote"].startswith("Refractory symptoms may respond to corticosteroid injections (13)")


def test_focal_plan_has_no_diffuse_items(aimss: Guideline) -> None:
    result = assess(aimss, FOCAL_CARPAL_TUNNEL)
    assert category(result, "pattern") == "focal"
    assert not {i for i in item_ids(result) if i.startswith("diffuse_")}


# --- Diffuse: exercise for all; mild -> NSAIDs/acetaminophen; moderate-severe and/or
# depression -> duloxetine; alternatives; opioids only refractory or limited prognosis.


def test_diffuse_mild_gets_exercise_analgesia_and_alternatives_not_duloxetine(aimss: Guideline) -> None:
    result = assess(aimss, DIFFUSE_MILD)
    items = item_ids(result)
    assert {"diffuse_exercise", "diffuse_mild_nsaids_acetaminophen", "diffuse_alternatives"} <= items
    assert "diffuse_duloxetine" not in items
    assert "diffuse_opioids" not in items
    assert not {i for i in items if i.startswith("focal_")}


@pytest.mark.parametrize("severity", ["moderate", "severe"])
def test_moderate_to_severe_diffuse_symptoms_get_duloxetine(aimss: Guideline, severity: str) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, diffuse_severity=severity))
    assert "diffuse_duloxetine" in item_ids(result)
    assert "diffuse_mild_nsaids_acetaminophen" not in item_ids(result)
    assert why(result, "diffuse_duloxetine")["diffuse_severity"] == severity.capitalize()


def test_mild_symptoms_with_depression_get_duloxetine_as_well(aimss: Guideline) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, concomitant_depression="yes"))
    assert {"diffuse_duloxetine", "diffuse_mild_nsaids_acetaminophen"} <= item_ids(result)
    assert why(result, "diffuse_duloxetine") == {
        "distribution": "Diffuse",
        "concomitant_depression": "Yes",
    }


def test_moderate_with_depression_names_both_reasons_for_duloxetine(aimss: Guideline) -> None:
    reasons = why(assess(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION), "diffuse_duloxetine")
    assert reasons == {
        "distribution": "Diffuse",
        "diffuse_severity": "Moderate",
        "concomitant_depression": "Yes",
    }


def test_doses_are_the_guideline_doses(aimss: Guideline) -> None:
    entries = {e.id: e.text for e in aimss.entries()}
    assert "30 mg daily" in entries["diffuse_duloxetine"]
    assert "60 mg daily after 1 week" in entries["diffuse_duloxetine"]
    assert "2-3 grams per day of acetaminophen" in entries["diffuse_mild_nsaids_acetaminophen"]
    assert "prednisone 5 mg PO for 1 week" in entries["diffuse_alternatives"]
    assert "acupuncture" in entries["diffuse_alternatives"]
    exercise = entries["diffuse_exercise"]
    assert "30 minutes five days per week" in exercise and "two days a week of resistance" in exercise


@pytest.mark.parametrize(
    ("changes", "opioids"),
    [
        ({}, False),
        ({"diffuse_refractory": "yes"}, True),
        ({"limited_prognosis": "yes", "widespread_metastases": "no"}, True),
    ],
)
def test_opioids_only_for_refractory_or_limited_prognosis(
    aimss: Guideline, changes: dict[str, str], opioids: bool
) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, **changes))
    assert ("diffuse_opioids" in item_ids(result)) is opioids


# --- Modifying AI therapy, always with the oncologist.


def test_rotation_only_with_an_equally_effective_alternative(aimss: Guideline) -> None:
    assert "ai_rotation" not in item_ids(assess(aimss, DIFFUSE_MILD))
    result = assess(aimss, with_(DIFFUSE_MILD, equally_effective_alternative="yes"))
    assert {"ai_rotation", "involve_oncologist"} <= item_ids(result)


def test_unknown_alternative_gives_rotation_only_as_the_guidelines_condition_and_involves_the_oncologist(
    aimss: Guideline,
) -> None:
    result = assess(aimss, with_(DIFFUSE_MILD, equally_effective_alternative="not_known"))
    assert {"ai_rotation_if_equally_effective", "involve_oncologist"} <= item_ids(result)
    assert "ai_rotation" not in item_ids(result)
    conditional = next(
        i for s in result["sections"] for i in s["items"] if i["id"] == "ai_rotation_if_equally_effective"
    )
    assert "if there is an equally effective systemic cancer treatment" in conditional["text"]
    assert "ai_rotation_if_equally_effective" not in item_ids(
        assess(aimss, with_(DIFFUSE_MILD, equally_effective_alternative="yes"))
    )


def test_cessation_needs_widespread_visceral_disease_with_limited_life_expectancy(aimss: Guideline) -> None:
    not_metastases = with_(DIFFUSE_MILD, limited_prognosis="yes", widespread_metastases="no")
    assert not {"ai_cessation", "discuss_options_with_oncologist"} & item_ids(assess(aimss, not_metastases))
    metastases = with_(not_metastases, widespread_metastases="yes", widespread_visceral_disease="no")
    items = item_ids(assess(aimss, metastases))
    assert {"discuss_options_with_oncologist", "involve_oncologist"} <= items  # key point: widespread metastases
    assert "ai_cessation" not in items  # cessation: widespread visceral disease
    visceral = with_(metastases, widespread_visceral_disease="yes")
    items = item_ids(assess(aimss, visceral))
    assert {"ai_cessation", "discuss_options_with_oncologist", "involve_oncologist"} <= items


def test_visceral_disease_is_asked_only_with_widespread_metastases(aimss: Guideline) -> None:
    applicable = evaluate(aimss, with_(DIFFUSE_MILD, limited_prognosis="yes", widespread_metastases="no"))
    assert "widespread_visceral_disease" not in applicable["applicable"]


def test_no_ai_therapy_section_without_a_reason_to_modify(aimss: Guideline) -> None:
    result = assess(aimss, DIFFUSE_MILD)
    assert "ai_therapy" not in {s["id"] for s in result["sections"]}


# --- Referral, and what every result carries.


@pytest.mark.parametrize("answers", [FOCAL_CARPAL_TUNNEL, DIFFUSE_MILD])
def test_referral_to_palliative_care_or_pain_management_is_offered(aimss: Guideline, answers: dict[str, Any]) -> None:
    assert "referral_palliative_or_pain" in item_ids(assess(aimss, answers))


@pytest.mark.parametrize(
    "answers", [FOCAL_CARPAL_TUNNEL, DIFFUSE_MILD, DIFFUSE_MODERATE_WITH_DEPRESSION, NEUROPATHY_ONLY]
)
def test_every_item_says_why_and_cites_a_source(aimss: Guideline, answers: dict[str, Any]) -> None:
    result = assess(aimss, answers)
    items = [*result["findings"], *(i for s in result["sections"] for i in s["items"])]
    assert items
    for item in items:
        assert item["why"], item["id"]
        assert item["source"]["anchor"], item["id"]
    for classification in result["classifications"]:
        assert classification["category"]["why"], classification["id"]


def test_result_names_guideline_and_versions(aimss: Guideline) -> None:
    result = assess(aimss, DIFFUSE_MILD)
    assert result["guideline"]["id"] == "aimss"
    assert result["guideline"]["content_version"] == aimss.info.content_version
    assert result["calculator_version"]


# --- The clinical review of 1.2.0 -----------------------------------------------------------

STOPPED_NO_IMPROVEMENT = with_(
    DIFFUSE_MILD,
    onset_weeks_after_ai_start=7,
    ai_stopped="yes",
    weeks_since_ai_stopped=5,
    improved_within_4_weeks_of_stopping="no",
)


def item(result: dict[str, Any], item_id: str) -> dict[str, Any]:
    everything = [*result["findings"], *(i for s in result["sections"] for i in s["items"])]
    return next(i for i in everything if i["id"] == item_id)


def test_no_improvement_after_stopping_names_the_part_of_the_time_course_not_followed(aimss: Guideline) -> None:
    # "AIMSS symptoms usually start 6-8 weeks after AI initiation and resolve or improve within
    # 2-4 weeks of discontinuation": onset at 7 weeks follows the first half, not the second.
    result = assess(aimss, STOPPED_NO_IMPROVEMENT)
    assert category(result, "timing") == "usual_window"
    assert category(result, "assessment") == "atypical_no_improvement"
    assert "plan_assumes_aimss" not in finding_ids(result)
    finding = item(result, "plan_assumes_aimss_no_improvement")
    for words in (finding["text"], finding["short"]):
        assert "is not met" not in words
        assert "within 2-4 weeks of discontinuation" in words
    assert "Convention" in finding["text"] and "by 4 weeks after stopping" in finding["text"]


@pytest.mark.parametrize(
    "changes", [{"onset_weeks_after_ai_start": 12}, {"onset_before_ai": "yes", "onset_weeks_after_ai_start": None}]
)
def test_onset_outside_the_time_frame_says_the_basis_for_the_diagnosis_is_not_met(
    aimss: Guideline, changes: dict[str, Any]
) -> None:
    # "the presence of stereotypical symptoms within the appropriate time frame should be enough for diagnosis"
    result = assess(aimss, with_(DIFFUSE_MILD, **changes))
    assert "is not met" in item(result, "plan_assumes_aimss")["text"]
    assert "plan_assumes_aimss_no_improvement" not in finding_ids(result)


def test_improvement_after_stopping_is_the_usual_course_not_called_support(aimss: Guideline) -> None:
    # The source describes the usual course; it does not call it support for the diagnosis.
    result = assess(aimss, with_(STOPPED_NO_IMPROVEMENT, improved_within_4_weeks_of_stopping="yes"))
    finding = item(result, "improved_after_stopping")
    for words in (finding["text"], finding["short"]):
        assert "support" not in words
        assert "usually resolve or improve within 2-4 weeks of discontinuation" in words


def test_referral_in_the_hopes_of_remaining_on_the_ai_is_not_shown_once_the_ai_is_stopped(aimss: Guideline) -> None:
    # "referral ... may be pursued in the hopes the patient can remain on AI therapy"
    assert "referral_palliative_or_pain" in item_ids(assess(aimss, DIFFUSE_MILD))
    stopped = with_(STOPPED_NO_IMPROVEMENT, improved_within_4_weeks_of_stopping="yes")
    assert "referral_palliative_or_pain" not in item_ids(assess(aimss, stopped))


def test_the_neuropathy_option_says_how_to_record_carpal_tunnel_symptoms(aimss: Guideline) -> None:
    # "AIs are not known to cause neuropathies"; tendinopathies "can manifest as ... carpal tunnel syndrome"
    neuropathy = aimss.question("symptoms").option("neuropathy")
    assert neuropathy is not None
    assert neuropathy.help.startswith("AIs are not known to cause neuropathies.")
    assert "carpal tunnel syndrome" in neuropathy.help and "as a tendinopathy" in neuropathy.help
    assert "Convention" in neuropathy.help


def test_the_pattern_question_says_the_guideline_does_not_address_mixed_presentations(aimss: Guideline) -> None:
    help_text = aimss.question("distribution").help
    assert "does not address focal and diffuse symptoms together" in help_text
    assert "Convention (how to answer)" in help_text
