"""Stdlib-only engine for step-by-step clinical guideline calculators.

Runs unchanged on CPython 3.11+ (tests, CLI, site build) and on Pyodide's Python in
the browser. It knows no particular guideline: each guideline folder under
``content/`` has a ``guideline.py`` defining ``GUIDELINE`` (see ``calculator.model``),
loaded with ``calculator.loader.load_guideline``.

Public interface
----------------
What a site's own checks and integrations import is named in ``__all__`` and importable from
here (``from calculator import load_guideline, assess``): loading and running a guideline, its
decision logic, FHIR resources and copy-to-note text, answer sets for its own checks, the errors
they raise and the conditions; ``schema`` and ``explore`` are modules (``schema.schema(g)``,
``explore.explore(g)``). Each is imported when first asked (PEP 562): the browser imports this
package first and pays only for what it uses.

Public and stable: this package's ``__all__``; the modules a guideline module imports from
(``calculator.model``, ``calculator.questions``, ``calculator.conditions`` and the kinds'
constructors ``calculator.kinds.choice.yes_no``, ``single_choice``, ``multiple_choice``,
``calculator.kinds.number.number`` and ``calculator.kinds.count.count``); the formats in
``calculator.contract`` and ``calculator.protocol``; the command line (``python -m calculator``).
Internal, and free to change with the machinery: ``text``, ``formatting``, ``sentences``,
``fragment``, ``version``, the kinds' registry (``calculator.kinds``), ``browser`` (the
worker's entry) and every name not listed here.

The modules import in one direction (``tests/test_layers.py`` fails on any circle); each
imports only from lines below its own::

    browser  __main__            the worker's entry; the command line
    explore  export              answer sets and rule examples; decision logic, changes
    engine   schema              applicability, consistency, the result; the question schema
    answers  loader  fhir  fragment   parsing answers; loading a guideline; FHIR; URL fragment
    model                        the guideline and its authoring checks
    kinds                        question kinds, one module each (they register themselves)
    questions                    questions, options, sources, constraints
    conditions                   rules over answers
    formatting  contract  note   numbers, citations and sources written alike; formats; the note
    text  sentences  protocol  version   words; marked sentences; message names; the version

Answers (input)
---------------
A JSON object mapping question ids to answers. ``python -m calculator --schema`` lists
the questions, their kinds, options, units, ranges and when each applies. Per kind:

* ``yes_no``: ``"yes"`` or ``"no"``
* ``single_choice``: one option id, e.g. ``"focal"``
* ``multiple_choice``: a non-empty list of option ids, e.g. ``["arthralgia"]``
* ``number``: a JSON number or a decimal string (``6``, ``"6.5"``) within the range

Every question that applies must be answered, and no question that does not apply may
be (strict ``calculator.engine.assess``; the CLI uses it). Anything else is reported
per field: ``{"field": <question id or key>, "label": <question>, "message": <what to do>}``.

Result (output of ``assess``)
-----------------------------
The JSON Schemas of this and every other public interface are in ``calculator.contract``
(format ``guideline-result/1``)::

    {
      "format": "guideline-result/1",
      "guideline": {"id", "title", "content_version", "review_date", "review_due", "intended_use"},
      "calculator_version": "0.1.0",
      "answers": [{"question", "label", "value", "display"}],       # in question order
      "classifications": [                                          # e.g. assessment, pattern
        {"id", "label", "category": {"id", "label", "text", "why", "source"}}
      ],
      "findings": [<item>],                                         # observations on the answers
      "sections": [{"id", "title", "items": [<item>]}]              # the management plan
    }

    <item>  = {"id", "text", "short", "why": [<reason>], "source": {"anchor", "citations", "cited_as", "quote"}}
    <reason> = {"question", "label", "answer"}                     # an answer that triggered it

``id`` values are stable across releases; ``source.anchor`` is the id of the marked
sentence on the guideline page (``<page>#<anchor>``), ``citations`` are the guideline's
own citation numbers (``cited_as``: as text, e.g. ``citations 4, 14``) and ``quote`` is
that sentence's text; ``short`` is the author's short form for summaries (the text where
none is given). A category with no source
(``"not assessed"``) has ``"source": null``. ``review_date`` is the date the content was
last checked against its source, ``review_due`` the date its next check is due (past it,
the site shows "review overdue since" and the CLI warns on stderr).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from calculator import kinds, text
from calculator.conditions import (
    ALWAYS,
    Above,
    AllOf,
    AnyOf,
    AtLeast,
    Below,
    Between,
    Condition,
    DifferenceBelow,
    Exceeds,
    IncludesAny,
    IncludesNone,
    Is,
    IsAnyOf,
    Reason,
    SumExceeds,
    all_of,
    any_of,
)
from calculator.version import __version__

if TYPE_CHECKING:
    from calculator import explore, schema
    from calculator.answers import FieldError, InvalidAnswers, parse_answers
    from calculator.engine import assess, evaluate
    from calculator.explore import random_answers, reachability_problems
    from calculator.export import changes, decision_logic, decision_table_csv
    from calculator.fhir import plan_definition, questionnaire, response
    from calculator.loader import discover_guidelines, load_guideline, load_guideline_source
    from calculator.model import Guideline, GuidelineDefinitionError, GuidelineInfo
    from calculator.note import note_text

# The words sit below the kinds (which use them); this package, above both, hands the kinds'
# words to every catalogue.
text.bring_words(kinds.words)

_LAZY = {
    "calculator.answers": ("FieldError", "InvalidAnswers", "parse_answers"),
    "calculator.engine": ("assess", "evaluate"),
    "calculator.explore": ("random_answers", "reachability_problems"),
    "calculator.export": ("changes", "decision_logic", "decision_table_csv"),
    "calculator.fhir": ("plan_definition", "questionnaire", "response"),
    "calculator.loader": ("discover_guidelines", "load_guideline", "load_guideline_source"),
    "calculator.model": ("Guideline", "GuidelineDefinitionError", "GuidelineInfo"),
    "calculator.note": ("note_text",),
}
"""The public names imported when first asked, by module (the conditions are loaded already)."""
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}
_PUBLIC_MODULES = ("explore", "schema")
"""Public as modules (``schema.schema(guideline)``, ``explore.explore(guideline)``): a function
here of the same name as a module would become the module once that module is imported."""

__all__ = [
    "ALWAYS",
    "Above",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Below",
    "Between",
    "Condition",
    "DifferenceBelow",
    "Exceeds",
    "FieldError",
    "Guideline",
    "GuidelineDefinitionError",
    "GuidelineInfo",
    "IncludesAny",
    "IncludesNone",
    "InvalidAnswers",
    "Is",
    "IsAnyOf",
    "Reason",
    "SumExceeds",
    "__version__",
    "all_of",
    "any_of",
    "assess",
    "changes",
    "decision_logic",
    "decision_table_csv",
    "discover_guidelines",
    "evaluate",
    "explore",
    "load_guideline",
    "load_guideline_source",
    "note_text",
    "parse_answers",
    "plan_definition",
    "questionnaire",
    "random_answers",
    "reachability_problems",
    "response",
    "schema",
]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC_MODULES:
        return import_module(f"{__name__}.{name}")
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
