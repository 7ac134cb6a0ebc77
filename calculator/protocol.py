"""Names shared by the page, the worker and Python: one definition, read by both.

The site build writes these into ``assets/calculator/protocol.mjs`` (generated, never
edited by hand); a test checks that the generated file and this module agree.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

PROTOCOL_VERSION: Final = 1
"""Carried as ``v`` in every worker and embed message (schemas: ``calculator.contract``)."""

CalculatorState: TypeAlias = Literal["loading", "ready", "error"]
STATES: Final[tuple[CalculatorState, ...]] = ("loading", "ready", "error")
"""Values of the widget's ``data-calculator-state`` attribute."""

BootStep: TypeAlias = Literal["fetch-runtime", "start-interpreter", "load-calculator", "load-guideline", "ready"]
BOOT_STEPS: Final[tuple[BootStep, ...]] = (
    "fetch-runtime",
    "start-interpreter",
    "load-calculator",
    "load-guideline",
    "ready",
)
"""Named boot steps the worker reports, in order. The status line's words for each are the
catalogue's ``boot.<step>`` (``calculator/locales``); JavaScript gets them as ``BOOT_STEP``
(``BOOT_STEP.fetchRuntime == "fetch-runtime"``)."""

BOOT_TIMEOUT_SECONDS: Final = 15
"""The default of the plugin's ``boot_timeout`` (``mkdocs.yml``): if the calculator is not
ready by then, the page says so instead of waiting silently."""

LINK_MAX_ANSWERS: Final = 100
"""The most answers a calculator link (its URL fragment) may carry; a link with more is refused
with one message (``link.too_large``) before anything in it is read, so a crafted link cannot
spend the worker's time or fill the summary with a message per key. A guideline asks far fewer
questions than this."""

LINK_MAX_CHARACTERS: Final = 8000
"""The longest calculator link fragment (without ``#``, as the address bar percent-encodes it)
the page reads; longer ones are refused like those with too many answers."""

SERVICE_WORKER_MESSAGES: Final[dict[str, str]] = {
    "skipWaiting": "skip-waiting",
    "cacheRuntime": "cache-runtime",
    "status": "status",
    "save": "save-guidelines",
    "remove": "remove-guideline",
}
"""Requests a page sends the site's service worker (``sw.js``), each with a MessagePort for the
one reply ``{ok, ...}``. The build writes them into ``sw.js``; ``offline.js`` reads them from
its script tag."""

MESSAGES: Final[dict[str, str]] = {
    "boot": "boot",
    "load": "load",
    "evaluate": "evaluate",
    "stats": "stats",
    "status": "status",
    "runtime": "runtime",
}
"""Message types between page and worker. Requests carry ``id``; replies echo it.

``boot`` (runtime and wheel URLs) starts Python as early as the page can; ``load`` (the
guideline module and its sentences) follows once the page is parsed, and the worker
answers it when both are done. ``stats`` answers the worker's memory (for monitoring and
``make bench``, in every engine). ``runtime`` is a notice with no ``id`` and no reply: the page
compiles Pyodide's WebAssembly itself (boot.js) when its boot request says so, and tells the worker
the bytes downloaded so far, then hands over the compiled module (or null when that failed)."""

EMBED_MESSAGES: Final[dict[str, str]] = {
    "resize": "guideline-calculator:resize",
    "subscribe": "guideline-calculator:subscribe",
    "result": "guideline-calculator:result",
    "viewport": "guideline-calculator:viewport",
}
"""postMessage types between an embedded calculator (iframe) and its host page.

``resize`` (child to parent, any origin): ``{type, height}`` in CSS pixels. ``subscribe``
(parent to child): the parent asks for results; the child then sends ``result``
``{type, guideline, answers, result, note}`` to that parent's origin only. ``viewport``
(parent to child): how much of the frame the host page's window hides above and below,
and the window's height, so that the frame, sized to its content and never scrolled itself,
can keep its summary in view as the host page scrolls. Every message carries ``v``.
"""
