"""The vocabulary a guideline is written in: questions, steps, catalogue entries.

A guideline module (``content/<guideline>/guideline.py``) builds one ``Guideline``
from these frozen values. Nothing here knows any particular guideline. The engine
(``calculator.engine``) walks these tables; ``Guideline.check()`` rejects authoring
mistakes with a message naming the id and what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from calculator.conditions import CONDITION_KINDS, Condition, compared_answers, foreign_conditions
from calculator.kinds import kinds
from calculator.questions import NO, YES, Constraint, Option, Question, Source
from calculator.text import t

__all__ = [
    "NO",
    "SHAPE_WORDS",
    "YES",
    "Category",
    "Classification",
    "Constraint",
    "Entry",
    "Guideline",
    "GuidelineDefinitionError",
    "GuidelineInfo",
    "Option",
    "Problem",
    "Question",
    "Section",
    "Source",
    "Step",
    "add_months",
    "line_of",
    "lines_of",
    "owner_ids",
    "with_convention",
]
"""Every name a guideline module or the machinery imports from here; ``Source``, ``Option``,
``Question``, ``Constraint`` and the yes/no options are defined in ``calculator.questions``."""

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ANCHOR = re.compile(r"^[a-z][a-z0-9-]*$")


def with_convention(text: str, convention: str) -> str:
    """``text`` followed by ``convention`` labelled as one (``result.convention``), or ``text`` alone.

    A convention is kept apart from the text it qualifies so that a short view (the bedside
    summary) can still mark a classification or finding that rests on one; every full view
    (the result, the note, the decision table, the exports) shows this joined text.
    """
    return t("result.convention", text=text, convention=convention) if convention else text


class GuidelineDefinitionError(ValueError):
    """A guideline module is malformed. The message says which id and what to do."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Step:
    """A group of questions shown together (a page of the step-by-step form)."""

    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Entry:
    """One catalogue entry: a recommendation, finding or caveat, shown when ``when`` holds."""

    id: str
    text: str
    when: Condition
    source: Source
    short: str = ""
    """The author's short form for the result summary, from the same sentence (the build checks
    that its words and numbers are the source sentence's or the text's); empty: the text is used."""
    convention: str = ""
    """The interface convention the entry rests on where its source sentence does not settle it
    (e.g. how many weeks "2 months" is); empty: none. See ``with_convention``."""

    @property
    def full_text(self) -> str:
        """The text with its convention, labelled: what every full view shows."""
        return with_convention(self.text, self.convention)


@dataclass(frozen=True, kw_only=True, slots=True)
class Category:
    """One possible value of a classification; the first category whose ``when`` holds wins."""

    id: str
    label: str
    text: str
    when: Condition
    source: Source | None = None
    """``None`` only for a category that says the question was not assessed."""
    convention: str = ""
    """The interface convention the category rests on (as ``Entry.convention``); empty: none."""

    @property
    def full_text(self) -> str:
        """The text with its convention, labelled: what every full view shows."""
        return with_convention(self.text, self.convention)


