"""AIMSS calculator: questions, classifications and recommendation catalogue.

Clinical source: the Fast Fact "Aromatase Inhibitor Associated Musculoskeletal
Symptoms" by Philip Chang DO, transcribed in ``index.md`` beside this file. Every
text below repeats or paraphrases a sentence marked there with
``<span class="rec" id="...">``; each entry's ``Source`` names that anchor and the
Fast Fact's own citation numbers.

Conventions (interface needs the source does not settle; labelled where shown):

* ``TWO_MONTHS_IN_WEEKS``: the source speaks of "6-8 weeks" and "1-2 months"; onset
  is asked in weeks and 2 months is taken as 8.7 weeks (2 x 30.44 / 7).
* ``RESPONSE_WINDOW_WEEKS``: "resolve or improve within 2-4 weeks of discontinuation"
  is read as "by 4 weeks after stopping": no improvement 4 or more weeks after stopping
  is atypical; before 4 weeks it is too early to judge.
* Symptoms starting in the week the AI was started, with the AI stopped less than 1 week after
  it was started, are not classified: the source gives no rule for this combination; the result
  ("Not classified: check the durations") asks to check the durations.
* Durations are accepted from 0 to 1040 weeks (20 years) as a plausibility range only.
  The weeks since the AI was started are asked only to catch inconsistent durations
  (symptoms starting, or the AI stopping, later than today).
* Severity of diffuse symptoms is the clinician's judgement: the source gives no scale.
* No dates are asked: durations in weeks identify no patient.
* ``review_interval_months=12``: the source sets no review cycle; the content is due to be
  checked against it again 12 months after its last check (a site convention, shown as
  "next review due" on the pages and "review overdue since" once past).
"""

from calculator.conditions import (
    Above,
    AtLeast,
    Below,
    Between,
    DifferenceBelow,
    Exceeds,
    Includes,
    IncludesAny,
    IncludesNone,
    Is,
    IsAnyOf,
    SumExceeds,
    all_of,
    any_of,
)
from calculator.kinds.choice import multiple_choice, single_choice, yes_no
from calculator.kinds.number import number
from calculator.model import (
    NO,
    YES,
    Category,
    Classification,
    Constraint,
    Entry,
    Guideline,
    GuidelineInfo,
    Option,
    Section,
    Source,
    Step,
)

TWO_MONTHS_IN_WEEKS = 8.7
"""Convention: upper end of "within 1-2 months of initiating AI therapy", in weeks."""

USUAL_ONSET_WEEKS = (6.0, 8.0)
"""'AIMSS symptoms usually start 6-8 weeks after AI initiation' (anchor ``timing``)."""

RESPONSE_WINDOW_WEEKS = 4.0
"""Convention: upper end of 'resolve or improve within 2-4 weeks of discontinuation'."""

WITHIN_TWO_MONTHS = "2 months is taken as 8.7 weeks, and onset from 0 to 8.7 weeks counts as within 1-2 months."
"""The convention behind every rule on onset 'within 1-2 months', shown with it (``Category.convention``)."""

BY_4_WEEKS = "'within 2-4 weeks' is read as by 4 weeks after stopping."
"""The convention behind every rule on the course after stopping, shown with it."""

MAX_WEEKS = 1040
"""Convention: plausibility limit for every duration (20 years)."""

PRIMARY_SYMPTOMS = ("arthralgia", "joint_stiffness", "tendinopathy")
"""'The primary symptoms are arthralgias, joint stiffness, and tendinopathies.'"""

HAS_PRIMARY_SYMPTOM = IncludesAny("symptoms", PRIMARY_SYMPTOMS)
FOCAL = Is("distribution", "focal")
DIFFUSE = Is("distribution", "diffuse")
LIMITED_LIFE_EXPECTANCY_FROM_METASTASES = all_of(Is("limited_prognosis", YES), Is("widespread_metastases", YES))
"""'Patients with AIMSS and a limited life expectancy from widespread metastases' (key point)."""
LIMITED_LIFE_EXPECTANCY_FROM_VISCERAL_DISEASE = all_of(
    Is("limited_prognosis", YES), Is("widespread_visceral_disease", YES)
)
"""'In cases of widespread visceral disease with limited life expectancy' (anchor ``ai-cessation``)."""


AI_STOPPED_IN_THE_WEEK_THE_SYMPTOMS_STARTED = all_of(
    Below("onset_weeks_after_ai_start", 1),
    DifferenceBelow("weeks_since_ai_start", "weeks_since_ai_stopped", 1),
)
"""Convention: symptoms in the week the AI was started and the AI stopped less than 1 week after
starting it (weeks since starting minus weeks since stopping under 1), a combination the source
does not address ('usually start 6-8 weeks after AI initiation and resolve or improve within
2-4 weeks of discontinuation'): not classified, the durations to be checked."""


