"""Parity: what runs in the browser is what was tested.

At least 1,000 generated valid answer sets (and some partial and broken ones) are
evaluated by CPython and by Pyodide inside Chromium, through the calculator's own
worker (``assets/calculator/worker.mjs``); the JSON texts must be identical.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from conftest import ROOT
from guideline_site.server import SiteServer
from playwright.sync_api import Page
from test_contract import conforms
from ui import CALCULATOR

from calculator.browser import Session
from calculator.explore import random_answers
from calculator.model import Guideline

pytestmark = pytest.mark.browser

PYODIDE_VERSION = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
VALID_SETS = 1000

RUN_IN_WORKER = """async ({ texts, snapshot }) => {
  // `snapshot`: the name of the cache of a snapshot to start from (tests/test_snapshot.py).
  const root = document.querySelector("[data-calculator]");
  const bootTag = document.querySelector("script[data-calculator-boot]");
  const url = (name) => new URL((bootTag.dataset[name] ?? root.dataset[name]), document.baseURI).href;
  const worker = new Worker(url("workerUrl"), { type: "module" });
  const waiting = new Map();
  const messages = [];
  worker.addEventListener("message", ({ data }) => {
    if (messages.length < 50) messages.push(data);
    if (data.id === undefined) return; // boot status messages
    const done = waiting.get(data.id);
    waiting.delete(data.id);
    if ("error" in data) done.reject(new Error(data.error.message));
    else done.resolve(data.result);
  });
  const call = (id, type, params) =>
    new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      const message = { v: 1, id, type, params };
      if (messages.length < 50) messages.push(message);
      worker.postMessage(message);
    });
  const boot = { runtimeUrl: url("runtimeUrl"), wheelUrl: url("wheelUrl") };
  await call(0, "boot", snapshot ? { ...boot, snapshot: { cache: snapshot } } : boot);
  await call(-1, "load", { moduleUrl: url("moduleUrl"), sentencesUrl: url("sentencesUrl") });
  const replies = [];
  for (let i = 0; i < texts.length; i++) replies.push(await call(i + 1, "evaluate", { answers: texts[i] }));
  const stats = await call(texts.length + 1, "stats", {});
  worker.terminate();
  return { replies, messages, stats };
}"""


def answer_sets(guideline: Guideline) -> list[Any]:
    rng = random.Random(314)
    valid = [random_answers(guideline, rng) for _ in range(VALID_SETS)]
    partial = [dict(list(answers.items())[: rng.randrange(len(answers) + 1)]) for answers in valid[:100]]
    broken: list[Any] = [
        {**answers, rng.choice(sorted(answers)): rng.choice(["nan", "1_000", True, None, [], "x"])}
        for answers in valid[100:200]
    ]
    broken += [[], "answers", None, 3, {"unknown": 1}]
    return [*valid, *partial, *broken]


def test_cpython_and_pyodide_give_identical_json(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    sets = answer_sets(aimss)
    texts = [json.dumps(answers) for answers in sets]
    page.goto(site_server.url + CALCULATOR)
    ran = page.evaluate(RUN_IN_WORKER, {"texts": texts})
    replies = ran["replies"]
    # The messages both ways, boot status included, hold to the worker-message schema.
    assert [conforms("worker-message", message) for message in ran["messages"]] == [[]] * len(ran["messages"])
    session = Session(aimss, runtime=f"Pyodide {PYODIDE_VERSION}")
    expected = [session.evaluate(text) for text in texts]
    assert len(replies) == len(expected) >= VALID_SETS + 200
    mismatched = [i for i, (mine, theirs) in enumerate(zip(expected, replies, strict=True)) if mine != theirs]
    assert mismatched == [], f"first mismatch: {texts[mismatched[0]]}" if mismatched else ""
    results = [json.loads(reply)["result"] for reply in replies[:VALID_SETS]]
    assert all(result is not None for result in results)
