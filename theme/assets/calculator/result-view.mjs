// The result panel: what the engine decided, rendered as it was written (the engine has
// already formatted numbers, answers and citations). Nothing here decides anything.
import { el } from "./dom.mjs";
import { PYODIDE_VERSION } from "./protocol.mjs";
import { nodes, t } from "./text.mjs";

/** @typedef {import("./contract.mjs").Result} Result */
/** @typedef {import("./contract.mjs").Item} Item */
/** @typedef {import("./contract.mjs").Reason} Reason */
/** @typedef {import("./contract.mjs").Source} Source */
/** @typedef {{label: string, control: string}} QuestionLink what a link to a question shows and where it goes */

export class ResultView {
  /**
   * @param {HTMLElement} body the element whose content is replaced ([data-gc-result-body])
   * @param {{source: string, decisionTable: string}} urls the guideline page and the decision table
   */
  constructor(body, urls) {
    this.body = body;
    this.urls = urls;
    /** The build-time content ("The result appears here…"), for an empty form. */
    this.placeholder = [...body.childNodes].map((node) => node.cloneNode(true));
  }

  /** @param {(Node | string)[]} parts */
  show(parts) {
    this.body.replaceChildren(...parts);
  }

  empty() {
    this.show(this.placeholder.map((node) => node.cloneNode(true)));
  }

  /** @param {string} text */
  problem(text) {
    this.show([el("p", { class: "gc-problem" }, text)]);
  }

  /** Python could not start: point to what works without it. */
  unavailable() {
    const guideline = el("a", { href: this.urls.source }, t("result.unavailable.guideline"));
    const table = el("a", { href: this.urls.decisionTable }, t("result.unavailable.decision_table"));
    this.show([el("p", {}, ...nodes("result.unavailable", { guideline, decision_table: table }))]);
  }

  /**
   * Questions still to answer, as links to them, and problems that belong to no field.
   * @param {QuestionLink[]} missing
   * @param {string[]} general
   */
  missing(missing, general = []) {
    const list = el("ul", { class: "gc-missing" });
    for (const { label, control } of missing) list.append(el("li", {}, questionLink(label, control)));
    const count = missing.length;
    const lead = count ? t("result.missing", { count }) : t("result.correct_answers");
    const problems = general.length ? [el("p", { class: "gc-problem" }, general.join(" "))] : [];
    this.show([...problems, el("p", {}, lead), ...(count ? [list] : [])]);
  }

  /** @param {Result} result */
  result(result) {
    const g = result.guideline;
    /** @type {(Node | string)[]} */
    const parts = [el("p", { class: "gc-print-title" }, t("result.print_title", { title: g.title }))];
    const summary = el("dl", { class: "gc-classifications" });
    for (const classification of result.classifications) {
      const category = classification.category;
      const detail = el("dd", { "data-classification": classification.id, "data-category": category.id });
      detail.append(el("p", { class: "gc-category" }, el("strong", {}, category.label)), el("p", {}, category.text));
      detail.append(...this.why(category.why), ...this.source(category.source, `${classification.id}.${category.id}`));
      summary.append(el("dt", {}, classification.label), detail);
    }
    parts.push(summary);
    if (result.findings.length) {
      const findings = el("ul", { class: "gc-findings" });
      for (const finding of result.findings) findings.append(this.item(finding));
      parts.push(el("h3", {}, t("result.findings")), findings);
    }
    parts.push(el("h3", {}, t("result.plan")));
    if (!result.sections.length) parts.push(el("p", { class: "gc-plan-empty" }, t("result.no_plan")));
    for (const section of result.sections) {
      const items = el("ul", { class: "gc-plan" });
      for (const entry of section.items) items.append(this.item(entry));
      parts.push(el("section", { class: "gc-section", "data-section": section.id }, el("h4", {}, section.title), items));
    }
    const answers = el("dl", { class: "gc-answers" });
    for (const answer of result.answers) answers.append(el("dt", {}, answer.label), el("dd", {}, answer.display));
    parts.push(el("h3", {}, t("result.answers")), answers);
    const meta = { ...g, calculator_version: result.calculator_version, pyodide_version: PYODIDE_VERSION };
    parts.push(el("p", { class: "gc-result-meta" }, t("result.meta", meta)));
    this.show(parts);
  }

  /** @param {Item} entry */
  item(entry) {
    const node = el("li", { class: "gc-item", "data-item": entry.id }, el("p", { class: "gc-item__text" }, entry.text));
    node.append(...this.why(entry.why), ...this.source(entry.source, entry.id));
    return node;
  }

  /** @param {Reason[]} reasons */
  why(reasons) {
    if (!reasons.length) return [];
    const list = el("ul", { class: "gc-why__list" });
    for (const reason of reasons) list.append(el("li", {}, `${reason.label} `, el("strong", {}, reason.answer)));
    return [el("div", { class: "gc-why" }, el("p", {}, t("result.why")), list)];
  }

  /**
   * The quoted sentence, a link to it and to the rule's row of the decision table.
   * @param {Source | null} source
   * @param {string} ruleId
   */
  source(source, ruleId) {
    if (!source) return [];
    const href = `${this.urls.source.split("#")[0]}#${source.anchor}`;
    const rule = `${this.urls.decisionTable.split("#")[0]}#rule-${ruleId.replace(".", "-")}`;
    const citations = source.cited_as ? t("result.source.citations", { cited_as: source.cited_as }) : "";
    return [
      el("blockquote", { class: "gc-quote", cite: href }, source.quote),
      el(
        "p",
        { class: "gc-source" },
        ...nodes("result.source", {
          sentence: el("a", { href }, t("result.source.sentence")),
          citations,
          rule: el("a", { href: rule }, t("result.source.rule")),
        }),
      ),
    ];
  }
}

/**
 * A link that moves focus to a question's first control. The fragment holds the answers, so
 * the link never changes the URL.
 * @param {string} label
 * @param {string} control id of the control
 */
export function questionLink(label, control) {
  const link = el("a", { href: `#${control}` }, label);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const input = document.getElementById(control);
    input?.scrollIntoView({ block: "center" });
    input?.focus({ preventScroll: true });
  });
  return link;
}