def source(anchor: str, *citations: int) -> Source:
    return Source(anchor=anchor, citations=citations)


symptoms_step = Step(
    id="symptoms",
    title="Symptoms",
    questions=(
        multiple_choice(
            id="symptoms",
            label="Which symptoms does the patient have?",
            help=(
                "The primary symptoms of AIMSS are arthralgias, joint stiffness and "
                "tendinopathies. Record carpal tunnel syndrome as a tendinopathy: the guideline "
                "lists it among the tendinopathies of AIMSS."
            ),
            help_source=source("primary-symptoms"),
            options=(
                Option(
                    id="arthralgia",
                    label="Arthralgia (joint pain)",
                    help="Most common in the legs, lower back, hands and wrists.",
                    help_source=source("arthralgia-sites", 10),
                ),
                Option(id="joint_stiffness", label="Joint stiffness"),
                Option(
                    id="tendinopathy",
                    label="Tendinopathy",
                    help="Including de Quervain's tenosynovitis, trigger finger, carpal tunnel syndrome.",
                    help_source=source("tendinopathies"),
                ),
                Option(
                    id="neuropathy",
                    label="Neuropathy",
                    help=(
                        "AIs are not known to cause neuropathies. Convention (how to answer): record carpal "
                        "tunnel syndrome, with its symptoms, as a tendinopathy, not as neuropathy: the guideline "
                        "lists carpal tunnel syndrome among the tendinopathies of AIMSS."
                    ),
                    help_source=source("primary-symptoms"),
                ),
            ),
        ),
        multiple_choice(
            id="tendinopathy_types",
            label="Which tendinopathy?",
            help="Tendinopathies commonly occur in the wrist/hand area.",
            help_source=source("tendinopathies"),
            options=(
                Option(id="de_quervain", label="De Quervain's tenosynovitis"),
                Option(id="trigger_finger", label="Trigger finger"),
                Option(id="carpal_tunnel", label="Carpal tunnel syndrome"),
                Option(id="other_tendinopathy", label="Another tendinopathy"),
            ),
            applies_when=Includes("symptoms", "tendinopathy"),
        ),
        yes_no(
            id="ring_no_longer_fits",
            label="Does a ring (such as a wedding ring) no longer fit because of finger swelling?",
            applies_when=HAS_PRIMARY_SYMPTOM,
        ),
    ),
)

timing_step = Step(
    id="timing",
    title="Timing",
    questions=(
        number(
            id="weeks_since_ai_start",
            label="How many weeks ago was the aromatase inhibitor (AI) started?",
            unit="weeks",
            minimum=0,
            maximum=MAX_WEEKS,
            help=(
                "Count from the first dose, also if the AI has since been stopped. "
                "Convention: 0 to 1040 weeks accepted; used to check the other durations."
            ),
            applies_when=HAS_PRIMARY_SYMPTOM,
        ),
        yes_no(
            id="onset_before_ai",
            label="Did the symptoms start before the AI was started?",
            applies_when=HAS_PRIMARY_SYMPTOM,
        ),
        number(
            id="onset_weeks_after_ai_start",
            label="How many weeks after starting the AI did the symptoms start?",
            unit="weeks",
            minimum=0,
            maximum=MAX_WEEKS,
            help=(
                "AIMSS symptoms usually start 6-8 weeks after AI initiation. "
                "Convention: 2 months is taken as 8.7 weeks, and onset from 0 to 8.7 weeks "
                "counts as within the appropriate time frame (within 1-2 months); "
                "0 to 1040 weeks accepted."
            ),
            help_source=source("timing", 11),
            applies_when=Is("onset_before_ai", NO),
        ),
        yes_no(
            id="ai_stopped",
            label="Has the AI been stopped?",
            applies_when=HAS_PRIMARY_SYMPTOM,
        ),
        number(
            id="weeks_since_ai_stopped",
            label="How many weeks ago was the AI stopped?",
            unit="weeks",
            minimum=0,
            maximum=MAX_WEEKS,
            help="Convention: 0 to 1040 weeks accepted.",
            applies_when=Is("ai_stopped", YES),
        ),
        yes_no(
            id="improved_within_4_weeks_of_stopping",
            label="Did the symptoms resolve or improve within 4 weeks of stopping the AI?",
            help=(
                "AIMSS symptoms usually resolve or improve within 2-4 weeks of discontinuation. "
                "Answer No if they have not improved (yet). Convention: 'within 2-4 weeks' is "
                "read as by 4 weeks after stopping; before 4 weeks it is too early to judge."
            ),
            help_source=source("timing", 11),
            applies_when=Is("ai_stopped", YES),
        ),
    ),
)

