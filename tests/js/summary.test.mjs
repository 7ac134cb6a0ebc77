// What the live summary and the phone's bar say, from the engine's evaluation alone.
import assert from "node:assert/strict";
import { test } from "node:test";

import { resultLines, summaryState } from "../../theme/assets/calculator/summary.mjs";

/** @param {Partial<import("../../build/generated/assets/calculator/contract.d.mts").Evaluation>} parts */
const evaluation = (parts) => ({
  format: "guideline-evaluation/1",
  applicable: [],
  missing: [],
  inapplicable: [],
  errors: [],
  result: null,
  note: null,
  ...parts,
});

const item = (id, text, short) => ({ id, text, short, why: [], source: { anchor: "a", citations: [], cited_as: "", quote: "" } });
const result = {
  format: "guideline-result/1",
  guideline: { id: "g", title: "G", content_version: "1", review_date: "2026-01-01", intended_use: "" },
  calculator_version: "0",
  answers: [],
  classifications: [
    { id: "assessment", label: "Assessment", category: { id: "yes", label: "Consistent", text: "", why: [], source: null } },
    { id: "pattern", label: "Pattern", category: { id: "d", label: "Diffuse", text: "", why: [], source: null } },
  ],
  findings: [item("f", "A long finding.", "Finding.")],
  sections: [{ id: "s", title: "Section", items: [item("i", "Consider the long thing, in full.", "Long thing.")] }],
};

test("while Python starts, and when it cannot", () => {
  assert.equal(summaryState(null, { ready: false, failed: false }).kind, "starting");
  assert.equal(summaryState(null, { ready: false, failed: false }).bar, "Starting the calculator…");
  const failed = summaryState(evaluation({}), { ready: true, failed: true });
  assert.deepEqual([failed.kind, failed.bar], ["unavailable", "The calculator cannot run here"]);
});

test("no answers yet: empty, also right after New patient", () => {
  assert.equal(summaryState(null, { ready: true, failed: false }).kind, "empty");
  const state = summaryState(evaluation({ applicable: ["q1"], missing: ["q1"] }), { ready: true, failed: false });
  assert.deepEqual([state.kind, state.bar, state.fields], ["empty", "No answers yet", []]);
});

test("questions left are counted and listed in order", () => {
  const state = summaryState(evaluation({ applicable: ["q1", "q2", "q3"], missing: ["q2", "q3"] }), {
    ready: true,
    failed: false,
  });
  assert.deepEqual([state.kind, state.count, state.bar, state.fields], ["missing", 2, "2 questions left", ["q2", "q3"]]);
  const one = summaryState(evaluation({ applicable: ["q1", "q2"], missing: ["q2"] }), { ready: true, failed: false });
  assert.equal(one.bar, "1 question left");
});

test("errors: counted per message, their fields listed once, in form order", () => {
  const errors = [
    { field: "q3", label: "", message: "a" },
    { field: "q1", label: "", message: "b" },
    { field: "q3", label: "", message: "c" },
    { field: "age", label: "", message: "not a question" },
  ];
  const state = summaryState(evaluation({ applicable: ["q1", "q2", "q3"], missing: ["q2"], errors }), {
    ready: true,
    failed: false,
  });
  assert.deepEqual([state.kind, state.count, state.fields], ["errors", 4, ["q1", "q3"]]);
  assert.equal(state.bar, "4 answers need correcting");
});

test("a result: the bar names the first classification's category", () => {
  const state = summaryState(evaluation({ result }), { ready: true, failed: false });
  assert.deepEqual([state.kind, state.bar, state.link], ["result", "Result: Consistent", "Show result"]);
});

test("the result in short: categories, the plan by section, findings, each in its short form", () => {
  assert.deepEqual(resultLines(result), {
    classifications: [
      { id: "assessment", label: "Assessment", value: "Consistent", convention: "" },
      { id: "pattern", label: "Pattern", value: "Diffuse", convention: "" },
    ],
    sections: [{ id: "s", title: "Section", items: [{ id: "i", text: "Long thing.", convention: "" }] }],
    findings: [{ id: "f", text: "Finding.", convention: "" }],
  });
});

test("a category or finding that rests on a convention keeps it in short, to be marked", () => {
  const convention = "the time frame is taken as 0 to 8.7 weeks.";
  const [assessment, pattern] = result.classifications;
  const marked = {
    ...result,
    classifications: [{ ...assessment, category: { ...assessment.category, convention } }, pattern],
    findings: [{ ...item("f", "A long finding.", "Finding."), convention }],
  };
  const lines = resultLines(marked);
  assert.deepEqual(lines.classifications.map((c) => c.convention), [convention, ""]);
  assert.deepEqual(lines.findings, [{ id: "f", text: "Finding.", convention }]);
});