@dataclass(frozen=True, kw_only=True, slots=True)
class Classification:
    """A named judgement (e.g. overall assessment, pattern) with ordered categories.

    The last category should use ``ALWAYS`` (or the categories must otherwise cover
    every complete answer set); the engine raises if none matches.
    """

    id: str
    label: str
    categories: tuple[Category, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class Section:
    """A heading of the management plan and the entries that may appear under it."""

    id: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class GuidelineInfo:
    """Who wrote the guideline, which version this is and when it was last reviewed."""

    title: str
    short_title: str
    authors: tuple[str, ...]
    source: str
    content_version: str
    review_date: str
    """ISO date (YYYY-MM-DD) the content was last checked against its source."""
    reviewer: str
    intended_use: str
    next_review: str | None = None
    """ISO date by which the content must be checked again; or give ``review_interval_months``."""
    review_interval_months: int | None = None
    """Months after ``review_date`` by which the content must be checked again."""
    topics: tuple[str, ...] = ()
    """Words the catalogue's filter finds the guideline by (besides its titles)."""

    @property
    def review_due(self) -> str:
        """ISO date the next review is due: ``next_review``, or ``review_date`` plus the interval.

        A month later than the 31st of a shorter month is its last day (2026-01-31 plus one
        month is 2026-02-28).
        """
        if self.next_review is not None:
            return self.next_review
        if self.review_interval_months is None:
            raise GuidelineDefinitionError("guideline info: give next_review or review_interval_months")
        return add_months(date.fromisoformat(self.review_date), self.review_interval_months).isoformat()

    def overdue(self, today: date) -> bool:
        """Whether the review is past due on ``today`` (due on the day itself is not overdue)."""
        return today > date.fromisoformat(self.review_due)


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the last day of the month reached."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    # The month's last day, without the calendar module (24 ms to import in the browser).
    following = date(year + 1, 1, 1) if month == 11 else date(year, month + 2, 1)
    last = (following - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, kw_only=True, slots=True)
class Guideline:
    """Everything the engine needs to run one guideline's calculator."""

    id: str
    info: GuidelineInfo
    source_page: str
    """Markdown file (relative to the guideline folder) that holds the source anchors."""
    steps: tuple[Step, ...]
    classifications: tuple[Classification, ...]
    findings: tuple[Entry, ...]
    sections: tuple[Section, ...]
    constraints: tuple[Constraint, ...] = ()
    sentences: dict[str, str] = field(default_factory=dict, compare=False)
    """Text of each marked sentence of ``source_page`` by anchor; filled in by the loader
    (``calculator.loader``) so results can quote the sentence an item comes from."""
    _questions: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        questions = {q.id: q for step in self.steps for q in step.questions}
        object.__setattr__(self, "_questions", questions)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions.values())

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._questions

    # The three methods below make a Guideline usable as conditions' ``Labels``.
    def question_label(self, question_id: str) -> str:
        return self._questions[question_id].label

    def option_label(self, question_id: str, option_id: str) -> str:
        option = self._questions[question_id].option(option_id)
        return option.label if option else option_id

    def unit(self, question_id: str) -> str:
        return self._questions[question_id].unit

    def conditions(self) -> Iterator[Condition]:
        """Every condition of the guideline: when questions apply, categories, entries, constraints."""
        for _, _, condition in _owned_conditions(self):
            yield condition

    def entries(self) -> Iterator[Entry]:
        yield from self.findings
        for section in self.sections:
            yield from section.entries

    def sources(self) -> Iterator[tuple[str, Source]]:
        """(owner, source) for everything that cites the guideline: entries, categories, help."""
        for question in self.questions:
            if question.help_source is not None:
                yield (f"question {question.id} (help)", question.help_source)
            for option in question.options:
                if option.help_source is not None:
                    yield (f"question {question.id}, option {option.id} (help)", option.help_source)
        for classification in self.classifications:
            for category in classification.categories:
                if category.source is not None:
                    yield (f"category {classification.id}.{category.id}", category.source)
        for entry in self.entries():
            yield (f"entry {entry.id}", entry.source)

    def check(self, *, source: str = "", filename: str = "") -> None:
        """Raise ``GuidelineDefinitionError`` listing every authoring mistake found.

        With the module's ``source`` and ``filename``, each problem names the line of the
        module it is about (``guideline.py:123: ...``).
        """
        problems = [problem.located(source, filename) for problem in _definition_problems(self)]
        if problems:
            raise GuidelineDefinitionError(
                f"guideline {self.id!r} has {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems)
            )


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem:
    """An authoring mistake, and the ids that lead to where it is written (outermost first)."""

    message: str
    at: tuple[str, ...] = ()
    every_line: bool = False
    """Also list every line that writes the last id (for an id used more than once)."""

    def located(self, source: str, filename: str) -> str:
        line = line_of(source, self.at) if source else None
        where = f"{filename}:{line}: " if filename and line else (f"{filename}: " if filename else "")
        if self.every_line and source and self.at:
            lines = ", ".join(str(n) for n in lines_of(source, self.at[-1]))
            return f"{where}{self.message} (id={self.at[-1]!r} is written on lines {lines})"
        return where + self.message