# Reported in this order: the AI stopped before it was started is a root cause, and makes the
# symptoms seem to start after stopping too; it is named first.
constraints = (
    Constraint(
        id="stopped_before_started",
        fields=("weeks_since_ai_stopped", "weeks_since_ai_start"),
        violated_when=Exceeds("weeks_since_ai_stopped", "weeks_since_ai_start"),
        message=(
            "The AI cannot have been stopped before it was started: the weeks since it was stopped "
            "must not be more than the weeks since it was started."
        ),
    ),
    Constraint(
        id="onset_after_today",
        fields=("onset_weeks_after_ai_start", "weeks_since_ai_start"),
        violated_when=Exceeds("onset_weeks_after_ai_start", "weeks_since_ai_start"),
        message=(
            "The weeks from starting the AI to the onset of symptoms are more than the weeks since "
            "the AI was started: check both durations."
        ),
    ),
    Constraint(
        id="onset_after_stopping",
        fields=("onset_weeks_after_ai_start", "weeks_since_ai_stopped", "weeks_since_ai_start"),
        violated_when=SumExceeds(("onset_weeks_after_ai_start", "weeks_since_ai_stopped"), "weeks_since_ai_start"),
        message=(
            "By these durations the symptoms started after the AI was stopped, so whether they improved "
            "after stopping cannot be answered: check the weeks since starting, the weeks from starting "
            "to the symptoms, and the weeks since stopping."
        ),
    ),
)

pattern_step = Step(
    id="pattern",
    title="Pattern and severity",
    questions=(
        single_choice(
            id="distribution",
            label="Are the symptoms focal or diffuse?",
            help=(
                "Appropriate treatment depends on whether symptoms are focal or diffuse. The guideline does not "
                "address focal and diffuse symptoms together. Convention (how to answer): with both, answer once "
                "for each (Focal, then Diffuse) and read both plans, so that neither is dropped."
            ),
            help_source=source("focal-or-diffuse"),
            options=(
                Option(id="focal", label="Focal (most often the hand or wrist)"),
                Option(id="diffuse", label="Diffuse"),
            ),
            applies_when=HAS_PRIMARY_SYMPTOM,
        ),
        yes_no(
            id="focal_refractory",
            label="Are the focal symptoms refractory to conservative management?",
            help="Conservative management: NSAIDs, icing, splinting, occupational therapy.",
            help_source=source("focal-conservative"),
            applies_when=FOCAL,
        ),
        single_choice(
            id="diffuse_severity",
            label="How severe are the diffuse symptoms?",
            help="Convention: the clinician's judgement; the guideline gives no severity scale.",
            options=(
                Option(id="mild", label="Mild"),
                Option(id="moderate", label="Moderate"),
                Option(id="severe", label="Severe"),
            ),
            applies_when=DIFFUSE,
        ),
        yes_no(
            id="concomitant_depression",
            label="Does the patient have concomitant depression?",
            applies_when=DIFFUSE,
        ),
        yes_no(
            id="diffuse_refractory",
            label="Are the diffuse symptoms refractory to treatment?",
            applies_when=DIFFUSE,
        ),
    ),
)

cancer_care_step = Step(
    id="cancer_care",
    title="Prognosis and cancer treatment",
    questions=(
        yes_no(
            id="limited_prognosis",
            label="Does the patient have a limited prognosis (limited life expectancy)?",
            applies_when=HAS_PRIMARY_SYMPTOM,
        ),
        yes_no(
            id="widespread_metastases",
            label="Is the limited life expectancy due to widespread metastases?",
            applies_when=Is("limited_prognosis", YES),
        ),
        yes_no(
            id="widespread_visceral_disease",
            label="Is there widespread visceral disease?",
            help="The guideline names widespread visceral disease when it speaks of stopping treatment.",
            help_source=source("ai-cessation"),
            applies_when=Is("widespread_metastases", YES),
        ),
        single_choice(
            id="equally_effective_alternative",
            label=(
                "Is there an equally effective systemic cancer treatment that is in line "
                "with the patient's goals of care?"
            ),
            help="A question for the oncologist.",
            options=(
                Option(id="yes", label="Yes"),
                Option(
                    id="no",
                    label="No",
                    no_rule=(
                        "The guideline considers rotation if there is an equally effective "
                        "treatment; with No, rotation is not suggested."
                    ),
                ),
                Option(id="not_known", label="Not known"),
            ),
            applies_when=HAS_PRIMARY_SYMPTOM,
        ),
    ),
)

