"""{title}: questions, classifications and recommendation catalogue.

Created by ``guideline-site new-guideline``. Every text below must repeat or paraphrase a sentence
marked in ``index.md`` (``<span class="rec" id="...">``); each entry's ``Source`` names that
anchor and the sentence's own citation numbers. See *Writing a guideline*.
"""

from calculator.conditions import Is
from calculator.kinds.choice import yes_no
from calculator.model import (
    NO,
    YES,
    Category,
    Classification,
    Entry,
    Guideline,
    GuidelineInfo,
    Section,
    Source,
    Step,
)

first_step = Step(
    id="first_step",
    title="First step",
    questions=(
        yes_no(
            id="first_question",
            label="Replace with your first question?",
            help="Replace with help that restates the guideline, or remove.",
            help_source=Source(anchor="first-recommendation"),
        ),
    ),
)

summary = Classification(
    id="summary",
    label="Summary",
    categories=(
        Category(
            id="applies",
            label="The first recommendation applies",
            text="Replace with the sentence that says when it applies.",
            when=Is("first_question", YES),
            source=Source(anchor="first-recommendation"),
        ),
        Category(
            id="does_not_apply",
            label="The first recommendation does not apply",
            text="Replace with what the guideline says otherwise.",
            when=Is("first_question", NO),
            source=Source(anchor="first-recommendation"),
        ),
    ),
)

plan = Section(
    id="plan",
    title="Plan",
    entries=(
        Entry(
            id="first_recommendation",
            text="Replace with the first recommendation, in the source's words.",
            when=Is("first_question", YES),
            source=Source(anchor="first-recommendation"),
        ),
    ),
)

GUIDELINE = Guideline(
    id="{guideline_id}",
    info=GuidelineInfo(
        title="{title}",
        short_title="{short_title}",
        authors=("Replace with the source's author",),
        source="Replace with the source's title",
        content_version="0.1.0",
        review_date="{today}",
        reviewer="Not reviewed: draft",
        # When the content must be checked against its source again: months after review_date
        # (or next_review="YYYY-MM-DD"). Past it, pages and results say "review overdue since".
        review_interval_months=12,
        topics=(),
        intended_use="Draft created from a template: not for clinical use.",
    ),
    source_page="index.md",
    steps=(first_step,),
    classifications=(summary,),
    findings=(),
    sections=(plan,),
)