def _id_pattern(item_id: str) -> re.Pattern[str]:
    return re.compile(rf"""\bid\s*=\s*(["']){re.escape(item_id)}\1""")


def line_of(source: str, ids: tuple[str, ...]) -> int | None:
    """The line of ``id="<last id>"`` in a module's source, found after each earlier id in turn."""
    position = 0
    for item_id in ids:
        match = _id_pattern(item_id).search(source, position)
        if match is None:
            return None
        position = match.start()
    return source.count("\n", 0, position) + 1 if ids else None


def lines_of(source: str, item_id: str) -> list[int]:
    """Every line of a module's source that writes ``id="<item_id>"``."""
    return [source.count("\n", 0, match.start()) + 1 for match in _id_pattern(item_id).finditer(source)]


def _reads(guideline: Guideline) -> tuple[set[str], set[tuple[str, str]]]:
    """Questions and (question, option) pairs that any condition or constraint reads."""
    conditions = [condition for _, _, condition in _owned_conditions(guideline)]
    questions = {read for condition in conditions for read in condition.question_ids()}
    questions.update(field for constraint in guideline.constraints for field in constraint.fields)
    options = {ref for condition in conditions for ref in condition.option_refs()}
    return questions, options


def _owned_conditions(guideline: Guideline) -> Iterator[tuple[str, tuple[str, ...], Condition]]:
    """Every condition with its owner and the ids locating it."""
    for question in guideline.questions:
        yield f"question {question.id!r}", (question.id,), question.applies_when
    for classification in guideline.classifications:
        for category in classification.categories:
            yield f"category {category.id!r}", (classification.id, category.id), category.when
    for entry in guideline.entries():
        yield f"entry {entry.id!r}", (entry.id,), entry.when
    for constraint in guideline.constraints:
        yield f"constraint {constraint.id!r}", (constraint.id,), constraint.violated_when


def _definition_problems(guideline: Guideline) -> Iterator[Problem]:
    foreign = False
    for where, at, condition in _owned_conditions(guideline):
        for name in foreign_conditions(condition):
            foreign = True
            kinds = ", ".join(kind.__name__ for kind in CONDITION_KINDS)
            message = (
                f"{where}: condition {name} is not a kind of condition the calculator knows, so it could be "
                f"neither explained nor exported (JSON, FHIR): build it from {kinds}"
            )
            yield Problem(message=message, at=at)
    if foreign:
        return  # the checks below ask every condition what it reads
    if not _ID.match(guideline.id):
        yield Problem(message=f"guideline id {guideline.id!r}: use lower-case letters, digits and '_'")
    yield from _info_problems(guideline.info)
    seen: set[tuple[str, str]] = set()

    def duplicate(kind: str, item_id: str, at: tuple[str, ...]) -> Iterator[Problem]:
        """Ids are unique within their kind (a step and a question may share a name)."""
        if not _ID.match(item_id):
            yield Problem(message=f"{kind} id {item_id!r}: use lower-case letters, digits and '_'", at=at)
        if (kind, item_id) in seen:
            message = f"{kind} id {item_id!r} is used twice: ids must be unique; rename one"
            yield Problem(message=message, at=at, every_line=True)
        seen.add((kind, item_id))

    read_questions, read_options = _reads(guideline)
    earlier: set[str] = set()
    for step in guideline.steps:
        yield from duplicate("step", step.id, (step.id,))
        for question in step.questions:
            yield from duplicate("question", question.id, (question.id,))
            yield from _question_problems(guideline, question, earlier, read_questions, read_options)
            earlier.add(question.id)

    for classification in guideline.classifications:
        yield from duplicate("classification", classification.id, (classification.id,))
        if not classification.categories:
            yield Problem(message=f"classification {classification.id!r} has no categories", at=(classification.id,))
        category_ids: set[str] = set()
        for category in classification.categories:
            located = (classification.id, category.id)
            if category.id in category_ids:
                message = f"classification {classification.id!r}: category {category.id!r} repeats"
                yield Problem(message=message, at=located)
            category_ids.add(category.id)
            yield from _condition_problems(guideline, f"category {category.id!r}", category.when, located)
    for section in guideline.sections:
        yield from duplicate("section", section.id, (section.id,))
    for entry in guideline.entries():
        yield from duplicate("entry", entry.id, (entry.id,))
        yield from _condition_problems(guideline, f"entry {entry.id!r}", entry.when, (entry.id,))
        if not entry.text.strip():
            yield Problem(message=f"entry {entry.id!r} has no text: write the recommendation", at=(entry.id,))
    for constraint in guideline.constraints:
        at = (constraint.id,)
        yield from duplicate("constraint", constraint.id, at)
        where = f"constraint {constraint.id!r}"
        for read in constraint.fields:
            if not guideline.has_question(read):
                yield Problem(message=f"{where}: fields name unknown question {read!r}", at=at)
        unnamed = constraint.violated_when.question_ids() - set(constraint.fields)
        if unnamed:
            message = f"{where}: violated_when reads {', '.join(sorted(unnamed))}, which must be listed in fields"
            yield Problem(message=message, at=at)
        yield from _condition_problems(guideline, where, constraint.violated_when, at)
        if not constraint.message.strip():
            yield Problem(message=f"{where} has no message: say what is inconsistent and which answers to check", at=at)
    for owner, source in guideline.sources():
        if not _ANCHOR.match(source.anchor):
            yield Problem(
                message=(
                    f"{owner}: source anchor {source.anchor!r} must be the id of a marked sentence "
                    "(lower-case letters, digits and '-')"
                ),
                at=owner_ids(owner),
            )


