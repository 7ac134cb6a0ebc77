// What the live summary and the phone's bar say, decided from the engine's evaluation alone
// (pure: no DOM, so node's tests cover it). summary-view.mjs renders it.
import { t } from "./text.mjs";

/** @typedef {import("./contract.mjs").Evaluation} Evaluation */
/** @typedef {import("./contract.mjs").Result} Result */

/**
 * @typedef {"starting" | "unavailable" | "empty" | "missing" | "errors" | "result"} SummaryKind
 * @typedef {{kind: SummaryKind, bar: string, link: string, count: number, fields: string[]}} SummaryState
 *   `bar` and `link`: the bar's words and its link's; `fields`: the question ids to list as
 *   links (the missing ones, or those with errors), in form order.
 */

/**
 * @param {Evaluation | null} evaluation the latest evaluation; null before the first (or after "New patient")
 * @param {{ready: boolean, failed: boolean}} calculator
 * @returns {SummaryState}
 */
export function summaryState(evaluation, { ready, failed }) {
  const show = t("bar.show");
  if (failed) return { kind: "unavailable", bar: t("bar.unavailable"), link: show, count: 0, fields: [] };
  if (!ready) return { kind: "starting", bar: t("bar.starting"), link: show, count: 0, fields: [] };
  if (evaluation === null) return { kind: "empty", bar: t("bar.empty"), link: show, count: 0, fields: [] };
  if (evaluation.result) {
    const assessment = evaluation.result.classifications[0]?.category.label ?? "";
    return { kind: "result", bar: t("bar.result", { assessment }), link: t("bar.show_result"), count: 0, fields: [] };
  }
  if (evaluation.errors.length) {
    const fields = [...new Set(evaluation.errors.map((error) => error.field))];
    const ordered = evaluation.applicable.filter((id) => fields.includes(id));
    const count = evaluation.errors.length;
    return { kind: "errors", bar: t("bar.errors", { count }), link: show, count, fields: ordered };
  }
  const answered = evaluation.applicable.length - evaluation.missing.length;
  if (answered === 0 && evaluation.inapplicable.length === 0) {
    return { kind: "empty", bar: t("bar.empty"), link: show, count: 0, fields: [] };
  }
  const count = evaluation.missing.length;
  return { kind: "missing", bar: t("bar.missing", { count }), link: show, count, fields: evaluation.missing };
}

/**
 * @typedef {{id: string, text: string, convention: string}} Line
 * @typedef {{classifications: {id: string, label: string, value: string, convention: string}[],
 *            sections: {id: string, title: string, items: Line[]}[], findings: Line[]}} ResultLines
 *   `convention`: the interface convention the line rests on, to be marked beside it; "" when none.
 */

/**
 * The result in short, grouped as the guideline groups it: each classification's category,
 * the plan by section, then the findings, each item in its author's short form. A short form
 * drops the full text's convention, so each line keeps it apart, to be marked.
 * @param {Result} result
 * @returns {ResultLines}
 */
export function resultLines(result) {
  /** @param {{id: string, short: string, convention?: string}} item */
  const line = (item) => ({ id: item.id, text: item.short, convention: item.convention ?? "" });
  return {
    classifications: result.classifications.map((c) => ({
      id: c.id,
      label: c.label,
      value: c.category.label,
      convention: c.category.convention ?? "",
    })),
    sections: result.sections.map((s) => ({ id: s.id, title: s.title, items: s.items.map(line) })),
    findings: result.findings.map(line),
  };
}
