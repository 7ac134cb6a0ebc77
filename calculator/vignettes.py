"""Golden clinical vignettes: ``vignettes.json`` beside each guideline's ``guideline.py``.

A vignette gives complete answers and what the result must show: the category of each
named classification, and the exact sets of finding and plan item ids. Every
expectation names the marked guideline sentence that justifies it (``because``), and the
result must cite that very sentence for it, so an expectation cannot drift from the text
that makes it true.

``load_vignettes`` parses the file at the boundary: a malformed file raises
``VignetteError`` naming the file, the line and what to correct, never a traceback.
``vignette_problems`` runs one vignette in this Python (CPython for ``guideline-site
check`` and the tests) and says what differs. Nothing here knows any particular guideline.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from calculator.answers import InvalidAnswers
from calculator.engine import assess
from calculator.model import Guideline
from calculator.text import t

VIGNETTES_FILE = "vignettes.json"
"""The file in a guideline folder that holds its vignettes."""

_DOCUMENT_KEYS = ("about", "vignettes")
_VIGNETTE_KEYS = ("id", "description", "answers", "expect")
_EXPECT_KEYS = ("classifications", "findings", "plan")
_CLASSIFICATION_KEYS = ("category", "because")


class VignetteError(ValueError):
    """``vignettes.json`` cannot be read or is malformed.

    ``file`` and ``line`` (``None`` when the whole file is at fault) say where, ``message``
    what to correct; ``str()`` is ``file:line: message``.
    """

    def __init__(self, file: Path, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


@dataclass(frozen=True, kw_only=True, slots=True)
class Vignette:
    guideline_dir: Path
    id: str
    line: int
    """1-based line of ``vignettes.json`` where this vignette's ``"id"`` is written."""
    description: str
    answers: dict[str, Any]
    classifications: dict[str, dict[str, str]]
    """classification id -> {"category": id, "because": anchor}"""
    findings: dict[str, str]
    """finding id -> anchor of the sentence that justifies expecting it"""
    plan: dict[str, str]
    """plan item id -> anchor of the sentence that justifies expecting it"""

    @property
    def file(self) -> Path:
        return self.guideline_dir / VIGNETTES_FILE

    def justifications(self) -> list[tuple[str, str]]:
        """Each expectation, as its place in the file (``expect.plan.<id>``), with the anchor justifying it."""
        found = [(f"expect.classifications.{k}", v["because"]) for k, v in self.classifications.items()]
        found += [(f"expect.findings.{k}", anchor) for k, anchor in self.findings.items()]
        return found + [(f"expect.plan.{k}", anchor) for k, anchor in self.plan.items()]