assessment = Classification(
    id="assessment",
    label="Assessment",
    categories=(
        Category(
            id="not_explained_by_aimss",
            label="Not explained by AIMSS",
            text=(
                "None of the primary symptoms of AIMSS (arthralgias, joint stiffness, "
                "tendinopathies) is present, and AIs are not known to cause neuropathies."
            ),
            when=IncludesNone("symptoms", PRIMARY_SYMPTOMS),
            source=source("primary-symptoms"),
        ),
        Category(
            id="atypical_onset_before_ai",
            label="Atypical for AIMSS: started before the AI",
            text=(
                "The symptoms started before the AI, whereas AIMSS symptoms usually start 6-8 "
                "weeks after AI initiation."
            ),
            convention="timing outside what the guideline describes is labelled atypical.",
            when=Is("onset_before_ai", YES),
            source=source("timing", 11),
        ),
        Category(
            id="atypical_late_onset",
            label="Atypical for AIMSS: started more than 2 months after the AI",
            text=(
                "The symptoms started more than 2 months after AI initiation, outside the time "
                "frame the guideline describes (usually 6-8 weeks; strong index of suspicion "
                "within 1-2 months)."
            ),
            convention=(
                "2 months is taken as 8.7 weeks, and timing outside what the guideline describes is labelled atypical."
            ),
            when=Above("onset_weeks_after_ai_start", TWO_MONTHS_IN_WEEKS),
            source=source("timing", 11),
        ),
        Category(
            id="check_durations_ai_stopped_in_first_week",
            label="Not classified: check the durations",
            text=(
                "By these durations the symptoms started in the week the AI was started, and the AI was stopped "
                "less than 1 week after it was started. AIMSS symptoms usually start 6-8 weeks after AI "
                "initiation and resolve or improve within 2-4 weeks of discontinuation; the guideline gives no "
                "rule for an AI stopped in the week it was started. Check the weeks since starting, the weeks "
                "from starting to the symptoms, and the weeks since stopping."
            ),
            convention=(
                "symptoms starting in the week the AI was started, with the AI stopped less than 1 week after "
                "it was started, are not classified: the guideline gives no rule for this combination, so the "
                "result asks to check the durations."
            ),
            when=AI_STOPPED_IN_THE_WEEK_THE_SYMPTOMS_STARTED,
            source=source("timing", 11),
        ),
        Category(
            id="atypical_no_improvement",
            label="Atypical for AIMSS: did not improve within 4 weeks of stopping the AI",
            text=(
                "The symptoms did not resolve or improve within 4 weeks of stopping the AI, "
                "whereas AIMSS symptoms usually resolve or improve within 2-4 weeks of "
                "discontinuation."
            ),
            convention=(
                "'within 2-4 weeks' is read as by 4 weeks after stopping, and timing outside what the guideline "
                "describes is labelled atypical."
            ),
            when=all_of(
                Is("improved_within_4_weeks_of_stopping", NO),
                AtLeast("weeks_since_ai_stopped", RESPONSE_WINDOW_WEEKS),
            ),
            source=source("timing", 11),
        ),
        Category(
            id="consistent_with_aimss",
            label="Consistent with AIMSS",
            text=(
                "Stereotypical symptoms started within the appropriate time frame after AI "
                "initiation. The guideline states that this should be enough for diagnosis "
                "(non-validated criteria exist)."
            ),
            convention=(
                "the appropriate time frame is taken as 0 to 2 months (8.7 weeks) after AI initiation, "
                "onset in the week the AI was started (0 weeks) included."
            ),
            when=all_of(HAS_PRIMARY_SYMPTOM, Between("onset_weeks_after_ai_start", 0, TWO_MONTHS_IN_WEEKS)),
            source=source("diagnosis", 12),
        ),
    ),
)

pattern = Classification(
    id="pattern",
    label="Pattern",
    categories=(
        Category(
            id="focal",
            label="Focal",
            text="Focal symptoms most often occur in the hand or wrist.",
            when=FOCAL,
            source=source("focal-site"),
        ),
        Category(
            id="diffuse",
            label="Diffuse",
            text=(
                "Diffuse symptoms require a systemic approach with a combination of "
                "pharmacologic therapy and cardiovascular exercise."
            ),
            when=DIFFUSE,
            source=source("diffuse-systemic"),
        ),
        Category(
            id="not_assessed",
            label="Not assessed",
            text="Not assessed: none of the primary symptoms of AIMSS was reported.",
            when=IncludesNone("symptoms", PRIMARY_SYMPTOMS),
        ),
    ),
)

