"""The public interfaces as JSON Schema (2020-12), each with a format version.

What other programs may rely on, and what the browser's TypeScript types are generated
from (``scripts/guideline_site/assets.py``, ``contract.d.mts``):

* ``result``: what ``python -m calculator`` prints and ``calculator.engine.assess`` returns;
  the same object is in each evaluation and in the embed result event. It carries
  ``"format": "guideline-result/1"``.
* ``evaluation``: the reply to the worker's ``evaluate`` request
  (``calculator.browser.Session.evaluate``): which questions apply, which are missing, the
  errors, the result once complete and the copy-to-note text. It carries
  ``"format": "guideline-evaluation/1"``.
* ``worker_message``: every message between the page and its worker, each with
  ``"v": PROTOCOL_VERSION``.
* ``embed_message``: every message between an embedded calculator and its host page, each
  with ``"v": PROTOCOL_VERSION``.
* ``questions``: what ``python -m calculator --schema`` prints.

A change that removes or renames a field, or changes its meaning, takes a new version;
adding an optional field does not (``convention`` on a result's categories and items was added
so, within ``guideline-result/1``). The site publishes these files under
``assets/calculator/schema/``; the README's "For integrators" describes them.
"""

from __future__ import annotations

from typing import Any, Final

from calculator.protocol import EMBED_MESSAGES, MESSAGES, PROTOCOL_VERSION

