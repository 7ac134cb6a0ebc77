"""Copy to note: the exact plain text a clinician pastes into the record."""

from __future__ import annotations

import json
import textwrap
from datetime import date

from aimss_cases import FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS, NEUROPATHY_ONLY

from calculator import __version__
from calculator.browser import Session
from calculator.engine import assess
from calculator.model import Guideline
from calculator.note import note_text

EXPECTED = textwrap.dedent(
    """\
    Aromatase Inhibitor Associated Musculoskeletal Symptoms (AIMSS): calculator result
    Guideline content {content_version}, checked against source {review_date}.
    Next review of the content due {review_due}.
    Calculator {calculator_version} (Pyodide 314.0.7).
    Decision support for clinicians assessing musculoskeletal symptoms in patients taking an aromatase inhibitor. It does not replace clinical judgement and is not for emergencies.

    Answers:
    - Which symptoms does the patient have? Arthralgia (joint pain), Tendinopathy
    - Which tendinopathy? De Quervain's tenosynovitis
    - Does a ring (such as a wedding ring) no longer fit because of finger swelling? Yes
    - How many weeks ago was the aromatase inhibitor (AI) started? 12 weeks
    - Did the symptoms start before the AI was started? No
    - How many weeks after starting the AI did the symptoms start? 4.5 weeks
    - Has the AI been stopped? Yes
    - How many weeks ago was the AI stopped? 2 weeks
    - Did the symptoms resolve or improve within 4 weeks of stopping the AI? No
    - Are the symptoms focal or diffuse? Focal (most often the hand or wrist)
    - Are the focal symptoms refractory to conservative management? Yes
    - Does the patient have a limited prognosis (limited life expectancy)? Yes
    - Is the limited life expectancy due to widespread metastases? Yes
    - Is there widespread visceral disease? Yes
    - Is there an equally effective systemic cancer treatment that is in line with the patient's goals of care? Not known

    Assessment: Consistent with AIMSS. [guideline #diagnosis, citation 12]
      Stereotypical symptoms started within the appropriate time frame after AI initiation. The guideline states that this should be enough for diagnosis (non-validated criteria exist). Convention: the appropriate time frame is taken as 0 to 2 months (8.7 weeks) after AI initiation, onset in the week the AI was started (0 weeks) included.
    Pattern: Focal. [guideline #focal-site]
      Focal symptoms most often occur in the hand or wrist.
    Timing: Within 1-2 months of starting the AI. [guideline #key-suspicion]
      Outside the usual 6-8 weeks but within 1-2 months of initiating AI therapy, when the guideline advises a strong index of suspicion for arthralgias/stiffness. Convention: 2 months is taken as 8.7 weeks, and onset from 0 to 8.7 weeks counts as within 1-2 months.

    Findings:
    - Arthralgias may occur anywhere but most commonly occur in the legs, lower back, hands, and wrists. [guideline #arthralgia-sites, citation 10]
    - Tendinopathies of AIMSS commonly occur in the wrist/hand area and can manifest as de Quervain's tenosynovitis, trigger fingers, or carpal tunnel syndrome. [guideline #tendinopathies]
    - A wedding ring that no longer fits due to finger swelling is a possible presenting sign. [guideline #ring-sign]
    - Have a strong index of suspicion for arthralgias/stiffness within 1-2 months of initiating AI therapy. Convention: 2 months is taken as 8.7 weeks, and onset from 0 to 8.7 weeks counts as within 1-2 months. [guideline #key-suspicion]
    - The AI was stopped less than 4 weeks ago and the symptoms have not improved yet: AIMSS symptoms usually resolve or improve within 2-4 weeks of discontinuation, so it is too early to judge the response. Convention: 'within 2-4 weeks' is read as by 4 weeks after stopping. [guideline #timing, citation 11]

    Plan:
    Approach:
    - Appropriate palliative treatment should consider whether AIMSS symptoms are focal or diffuse. [guideline #focal-or-diffuse]
    - Consider whether symptoms are focal vs diffuse and if non-pharmacologic management may be better indicated. [guideline #key-focal-diffuse]
    Focal symptoms: conservative management:
    - NSAIDs. [guideline #focal-conservative]
    - Icing. [guideline #focal-conservative]
    - Splinting: thumb spica splint for de Quervain's tenosynovitis. [guideline #focal-conservative]
    - A course of occupational therapy. [guideline #focal-conservative]
    - Refractory symptoms may respond to corticosteroid injections, usually performed by rheumatologists, orthopedic surgeons, physiatrists, or sports medicine physicians. [guideline #focal-injection, citation 13]
    AI therapy (decisions with the oncologist):
    - Oncologists may consider rotation to a different AI or a different type of endocrine therapy if there is an equally effective systemic cancer treatment that is in line with the patient's goals of care: whether there is, is not known yet. [guideline #ai-rotation]
    - With widespread visceral disease and limited life expectancy, cessation of the AI and of systemic cancer treatment in general may be warranted. [guideline #ai-cessation]
    - Patients with AIMSS and a limited life expectancy from widespread metastases should discuss treatment options with their oncologist, including rotation or cessation of treatment. [guideline #key-limited-life-expectancy]
    - Palliative care and generalist clinicians should involve oncologists in these decisions, considering the prognostic complexities involved. [guideline #involve-oncologist]
    """
)


def test_note_for_a_focal_case_with_limited_prognosis(aimss: Guideline) -> None:
    expected = EXPECTED.format(
        content_version=aimss.info.content_version,
        review_date=aimss.info.review_date,
        review_due=aimss.info.review_due,
        calculator_version=__version__,
    )
    # On the day of the last check, so the expected text holds whatever day the test runs.
    checked = date.fromisoformat(aimss.info.review_date)
    result = assess(aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
    assert note_text(result, runtime="Pyodide 314.0.7", today=checked) == expected


def test_note_without_a_plan_says_so(aimss: Guideline) -> None:
    note = note_text(assess(aimss, NEUROPATHY_ONLY), runtime="CPython")
    assert note.endswith("Plan:\n- The guideline gives no management plan for these answers.\n")
    assert "Findings:\n- AIs are not known to cause neuropathies" in note


def test_the_browser_session_adds_the_note_only_with_a_result(aimss: Guideline) -> None:
    session = Session(aimss, runtime="Pyodide 314.0.7")
    complete = json.loads(session.evaluate(json.dumps(FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)))
    assert complete["note"] == note_text(complete["result"], runtime="Pyodide 314.0.7")
    partial = json.loads(session.evaluate(json.dumps({"symptoms": ["arthralgia"]})))
    assert partial["note"] is None and partial["result"] is None


def test_a_french_note_writes_its_separators_as_french_does(aimss: Guideline) -> None:
    """French puts a non-breaking space before a colon; the note's own "Label: value" lines follow
    the catalogue, like its headings ("Réponses :")."""
    from calculator import text

    result = assess(aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
    text.use_language("fr")
    try:
        note = note_text(result, runtime="Pyodide 314.0.7", today=date(2026, 1, 1))
    finally:
        text.use_language("en")
    classification = result["classifications"][0]
    assert f"{classification['label']}\u00a0: {classification['category']['label']}." in note
    for section in result["sections"]:
        assert f"\n{section['title']}\u00a0:\n" in note
    assert "Réponses\u00a0:" in note