timing = Classification(
    id="timing",
    label="Timing",
    categories=(
        Category(
            id="before_ai",
            label="Started before the AI",
            text=("AIMSS symptoms usually start 6-8 weeks after AI initiation."),
            convention="symptoms that started before the AI are labelled atypical.",
            when=Is("onset_before_ai", YES),
            source=source("timing", 11),
        ),
        Category(
            id="usual_window",
            label="Within the usual 6-8 weeks",
            text="AIMSS symptoms usually start 6-8 weeks after AI initiation.",
            when=Between("onset_weeks_after_ai_start", *USUAL_ONSET_WEEKS),
            source=source("timing", 11),
        ),
        Category(
            id="within_two_months",
            label="Within 1-2 months of starting the AI",
            text=(
                "Outside the usual 6-8 weeks but within 1-2 months of initiating AI therapy, "
                "when the guideline advises a strong index of suspicion for arthralgias/stiffness."
            ),
            convention=WITHIN_TWO_MONTHS,
            when=Between("onset_weeks_after_ai_start", 0, TWO_MONTHS_IN_WEEKS),
            source=source("key-suspicion"),
        ),
        Category(
            id="later_than_two_months",
            label="More than 2 months after starting the AI",
            text=("Later than the time frame in which AIMSS symptoms usually start."),
            convention="2 months is taken as 8.7 weeks.",
            when=Above("onset_weeks_after_ai_start", TWO_MONTHS_IN_WEEKS),
            source=source("timing", 11),
        ),
        Category(
            id="not_assessed",
            label="Not assessed",
            text="Not assessed: none of the primary symptoms of AIMSS was reported.",
            when=IncludesNone("symptoms", PRIMARY_SYMPTOMS),
        ),
    ),
)

ONSET_OUTSIDE_TIME_FRAME = any_of(
    Is("onset_before_ai", YES),
    Above("onset_weeks_after_ai_start", TWO_MONTHS_IN_WEEKS),
)
"""Onset outside 'the appropriate time frame' (anchor ``diagnosis``): before the AI, or after 2 months."""

NO_IMPROVEMENT_BY_4_WEEKS = all_of(
    Is("improved_within_4_weeks_of_stopping", NO),
    AtLeast("weeks_since_ai_stopped", RESPONSE_WINDOW_WEEKS),
)
"""Not the usual course after stopping: 'resolve or improve within 2-4 weeks of discontinuation'."""

