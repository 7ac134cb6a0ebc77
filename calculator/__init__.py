"""Stdlib-only engine for step-by-step clinical guideline calculators.

Runs unchanged on CPython 3.11+ (tests, CLI, site build) and on Pyodide's Python in
the browser. It knows no particular guideline: each guideline folder under
``content/`` has a ``guideline.py`` defining ``GUIDELINE`` (see ``calculator.model``),
loaded with ``calculator.loader.load_guideline``.

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

from calculator import kinds, text
from calculator.version import __version__ as __version__

# The words sit below the kinds (which use them); this package, above both, hands the kinds'
# words to every catalogue.
text.bring_words(kinds.words)