RESULT_FORMAT: Final = "guideline-result/1"
EVALUATION_FORMAT: Final = "guideline-evaluation/1"
QUESTIONS_FORMAT: Final = "guideline-questions/1"
SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def _object(properties: dict[str, Any], *, optional: tuple[str, ...] = (), description: str = "") -> dict[str, Any]:
    """A closed object: every property required unless named in ``optional``."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": _STRING}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


_RESULT_DEFS: dict[str, Any] = {
    "Source": _object(
        {
            "anchor": {**_STRING, "description": "id of the marked sentence on the guideline page (<page>#<anchor>)"},
            "citations": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "the guideline's own citation numbers",
            },
            "cited_as": {**_STRING, "description": "the citations as text, e.g. 'citations 4, 14'; empty when none"},
            "quote": {**_STRING, "description": "the marked sentence's text"},
        }
    ),
    "Reason": _object(
        {
            "question": {**_STRING, "description": "question id"},
            "label": {**_STRING, "description": "the question as the clinician saw it"},
            "answer": {**_STRING, "description": "the answer that made the item apply, as displayed"},
        },
        description="An answer that triggered an item.",
    ),
    "Item": _object(
        {
            "id": {**_STRING, "description": "stable across releases"},
            "text": {**_STRING, "description": "the full text"},
            "short": {**_STRING, "description": "the author's short form for summaries (the full text where none)"},
            "why": {"type": "array", "items": _ref("Reason")},
            "source": _ref("Source"),
            "convention": {
                **_STRING,
                "description": "the interface convention this rests on, where the guideline does not settle it; "
                "also at the end of the text, labelled; absent when none",
            },
        },
        optional=("convention",),
    ),
    "Category": _object(
        {
            "id": _STRING,
            "label": _STRING,
            "text": _STRING,
            "why": {"type": "array", "items": _ref("Reason")},
            "source": {"anyOf": [_ref("Source"), {"type": "null"}], "description": "null for 'not assessed'"},
            "convention": {
                **_STRING,
                "description": "the interface convention this rests on, where the guideline does not settle it; "
                "also at the end of the text, labelled; absent when none",
            },
        },
        optional=("convention",),
    ),
    "Classification": _object({"id": _STRING, "label": _STRING, "category": _ref("Category")}),
    "Section": _object({"id": _STRING, "title": _STRING, "items": {"type": "array", "items": _ref("Item")}}),
    "Answer": _object(
        {
            "question": _STRING,
            "label": _STRING,
            "value": {
                "anyOf": [_STRING, {"type": "number"}, _STRINGS],
                "description": "as parsed: option id(s) or number",
            },
            "display": {**_STRING, "description": "option labels, or the number with its unit"},
        }
    ),
    "GuidelineVersion": _object(
        {
            "id": _STRING,
            "title": _STRING,
            "content_version": _STRING,
            "review_date": {**_STRING, "format": "date", "description": "last checked against its source"},
            "review_due": {
                **_STRING,
                "format": "date",
                "description": "the next check against its source is due by this date; past it the content is overdue",
            },
            "intended_use": _STRING,
        },
        optional=("review_due",),
    ),
    "Result": _object(
        {
            "format": {"const": RESULT_FORMAT},
            "guideline": _ref("GuidelineVersion"),
            "calculator_version": _STRING,
            "answers": {"type": "array", "items": _ref("Answer"), "description": "in question order"},
            "classifications": {"type": "array", "items": _ref("Classification")},
            "findings": {"type": "array", "items": _ref("Item")},
            "sections": {"type": "array", "items": _ref("Section"), "description": "the management plan"},
        },
        description="A complete assessment.",
    ),
    "FieldError": _object(
        {
            "field": {**_STRING, "description": "question id, or the key or part of the input at fault"},
            "label": {**_STRING, "description": "the question, empty for keys that are no question"},
            "message": {**_STRING, "description": "what is wrong and what to do"},
        }
    ),
    "Evaluation": _object(
        {
            "format": {"const": EVALUATION_FORMAT},
            "applicable": {**_STRINGS, "description": "question ids that apply, in order"},
            "missing": {**_STRINGS, "description": "applicable questions still unanswered"},
            "inapplicable": {**_STRINGS, "description": "answers given to questions that no longer apply (not used)"},
            "errors": {"type": "array", "items": _ref("FieldError")},
            "result": {"anyOf": [_ref("Result"), {"type": "null"}]},
            "note": {"anyOf": [_STRING, {"type": "null"}], "description": "the copy-to-note text, with a result"},
            "overdue_since": {
                "anyOf": [{**_STRING, "format": "date"}, {"type": "null"}],
                "description": "the date the guideline's next review was due, when the device's date is past it",
            },
        },
        optional=("overdue_since",),
        description="The state of the step-by-step form for possibly partial answers.",
    ),
}


def _schema(name: str, title: str, root: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": SCHEMA_DIALECT, "$id": f"urn:guideline-calculator:{name}", "title": title, **root, "$defs": defs}


def result_schema() -> dict[str, Any]:
    return _schema("result", "Guideline calculator result", _ref("Result"), _RESULT_DEFS)


def evaluation_schema() -> dict[str, Any]:
    return _schema("evaluation", "Guideline calculator evaluation", _ref("Evaluation"), _RESULT_DEFS)


def _message(type_: str | None, properties: dict[str, Any], *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    head: dict[str, Any] = {"v": {"const": PROTOCOL_VERSION}}
    if type_ is not None:
        head["type"] = {"const": type_}
    return _object({**head, **properties}, optional=optional)


def worker_message_schema() -> dict[str, Any]:
    """Page to worker: requests with an ``id``; worker to page: replies echoing it, and status."""
    defs = {
        **_RESULT_DEFS,
        "BootRequest": _message(
            MESSAGES["boot"],
            {
                "id": {"type": "integer"},
                "params": _object(
                    {
                        "runtimeUrl": _STRING,
                        "wheelUrl": _STRING,
                        "runtimeBytes": {"type": "integer", "description": "the runtime and wheel, uncompressed"},
                        "runtimeModule": {
                            "const": "page",
                            "description": "the page compiles pyodide.asm.wasm and hands the module over in "
                            "runtime notices; absent: the worker downloads and compiles it",
                        },
                        "snapshot": _object(
                            {
                                "cache": {
                                    **_STRING,
                                    "description": "the Cache Storage cache of this page's memory snapshot; its "
                                    "name covers all the snapshot depends on (README, 'Snapshot start')",
                                }
                            },
                            description="start from a memory snapshot the device made, or make one; "
                            "absent: no snapshot",
                        ),
                    },
                    optional=("runtimeBytes", "runtimeModule", "snapshot"),
                ),
            },
        ),
        "LoadRequest": _message(
            MESSAGES["load"],
            {
                "id": {"type": "integer"},
                "params": _object(
                    {
                        "moduleUrl": _STRING,
                        "sentencesUrl": _STRING,
                        "catalogue": _object(
                            {"language": _STRING, "plural": {"type": "object"}, "strings": {"type": "object"}},
                            description="the words to speak: catalogue.mjs's, the site's overrides included "
                            "(calculator.text); English when not given",
                        ),
                    },
                    optional=("catalogue",),
                ),
            },
        ),
        "EvaluateRequest": _message(
            MESSAGES["evaluate"],
            {
                "id": {"type": "integer"},
                "params": _object({"answers": {**_STRING, "description": "JSON text of the answers"}}),
            },
        ),
        "StatsRequest": _message(MESSAGES["stats"], {"id": {"type": "integer"}, "params": _object({})}),
        "RuntimeNotice": _message(
            MESSAGES["runtime"],
            {
                "params": _object(
                    {
                        "loaded": {"type": "integer", "description": "bytes of pyodide.asm.wasm downloaded"},
                        "module": {
                            "description": "the compiled WebAssembly.Module (structured clone, not JSON), or null "
                            "when the page's compile failed: the worker then downloads and compiles it"
                        },
                    },
                    optional=("module",),
                ),
            },
        ),
        "Reply": _message(
            None,
            {
                "id": {"type": "integer"},
                "result": {
                    "description": "boot, load: true; evaluate: JSON text of an Evaluation; stats: "
                    "{wasmMemoryBytes, start: 'normal' | 'snapshot', snapshot: 'none' | 'made' | 'stored' | "
                    "'restored' | 'failed', wasm: 'page' (compiled by the page as it downloaded) | 'early' "
                    "(compiled by the worker while Pyodide's JavaScript loaded) | 'pyodide' (compiled by Pyodide)}"
                },
            },
        ),
        "ErrorReply": _message(
            None,
            {"id": {"type": "integer"}, "error": _object({"field": {"type": "null"}, "message": _STRING})},
        ),
        "Status": _message(
            MESSAGES["status"],
            {
                "step": {**_STRING, "description": "a boot step id"},
                "error": {**_STRING, "description": "boot cannot complete"},
                "progress": _object(
                    {"loaded": {"type": "integer"}, "total": {"type": "integer"}},
                    description="bytes of the runtime downloaded so far, of the total expected",
                ),
            },
            optional=("error", "progress"),
        ),
    }
    names = (
        "BootRequest",
        "LoadRequest",
        "EvaluateRequest",
        "StatsRequest",
        "RuntimeNotice",
        "Reply",
        "ErrorReply",
        "Status",
    )
    return _schema("worker-message", "Guideline calculator worker message", {"oneOf": [_ref(n) for n in names]}, defs)


def embed_message_schema() -> dict[str, Any]:
    """Between an embedded calculator (iframe) and its host page (``embed.js``)."""
    defs = {
        **_RESULT_DEFS,
        "Resize": _message(EMBED_MESSAGES["resize"], {"height": {"type": "number", "description": "CSS pixels"}}),
        "Subscribe": _message(EMBED_MESSAGES["subscribe"], {}),
        "Viewport": _message(
            EMBED_MESSAGES["viewport"],
            {
                "top": {"type": "number", "minimum": 0, "description": "CSS px of the frame above the host's window"},
                "bottom": {"type": "number", "minimum": 0, "description": "CSS px of the frame below it"},
                "height": {"type": "number", "minimum": 0, "description": "the host window's height"},
            },
        ),
        "ResultEvent": _message(
            EMBED_MESSAGES["result"],
            {
                "guideline": {**_STRING, "description": "guideline id"},
                "answers": {"type": "object", "description": "the answers as the form holds them"},
                "result": _ref("Result"),
                "note": _STRING,
            },
        ),
    }
    names = ("Resize", "Subscribe", "Viewport", "ResultEvent")
    return _schema("embed-message", "Guideline calculator embed message", {"oneOf": [_ref(n) for n in names]}, defs)


def questions_schema() -> dict[str, Any]:
    """What ``python -m calculator --schema`` prints (``calculator.schema.schema``)."""
    source = _object({"anchor": _STRING, "citations": {"type": "array", "items": {"type": "integer"}}})
    maybe_source = {"anyOf": [source, {"type": "null"}]}
    option = _object(
        {"id": _STRING, "label": _STRING, "help": _STRING, "help_source": maybe_source, "no_rule": _STRING}
    )
    question = {
        "type": "object",
        "properties": {
            "id": _STRING,
            "kind": {**_STRING, "description": "how the answer is given (calculator/kinds/)"},
            "shape": {
                "enum": ["one", "many", "number"],
                "description": "the answer: one option id, a list of option ids, or a number",
            },
            "label": _STRING,
            "help": _STRING,
            "help_source": maybe_source,
            "applies_when": {"anyOf": [_STRING, {"type": "null"}], "description": "in words; null: always"},
            "options": {"type": "array", "items": option},
            "unit": _STRING,
            "minimum": {"type": "number"},
            "maximum": {"type": "number"},
        },
        "required": ["id", "kind", "shape", "label", "help", "help_source", "applies_when"],
        "additionalProperties": False,
    }
    info = _object(
        {
            "id": _STRING,
            "title": _STRING,
            "short_title": _STRING,
            "authors": _STRINGS,
            "source": _STRING,
            "content_version": _STRING,
            "review_date": {**_STRING, "format": "date"},
            "reviewer": _STRING,
            "intended_use": _STRING,
        }
    )
    root = _object(
        {
            "format": {"const": QUESTIONS_FORMAT},
            "guideline": info,
            "calculator_version": _STRING,
            "constraints": {
                "type": "array",
                "items": _object({"id": _STRING, "fields": _STRINGS, "message": _STRING}),
            },
            "steps": {
                "type": "array",
                "items": _object({"id": _STRING, "title": _STRING, "questions": {"type": "array", "items": question}}),
            },
        }
    )
    return {"$schema": SCHEMA_DIALECT, "$id": "urn:guideline-calculator:questions", "title": "Questions", **root}


SCHEMAS: Final = {
    "questions": questions_schema,
    "result": result_schema,
    "evaluation": evaluation_schema,
    "worker-message": worker_message_schema,
    "embed-message": embed_message_schema,
}
"""Published as ``assets/calculator/schema/<name>.schema.json``."""