findings = (
    Entry(
        id="plan_assumes_aimss",
        text=(
            "The management plan below is the guideline's palliative treatment of AIMSS. With this "
            "onset, the guideline's basis for the diagnosis (stereotypical symptoms within the "
            "appropriate time frame) is not met."
        ),
        convention="2 months is taken as 8.7 weeks.",
        when=all_of(HAS_PRIMARY_SYMPTOM, ONSET_OUTSIDE_TIME_FRAME),
        source=source("diagnosis", 12),
        short=(
            "The plan is the palliative treatment of AIMSS: with this onset, the basis for the diagnosis of "
            "AIMSS is not met."
        ),
    ),
    Entry(
        id="plan_assumes_aimss_no_improvement",
        text=(
            "The management plan below is the guideline's palliative treatment of AIMSS. The part of the "
            "guideline's time course these symptoms do not follow is the course after stopping: AIMSS "
            "symptoms usually resolve or improve within 2-4 weeks of discontinuation, and these did not by "
            "4 weeks after stopping (the onset is shown under Timing)."
        ),
        convention=BY_4_WEEKS,
        when=all_of(HAS_PRIMARY_SYMPTOM, NO_IMPROVEMENT_BY_4_WEEKS),
        source=source("timing", 11),
        short=(
            "The plan is the palliative treatment of AIMSS. The symptoms do not follow the course after stopping: "
            "AIMSS symptoms usually resolve or improve within 2-4 weeks of discontinuation."
        ),
    ),
    Entry(
        id="arthralgia_sites",
        text=("Arthralgias may occur anywhere but most commonly occur in the legs, lower back, hands, and wrists."),
        when=Includes("symptoms", "arthralgia"),
        source=source("arthralgia-sites", 10),
        short="Arthralgias: most commonly legs, lower back, hands, wrists.",
    ),
    Entry(
        id="neuropathy_not_caused_by_ai",
        text="AIs are not known to cause neuropathies: neuropathic symptoms are not explained by AIMSS.",
        when=Includes("symptoms", "neuropathy"),
        source=source("primary-symptoms"),
        short="AIs are not known to cause neuropathies.",
    ),
    Entry(
        id="carpal_tunnel_is_an_aimss_tendinopathy",
        text=(
            "Carpal tunnel syndrome is one of the tendinopathies of AIMSS the guideline lists "
            "(wrist/hand area), so it counts as a primary symptom of AIMSS."
        ),
        when=Includes("tendinopathy_types", "carpal_tunnel"),
        source=source("tendinopathies"),
        short="Tendinopathies of AIMSS can manifest as carpal tunnel syndrome.",
    ),
    Entry(
        id="hand_wrist_tendinopathy",
        text=(
            "Tendinopathies of AIMSS commonly occur in the wrist/hand area and can manifest as "
            "de Quervain's tenosynovitis, trigger fingers, or carpal tunnel syndrome."
        ),
        when=IncludesAny("tendinopathy_types", ("de_quervain", "trigger_finger", "other_tendinopathy")),
        source=source("tendinopathies"),
        short="Tendinopathies commonly occur in the wrist/hand area.",
    ),
    Entry(
        id="ring_sign",
        text="A wedding ring that no longer fits due to finger swelling is a possible presenting sign.",
        when=Is("ring_no_longer_fits", YES),
        source=source("ring-sign"),
        short="Ring no longer fits due to finger swelling: a possible presenting sign.",
    ),
    Entry(
        id="index_of_suspicion",
        text="Have a strong index of suspicion for arthralgias/stiffness within 1-2 months of initiating AI therapy.",
        when=all_of(
            IncludesAny("symptoms", ("arthralgia", "joint_stiffness")),
            Between("onset_weeks_after_ai_start", 0, TWO_MONTHS_IN_WEEKS),
        ),
        source=source("key-suspicion"),
        short="Arthralgias/stiffness within 1-2 months of initiating AI therapy: strong index of suspicion.",
        convention=WITHIN_TWO_MONTHS,
    ),
    Entry(
        id="improved_after_stopping",
        text=(
            "The symptoms resolved or improved within 4 weeks of stopping the AI, the usual course the "
            "guideline describes: AIMSS symptoms usually resolve or improve within 2-4 weeks of "
            "discontinuation."
        ),
        convention=BY_4_WEEKS,
        when=all_of(Is("improved_within_4_weeks_of_stopping", YES), AtLeast("weeks_since_ai_stopped", 1)),
        source=source("timing", 11),
        short=(
            "Improved within 4 weeks of stopping: AIMSS symptoms usually resolve or improve within 2-4 weeks of "
            "discontinuation."
        ),
    ),
    Entry(
        id="improvement_too_early_to_judge",
        text=(
            "The symptoms are recorded as resolved or improved, but the AI was stopped less than 1 week ago: "
            "AIMSS symptoms usually resolve or improve within 2-4 weeks of discontinuation, so it is too early "
            "to judge the response. Check the answer about improvement after stopping."
        ),
        convention=(
            "an improvement recorded less than 1 week after stopping is not read as the usual course; "
            "'within 2-4 weeks' is read as by 4 weeks after stopping."
        ),
        when=all_of(Is("improved_within_4_weeks_of_stopping", YES), Below("weeks_since_ai_stopped", 1)),
        source=source("timing", 11),
        short="AI stopped less than 1 week ago: too early to judge the response. Check the answer.",
    ),
    Entry(
        id="too_early_to_judge_response",
        text=(
            "The AI was stopped less than 4 weeks ago and the symptoms have not improved yet: AIMSS "
            "symptoms usually resolve or improve within 2-4 weeks of discontinuation, so it is too "
            "early to judge the response."
        ),
        convention=BY_4_WEEKS,
        when=all_of(
            Is("improved_within_4_weeks_of_stopping", NO),
            Below("weeks_since_ai_stopped", RESPONSE_WINDOW_WEEKS),
        ),
        source=source("timing", 11),
        short="AI stopped less than 4 weeks ago and symptoms not improved yet: too early to judge the response.",
    ),
)

approach = Section(
    id="approach",
    title="Approach",
    entries=(
        Entry(
            id="treatment_by_pattern",
            text=("Appropriate palliative treatment should consider whether AIMSS symptoms are focal or diffuse."),
            when=HAS_PRIMARY_SYMPTOM,
            source=source("focal-or-diffuse"),
            short="Palliative treatment: consider whether focal or diffuse.",
        ),
        Entry(
            id="consider_non_pharmacologic",
            text=(
                "Consider whether symptoms are focal vs diffuse and if non-pharmacologic "
                "management may be better indicated."
            ),
            when=HAS_PRIMARY_SYMPTOM,
            source=source("key-focal-diffuse"),
            short="Consider if non-pharmacologic management may be better indicated.",
        ),
        Entry(
            id="referral_palliative_or_pain",
            text=(
                "Referral to palliative care specialists or pain management specialists may be "
                "pursued in the hopes the patient can remain on AI therapy."
            ),
            when=all_of(HAS_PRIMARY_SYMPTOM, Is("ai_stopped", NO)),
            source=source("referral"),
            short="Referral to palliative care or pain management specialists may be pursued.",
        ),
    ),
)