def _info_problems(info: GuidelineInfo) -> Iterator[Problem]:
    """The dates say when the content was checked and when it is due again, and can be read."""
    dates = {"review_date": info.review_date}
    if info.next_review is not None:
        dates["next_review"] = info.next_review
    readable = True
    for name, value in dates.items():
        try:
            date.fromisoformat(value)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
        except (TypeError, ValueError):
            readable = False
            yield Problem(message=f"guideline info {name} {value!r}: write a date as YYYY-MM-DD")
    given = (info.next_review is not None) + (info.review_interval_months is not None)
    if given != 1:
        yield Problem(
            message=(
                "guideline info: say when the next review is due, either next_review (a date) or "
                "review_interval_months (months after review_date), not " + ("both" if given else "neither")
            )
        )
    elif info.review_interval_months is not None:
        months = info.review_interval_months
        if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
            yield Problem(message=f"guideline info review_interval_months {months!r}: a whole number from 1 to 120")
    elif readable and info.next_review is not None and info.next_review <= info.review_date:
        message = f"guideline info next_review {info.next_review} is not after review_date {info.review_date}"
        yield Problem(message=message)
    for topic in info.topics:
        if not isinstance(topic, str) or not topic.strip():
            yield Problem(message=f"guideline info topics {topic!r}: each topic is a non-empty word or phrase")
    if isinstance(info.topics, str):
        yield Problem(message=f'guideline info topics {info.topics!r}: a tuple of words, e.g. ("{info.topics}",)')


def owner_ids(owner: str) -> tuple[str, ...]:
    """The ids locating a ``Guideline.sources()`` owner such as ``entry x`` or ``category c.k``."""
    kind, _, rest = owner.partition(" ")
    if kind == "category":
        return tuple(rest.split("."))
    if kind == "question":
        names = rest.replace(" (help)", "").replace(", option ", " ").split()
        return tuple(names)
    return (rest,)


