// The status line while Python starts: step, progress, slowness (never a failure).
import assert from "node:assert/strict";
import { test } from "node:test";

import { startingStatus, stepLabel } from "../../theme/assets/calculator/status.mjs";

test("a step reads as its catalogue words, an unknown one as its id", () => {
  assert.equal(stepLabel("start-interpreter"), "Starting Python");
  assert.equal(stepLabel("warming-up"), "warming-up");
});

test("starting: the step, and the download's progress while it lasts", () => {
  assert.equal(
    startingStatus({ step: "fetch-runtime", progress: null, slow: false, seconds: 15 }),
    "Starting the calculator: Downloading the Python runtime… You can answer the questions now.",
  );
  assert.equal(
    startingStatus({ step: "fetch-runtime", progress: { loaded: 3_100_000, total: 9_800_000 }, slow: false, seconds: 15 }),
    "Starting the calculator: Downloading the Python runtime (3.1 of 9.8 MB)… You can answer the questions now.",
  );
  // Downloaded: no more figures.
  assert.equal(
    startingStatus({ step: "start-interpreter", progress: { loaded: 9_800_000, total: 9_800_000 }, slow: false, seconds: 15 }),
    "Starting the calculator: Starting Python… You can answer the questions now.",
  );
});

test("slow: says so, where it is, and that it keeps going", () => {
  const text = startingStatus({ step: "fetch-runtime", progress: { loaded: 1_000_000, total: 5_000_000 }, slow: true, seconds: 15 });
  assert.match(text, /^Still starting after 15 seconds: Downloading the Python runtime \(1\.0 of 5\.0 MB\)\./);
  assert.match(text, /the calculator keeps starting/);
  assert.doesNotMatch(text, /did not start|try again/);
});