focal_management = Section(
    id="focal",
    title="Focal symptoms: conservative management",
    entries=(
        Entry(
            id="focal_nsaids",
            text="NSAIDs.",
            when=FOCAL,
            source=source("focal-conservative"),
        ),
        Entry(
            id="focal_icing",
            text="Icing.",
            when=FOCAL,
            source=source("focal-conservative"),
        ),
        Entry(
            id="focal_splint_thumb_spica",
            text="Splinting: thumb spica splint for de Quervain's tenosynovitis.",
            when=all_of(FOCAL, Includes("tendinopathy_types", "de_quervain")),
            source=source("focal-conservative"),
            short="Thumb spica splint for de Quervain's tenosynovitis.",
        ),
        Entry(
            id="focal_splint_neutral_hand",
            text="Splinting: neutral hand splint for carpal tunnel syndrome.",
            when=all_of(FOCAL, Includes("tendinopathy_types", "carpal_tunnel")),
            source=source("focal-conservative"),
            short="Neutral hand splint for carpal tunnel syndrome.",
        ),
        Entry(
            id="focal_splinting",
            text=(
                "Splinting (the guideline names a thumb spica splint for de Quervain's "
                "tenosynovitis and a neutral hand splint for carpal tunnel syndrome)."
            ),
            when=all_of(
                FOCAL,
                any_of(
                    IncludesNone("symptoms", ("tendinopathy",)),
                    IncludesNone("tendinopathy_types", ("de_quervain", "carpal_tunnel")),
                ),
            ),
            source=source("focal-conservative"),
            short="Splinting.",
        ),
        Entry(
            id="focal_occupational_therapy",
            text="A course of occupational therapy.",
            when=FOCAL,
            source=source("focal-conservative"),
            short="Occupational therapy.",
        ),
        Entry(
            id="focal_corticosteroid_injection",
            text=(
                "Refractory symptoms may respond to corticosteroid injections, usually performed "
                "by rheumatologists, orthopedic surgeons, physiatrists, or sports medicine "
                "physicians."
            ),
            when=all_of(FOCAL, Is("focal_refractory", YES)),
            source=source("focal-injection", 13),
            short="Refractory symptoms may respond to corticosteroid injections.",
        ),
    ),
)

diffuse_management = Section(
    id="diffuse",
    title="Diffuse symptoms: systemic approach",
    entries=(
        Entry(
            id="diffuse_exercise",
            text=(
                "All patients should participate in a regular exercise program of 30 minutes "
                "five days per week of moderate intensity cardiovascular exercise in addition to "
                "two days a week of resistance training which has been shown to significantly "
                "reduce pain scores."
            ),
            when=DIFFUSE,
            source=source("diffuse-exercise", 15),
            short=(
                "Exercise: 30 minutes of moderate intensity cardiovascular exercise five days per week, and "
                "resistance training two days a week."
            ),
        ),
        Entry(
            id="diffuse_mild_nsaids_acetaminophen",
            text="Mild symptoms: consider NSAIDs and/or 2-3 grams per day of acetaminophen.",
            when=all_of(DIFFUSE, Is("diffuse_severity", "mild")),
            source=source("diffuse-mild", 4, 14),
            short="Mild: consider NSAIDs and/or acetaminophen 2-3 grams per day.",
        ),
        Entry(
            id="diffuse_duloxetine",
            text=(
                "Consider duloxetine (moderate to severe symptoms and/or concomitant depression): "
                "start at 30 mg daily and titrate to 60 mg daily after 1 week."
            ),
            when=all_of(
                DIFFUSE,
                any_of(
                    IsAnyOf("diffuse_severity", ("moderate", "severe")),
                    Is("concomitant_depression", YES),
                ),
            ),
            source=source("diffuse-duloxetine", 14),
            short=(
                "Consider duloxetine (moderate to severe symptoms and/or concomitant depression): 30 mg daily, "
                "titrate to 60 mg daily after 1 week."
            ),
        ),
        Entry(
            id="diffuse_alternatives",
            text=(
                "Alternative treatment options to consider: a short course of systemic steroids "
                "(e.g. prednisone 5 mg PO for 1 week) or acupuncture."
            ),
            when=DIFFUSE,
            source=source("diffuse-alternatives", 16, 17),
        ),
        Entry(
            id="diffuse_opioids",
            text=(
                "Opioids have not been studied for AIMSS but could be considered in refractory "
                "cases and/or patients with a limited prognosis."
            ),
            when=all_of(
                DIFFUSE,
                any_of(Is("diffuse_refractory", YES), Is("limited_prognosis", YES)),
            ),
            source=source("diffuse-opioids"),
            short="Opioids: not studied for AIMSS; could be considered in refractory cases and/or limited prognosis.",
        ),
    ),
)