def load_vignettes(guideline_dir: Path) -> list[Vignette]:
    """The vignettes of the guideline in ``guideline_dir``, in file order.

    Raises ``VignetteError`` (file, line, what to correct) for a missing or unreadable file,
    invalid JSON, a missing, unknown or mistyped key, or an id used twice.
    """
    file = guideline_dir / VIGNETTES_FILE
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VignetteError(file, None, t("cli.check.vignettes.missing")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise VignetteError(file, None, t("cli.check.vignettes.unreadable", error=error)) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise VignetteError(file, error.lineno, t("cli.check.vignettes.not_json", error=error.msg)) from None
    if not isinstance(document, dict) or not isinstance(document.get("vignettes"), list):
        raise VignetteError(file, 1, t("cli.check.vignettes.no_list"))
    at = _Positions(file, text)
    top = at.members(at.skip(0))
    where = t("cli.check.vignettes.document")
    at.check_keys(document, top, known=_DOCUMENT_KEYS, where=where, line=1, optional=("about",))
    items = document["vignettes"]
    if not items:
        raise VignetteError(file, at.line(top["vignettes"][0]), t("cli.check.vignettes.none"))
    vignettes: list[Vignette] = []
    first_line: dict[str, int] = {}
    for number, (item, start) in enumerate(zip(items, at.items(top["vignettes"][1]), strict=True), start=1):
        vignette = _vignette(item, guideline_dir, at, start, number)
        if vignette.id in first_line:
            message = t("cli.check.vignettes.duplicate_id", id=repr(vignette.id), line=first_line[vignette.id])
            raise VignetteError(file, vignette.line, message)
        first_line[vignette.id] = vignette.line
        vignettes.append(vignette)
    return vignettes


def _vignette(item: object, guideline_dir: Path, at: _Positions, start: int, number: int) -> Vignette:
    """One item of the ``vignettes`` list, checked key by key (``start``: where it is written)."""
    where = t("cli.check.vignette.numbered", number=number)
    if not isinstance(item, dict):
        raise VignetteError(at.file, at.line(start), t("cli.check.vignettes.item_not_object", where=where))
    keys = at.members(start)
    line = at.line(keys["id"][0]) if "id" in keys else at.line(start)
    if isinstance(item.get("id"), str) and item["id"]:
        where = t("cli.check.vignette.named", id=repr(item["id"]))
    at.check_keys(item, keys, known=_VIGNETTE_KEYS, where=where, line=line)
    at.require(item, keys, "text", ("id", "description"), where=where)
    at.require(item, keys, "object", ("answers", "expect"), where=where)
    expect = item["expect"]
    expect_keys = at.members(keys["expect"][1])
    at.check_keys(expect, expect_keys, known=_EXPECT_KEYS, where=where, line=line, prefix="expect.")
    at.require(expect, expect_keys, "object", _EXPECT_KEYS, where=where, prefix="expect.")
    classification_keys = at.members(expect_keys["classifications"][1])
    at.require(expect["classifications"], classification_keys, "object", where=where, prefix="expect.classifications.")
    for classification, expected in expect["classifications"].items():
        prefix = f"expect.classifications.{classification}."
        inner = at.members(classification_keys[classification][1])
        at.check_keys(expected, inner, known=_CLASSIFICATION_KEYS, where=where, line=line, prefix=prefix)
        at.require(expected, inner, "text", where=where, prefix=prefix)
    for section in ("findings", "plan"):
        section_keys = at.members(expect_keys[section][1])
        at.require(expect[section], section_keys, "text", where=where, prefix=f"expect.{section}.")
    return Vignette(
        guideline_dir=guideline_dir,
        id=item["id"],
        line=line,
        description=item["description"],
        answers=item["answers"],
        classifications=expect["classifications"],
        findings=expect["findings"],
        plan=expect["plan"],
    )


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class _Positions:
    """Where keys and items are written in a file of valid JSON, for messages that name a line.

    ``json`` gives positions only for syntax errors; these walk the text with the decoder's own
    ``raw_decode``, so they agree with ``json.loads`` on every document it accepts.
    """

    file: Path
    text: str

    def skip(self, position: int) -> int:
        match = _SPACE.match(self.text, position)
        return match.end() if match else position

    def line(self, position: int) -> int:
        return self.text.count("\n", 0, position) + 1

    def members(self, start: int) -> dict[str, tuple[int, int]]:
        """Key -> (where the key is written, where its value starts) for the object at ``start``
        (the last of a repeated key, as ``json.loads`` keeps)."""
        found: dict[str, tuple[int, int]] = {}
        position = self.skip(start + 1)
        while self.text[position] != "}":
            key, after_key = _DECODER.raw_decode(self.text, position)
            value_at = self.skip(self.skip(after_key) + 1)  # past the colon
            found[key] = (position, value_at)
            position = self.skip(_DECODER.raw_decode(self.text, value_at)[1])
            if self.text[position] == ",":
                position = self.skip(position + 1)
        return found

    def items(self, start: int) -> list[int]:
        """Where each item of the array at ``start`` is written."""
        found: list[int] = []
        position = self.skip(start + 1)
        while self.text[position] != "]":
            found.append(position)
            position = self.skip(_DECODER.raw_decode(self.text, position)[1])
            if self.text[position] == ",":
                position = self.skip(position + 1)
        return found

    def check_keys(
        self,
        value: dict[str, Any],
        keys: dict[str, tuple[int, int]],
        *,
        known: tuple[str, ...],
        where: str,
        line: int,
        prefix: str = "",
        optional: tuple[str, ...] = (),
    ) -> None:
        """No key but ``known`` ones, and each of them but the ``optional`` (a missing one is
        reported on ``line``, the vignette's)."""
        for key in value:
            if key not in known:
                message = t("cli.check.vignettes.unknown_key", where=where, key=prefix + key, known=", ".join(known))
                raise VignetteError(self.file, self.line(keys[key][0]), message)
        for key in known:
            if key not in value and key not in optional:
                message = t("cli.check.vignettes.missing_key", where=where, key=prefix + key)
                raise VignetteError(self.file, line, message)

    def require(
        self,
        value: dict[str, Any],
        keys: dict[str, tuple[int, int]],
        kind: Literal["text", "object"],
        names: tuple[str, ...] | None = None,
        *,
        where: str,
        prefix: str = "",
    ) -> None:
        """Each of ``names`` (default: every key) holds a non-empty string, or a JSON object."""
        for key in value if names is None else names:
            held = value[key]
            fits = isinstance(held, str) and bool(held) if kind == "text" else isinstance(held, dict)
            if not fits:
                message = t(f"cli.check.vignettes.not_{kind}", where=where, key=prefix + key)
                raise VignetteError(self.file, self.line(keys[key][0]), message)


def result_summary(result: dict[str, Any]) -> dict[str, Any]:
    """A result in the shape of a vignette's expectations (without the justifications)."""
    return {
        "classifications": {c["id"]: c["category"]["id"] for c in result["classifications"]},
        "findings": sorted(item["id"] for item in result["findings"]),
        "plan": sorted(item["id"] for section in result["sections"] for item in section["items"]),
    }


def expected_summary(vignette: Vignette, result: dict[str, Any]) -> dict[str, Any]:
    """What ``result_summary`` must give for the vignette (classifications it does not name are free)."""
    shown = {c["id"]: c["category"]["id"] for c in result["classifications"]}
    return {
        "classifications": {**shown, **{k: v["category"] for k, v in vignette.classifications.items()}},
        "findings": sorted(vignette.findings),
        "plan": sorted(vignette.plan),
    }


def vignette_problems(guideline: Guideline, vignette: Vignette) -> list[str]:
    """Why ``vignette`` does not hold for ``guideline`` (loaded from its folder), one message
    each; empty when it holds.

    It holds when every ``because`` is a sentence the guideline page marks, the answers are
    accepted, each named classification has the expected category and cites that sentence
    (a category without a source, "not assessed", cites none), and the result shows exactly
    the expected findings and plan items, each citing the sentence that justifies it.
    """
    where = t("cli.check.vignette.named", id=repr(vignette.id))
    problems = [
        t("cli.check.vignette.unmarked", where=where, item=item, anchor=repr(anchor))
        for item, anchor in vignette.justifications()
        if anchor not in guideline.sentences
    ]
    try:
        result = assess(guideline, vignette.answers)
    except InvalidAnswers as error:
        return [*problems, t("cli.check.vignette.invalid_answers", where=where, errors=str(error))]
    categories = {c["id"]: c["category"] for c in result["classifications"]}
    for classification, expected in vignette.classifications.items():
        item = f"expect.classifications.{classification}"
        category = categories.get(classification)
        if category is None:
            problems.append(t("cli.check.vignette.no_classification", where=where, item=item))
        elif category["id"] != expected["category"]:
            problems.append(
                t(
                    "cli.check.vignette.category",
                    where=where,
                    item=item,
                    expected=repr(expected["category"]),
                    shown=repr(category["id"]),
                )
            )
        elif category["source"] is not None:
            problems += _citation_problem(where, item, expected["because"], category["source"])
    findings = {finding["id"]: finding for finding in result["findings"]}
    plan = {item["id"]: item for section in result["sections"] for item in section["items"]}
    for name, expected_items, shown_items in (("findings", vignette.findings, findings), ("plan", vignette.plan, plan)):
        for item_id, anchor in expected_items.items():
            item = f"expect.{name}.{item_id}"
            if item_id not in shown_items:
                problems.append(t("cli.check.vignette.not_shown", where=where, item=item))
            else:
                problems += _citation_problem(where, item, anchor, shown_items[item_id]["source"])
        for item_id in shown_items:
            if item_id not in expected_items:
                message = t("cli.check.vignette.unexpected", where=where, id=repr(item_id), section=f"expect.{name}")
                problems.append(message)
    return problems


def _citation_problem(where: str, item: str, anchor: str, source: dict[str, Any] | None) -> list[str]:
    cited = source["anchor"] if source is not None else None
    if cited == anchor:
        return []
    return [t("cli.check.vignette.cites_other", where=where, item=item, anchor=repr(anchor), cited=repr(cited))]
