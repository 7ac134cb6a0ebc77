// The result panel: what the engine decided, rendered as it was written (the engine has
// already formatted numbers, answers and citations). Nothing here decides anything.
import { el } from "./dom.mjs";
import { PYODIDE_VERSION } from "./protocol.mjs";
import { dateText, nodes, t } from "./text.mjs";

/** @typedef {import("./contract.mjs").Result} Result */
/** @typedef {import("./contract.mjs").Item} Item */
/** @typedef {import("./contract.mjs").Reason} Reason */
/** @typedef {import("./contract.mjs").Source} Source */
/** @typedef {{label: string, control: string}} QuestionLink what a link to a question shows and where it goes */

export class ResultView {
  /**
   * @param {HTMLElement} section the [data-gc-result] section, hidden until there is a result
   * @param {{source: string, decisionTable: string}} urls the guideline page and the decision table
   */
  constructor(section, urls) {
    this.section = section;
    this.body = /** @type {HTMLElement} */ (section.querySelector("[data-gc-result-body]"));
    this.expand = /** @type {HTMLButtonElement} */ (section.querySelector("[data-gc-expand]"));
    this.urls = urls;
    this.expand.addEventListener("click", () => this.setExpanded(this.expand.getAttribute("aria-pressed") !== "true"));
    // Print carries every item's source: open every disclosure for the printout, then restore.
    /** @type {HTMLDetailsElement[]} */
    let closedForPrint = [];
    window.addEventListener("beforeprint", () => {
      closedForPrint = this.disclosures().filter((details) => !details.open);
      for (const details of closedForPrint) details.open = true;
    });
    window.addEventListener("afterprint", () => {
      for (const details of closedForPrint) details.open = false;
      closedForPrint = [];
    });
  }

  /** @returns {HTMLDetailsElement[]} */
  disclosures() {
    return [...this.body.querySelectorAll("details")];
  }

  /** @param {boolean} expanded */
  setExpanded(expanded) {
    for (const details of this.disclosures()) details.open = expanded;
    this.expand.setAttribute("aria-pressed", String(expanded));
    this.expand.textContent = t(expanded ? "result.collapse_all" : "result.expand_all");
  }

  /** No result (yet, or any more): the section goes. */
  clear() {
    this.section.hidden = true;
    this.body.replaceChildren();
  }

  /**
   * @param {Result} result
   * @param {string | null} [overdueSince] the date the guideline's review was due, once the device's date is past it
   */
  result(result, overdueSince = null) {
    const g = result.guideline;
    /** @type {(Node | string)[]} */
    const parts = [el("p", { class: "gc-print-title" }, t("result.print_title", { title: g.title }))];
    if (overdueSince) {
      const words = t("review.overdue", { review_due: dateText(overdueSince), review_date: dateText(g.review_date) });
      parts.push(el("p", { class: "gc-overdue", role: "note", "data-gc-overdue": "" }, el("strong", {}, words)));
    }
    const summary = el("dl", { class: "gc-classifications" });
    for (const classification of result.classifications) {
      const category = classification.category;
      const detail = el("dd", { "data-classification": classification.id, "data-category": category.id });
      detail.append(el("p", { class: "gc-category" }, el("strong", {}, category.label)), el("p", {}, category.text));
      detail.append(...this.details(category.why, category.source, `${classification.id}.${category.id}`));
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
    const meta = { ...g, review_date: dateText(g.review_date), calculator_version: result.calculator_version, pyodide_version: PYODIDE_VERSION };
    parts.push(el("p", { class: "gc-result-meta" }, t("result.meta", meta)));
    const expanded = this.expand.getAttribute("aria-pressed") === "true";
    this.body.replaceChildren(...parts);
    for (const details of this.disclosures()) details.open = expanded;
    this.section.hidden = false;
  }

  /** @param {Item} entry */
  item(entry) {
    const node = el("li", { class: "gc-item", "data-item": entry.id }, el("p", { class: "gc-item__text" }, entry.text));
    node.append(...this.details(entry.why, entry.source, entry.id));
    return node;
  }

  /**
   * Why, the quoted sentence and the links, behind a native disclosure (details on demand).
   * @param {Reason[]} why
   * @param {Source | null} source
   * @param {string} ruleId
   */
  details(why, source, ruleId) {
    const inside = [...this.why(why), ...this.source(source, ruleId)];
    if (!inside.length) return [];
    return [el("details", { class: "gc-details" }, el("summary", {}, t("result.details")), ...inside)];
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
 * A link that moves the view and focus to an element of the page (a question's first control,
 * a heading). The fragment holds the answers, so the link never changes the URL.
 * @param {string} label
 * @param {string} target id of the element
 * @param {ScrollLogicalPosition} [block] where the element comes to rest
 */
export function jumpLink(label, target, block = "center") {
  const link = el("a", { href: `#${target}` }, label);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    const element = document.getElementById(target);
    element?.scrollIntoView({ block });
    element?.focus({ preventScroll: true });
  });
  return link;
}