ai_therapy = Section(
    id="ai_therapy",
    title="AI therapy (decisions with the oncologist)",
    entries=(
        Entry(
            id="ai_rotation",
            text=(
                "Oncologists may consider rotation to a different AI or a different type of "
                "endocrine therapy, as there is an equally effective systemic cancer treatment "
                "in line with the patient's goals of care."
            ),
            when=Is("equally_effective_alternative", "yes"),
            source=source("ai-rotation"),
            short=(
                "Oncologists may consider rotation to a different AI or endocrine therapy, as there is an equally "
                "effective systemic cancer treatment in line with the patient's goals of care."
            ),
        ),
        Entry(
            id="ai_rotation_if_equally_effective",
            text=(
                "Oncologists may consider rotation to a different AI or a different type of "
                "endocrine therapy if there is an equally effective systemic cancer treatment "
                "that is in line with the patient's goals of care: whether there is, is not known yet."
            ),
            when=Is("equally_effective_alternative", "not_known"),
            source=source("ai-rotation"),
            short=(
                "Oncologists may consider rotation if there is an equally effective systemic cancer treatment in "
                "line with the patient's goals of care: whether there is, is not known yet."
            ),
        ),
        Entry(
            id="ai_cessation",
            text=(
                "With widespread visceral disease and limited life expectancy, cessation of the AI "
                "and of systemic cancer treatment in general may be warranted."
            ),
            when=LIMITED_LIFE_EXPECTANCY_FROM_VISCERAL_DISEASE,
            source=source("ai-cessation"),
            short=(
                "With widespread visceral disease and limited life expectancy, cessation of the AI and systemic cancer "
                "treatment may be warranted."
            ),
        ),
        Entry(
            id="discuss_options_with_oncologist",
            text=(
                "Patients with AIMSS and a limited life expectancy from widespread metastases "
                "should discuss treatment options with their oncologist, including rotation or "
                "cessation of treatment."
            ),
            when=LIMITED_LIFE_EXPECTANCY_FROM_METASTASES,
            source=source("key-limited-life-expectancy"),
            short=(
                "Patients with AIMSS and a limited life expectancy from widespread metastases: discuss treatment "
                "options, including rotation or cessation, with their oncologist."
            ),
        ),
        Entry(
            id="involve_oncologist",
            text=(
                "Palliative care and generalist clinicians should involve oncologists in these "
                "decisions, considering the prognostic complexities involved."
            ),
            when=any_of(
                IsAnyOf("equally_effective_alternative", ("yes", "not_known")),
                LIMITED_LIFE_EXPECTANCY_FROM_METASTASES,
            ),
            source=source("involve-oncologist"),
            short="Involve oncologists, considering the prognostic complexities.",
        ),
    ),
)

GUIDELINE = Guideline(
    id="aimss",
    info=GuidelineInfo(
        title="Aromatase Inhibitor Associated Musculoskeletal Symptoms (AIMSS)",
        short_title="AIMSS",
        authors=("Philip Chang DO",),
        source='Fast Fact "Aromatase Inhibitor Associated Musculoskeletal Symptoms"',
        content_version="1.3.0",
        review_date="2026-12-03",
        reviewer="Pending: transcription checked against the source; clinical sign-off not yet given",
        review_interval_months=12,
        topics=("breast cancer", "aromatase inhibitors", "musculoskeletal symptoms", "palliative care"),
        intended_use=(
            "Decision support for clinicians assessing musculoskeletal symptoms in patients "
            "taking an aromatase inhibitor. It does not replace clinical judgement and is not "
            "for emergencies."
        ),
    ),
    source_page="index.md",
    steps=(symptoms_step, timing_step, pattern_step, cancer_care_step),
    constraints=constraints,
    classifications=(assessment, pattern, timing),
    findings=findings,
    sections=(approach, focal_management, diffuse_management, ai_therapy),
)