def _question_problems(
    guideline: Guideline,
    question: Question,
    earlier: set[str],
    read_questions: set[str],
    read_options: set[tuple[str, str]],
) -> Iterator[Problem]:
    where = f"question {question.id!r}"
    at = (question.id,)
    known = kinds()
    if question.kind not in known:
        message = f"{where}: kind {question.kind!r} is not one of {', '.join(sorted(known))}"
        yield Problem(message=message, at=at)
        return
    kind = known[question.kind]
    for problem in kind.problems(question):
        yield Problem(message=f"{where}: {problem}", at=at)
    option_ids = [o.id for o in question.options]
    for option_id in option_ids:
        if not _ID.match(option_id):
            yield Problem(message=f"{where}: option id {option_id!r}: use lower-case letters, digits and '_'", at=at)
    if len(set(option_ids)) != len(option_ids):
        yield Problem(message=f"{where}: option ids repeat", at=at)
    for read in sorted(question.applies_when.question_ids()):
        if read not in earlier:
            yield Problem(
                message=(
                    f"{where}: applies_when reads {read!r}, which is not an earlier question "
                    "(a question may only depend on questions before it)"
                ),
                at=at,
            )
    yield from _condition_problems(guideline, where, question.applies_when, at, check_ids=False)
    if question.id not in read_questions:
        yield Problem(
            message=(
                f"{where} is read by no rule (no applies_when, classification, entry or constraint uses it): "
                "use it in a condition, or remove the question"
            ),
            at=at,
        )
    elif kind.options_must_be_read:
        for option in question.options:
            if (question.id, option.id) not in read_options and not option.no_rule:
                yield Problem(
                    message=(
                        f"{where}: option {option.id!r} is read by no rule: use it in a condition, or say why "
                        'choosing it changes nothing with Option(..., no_rule="...")'
                    ),
                    at=(question.id, option.id),
                )


SHAPE_WORDS = {"one": "one option", "many": "several options", "number": "a number"}


def _comparison_problems(
    guideline: Guideline, where: str, compared: tuple[str, ...], at: tuple[str, ...]
) -> Iterator[Problem]:
    """A condition comparing answers with each other compares two different questions of one unit."""
    if len(set(compared)) < len(compared):
        repeated = next(question for question in compared if compared.count(question) > 1)
        yield Problem(
            message=f"{where}: a condition compares question {repeated!r} with itself: compare two different questions",
            at=at,
        )
    known = [guideline.question(q) for q in dict.fromkeys(compared) if guideline.has_question(q)]
    units = {question.unit for question in known}
    if len(units) > 1:
        listed = ", ".join(f"{question.id!r} in {question.unit or 'no unit'!s}" for question in known)
        yield Problem(
            message=f"{where}: a condition compares answers in different units ({listed}): compare answers in one unit",
            at=at,
        )


def _condition_problems(
    guideline: Guideline, where: str, condition: Condition, at: tuple[str, ...], *, check_ids: bool = True
) -> Iterator[Problem]:
    for question_id, shape in sorted(set(condition.shapes())):
        if guideline.has_question(question_id):
            question = guideline.question(question_id)
            kind = kinds().get(question.kind)
            if kind is not None and kind.shape != shape:
                message = (
                    f"{where}: a condition reads question {question_id!r} as {SHAPE_WORDS[shape]}, but it is a "
                    f"{question.kind} question ({SHAPE_WORDS[kind.shape]}): "
                    + {
                        "one": "use Is or IsAnyOf",
                        "many": "use IncludesAny, Includes or IncludesNone",
                        "number": "use Between, Above, Below, AtLeast, Exceeds, SumExceeds or DifferenceBelow",
                    }[kind.shape]
                )
                yield Problem(message=message, at=at)
    if check_ids:
        for read in sorted(condition.question_ids()):
            if not guideline.has_question(read):
                yield Problem(message=f"{where}: condition reads unknown question {read!r}", at=at)
    for compared in compared_answers(condition):
        yield from _comparison_problems(guideline, where, compared, at)
    for question_id, option_id in condition.option_refs():
        if guideline.has_question(question_id):
            question = guideline.question(question_id)
            if question.option(option_id) is None:
                known = ", ".join(o.id for o in question.options) or "none"
                yield Problem(
                    message=(
                        f"{where}: condition reads option {option_id!r} of question "
                        f"{question_id!r}, which has no such option (options: {known})"
                    ),
                    at=at,
                )
