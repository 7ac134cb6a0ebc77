// The live summary beside (or, on a phone, after) the form, and the phone's bar that leads
// to it. They update in place as the clinician answers: never moving focus, never scrolling
// the page, except when the clinician taps the bar.
import { el } from "./dom.mjs";
import { jumpLink } from "./result-view.mjs";
import { resultLines } from "./summary.mjs";
import { dateText, nodes, t } from "./text.mjs";

/** @typedef {import("./summary.mjs").SummaryState} SummaryState */
/** @typedef {import("./contract.mjs").Result} Result */
/** @typedef {import("./result-view.mjs").QuestionLink} QuestionLink */

/**
 * A line that rests on a convention is marked by a small native disclosure: the tag says
 * "convention", opening it shows which (the full result carries it too, labelled). The line's
 * own words stay in their [data-summary-classification] or [data-summary-item] span.
 * @param {string} convention
 * @returns {(Node | string)[]}
 */
function marked(convention) {
  if (!convention) return [];
  const tag = el("summary", {}, t("summary.convention"));
  return [" ", el("details", { class: "gc-convention", "data-summary-convention": "" }, tag, el("span", {}, convention))];
}

/**
 * An item of the plan or a finding, in short, marked when it rests on a convention.
 * @param {import("./summary.mjs").Line} item
 */
function line(item) {
  return el("li", {}, el("span", { "data-summary-item": item.id }, item.text), ...marked(item.convention));
}

export class SummaryView {
  /**
   * @param {HTMLElement} panel the [data-gc-summary] aside
   * @param {HTMLElement} bar the [data-gc-bar] strip
   * @param {{source: string, decisionTable: string}} urls
   */
  constructor(panel, bar, urls) {
    this.panel = panel;
    this.body = /** @type {HTMLElement} */ (panel.querySelector("[data-gc-summary-body]"));
    this.heading = /** @type {HTMLElement} */ (panel.querySelector("#gc-summary-heading"));
    this.bar = bar;
    this.barText = /** @type {HTMLElement} */ (bar.querySelector("[data-gc-bar-text]"));
    this.barLink = /** @type {HTMLAnchorElement} */ (bar.querySelector("[data-gc-bar-link]"));
    this.urls = urls;
    // One tap on the bar: the summary comes into view and takes focus (for screen readers too).
    this.barLink.addEventListener("click", (event) => {
      event.preventDefault(); // the fragment holds the answers: move the view, not the URL
      this.panel.scrollIntoView({ block: "start" });
      this.heading.focus({ preventScroll: true });
    });
    /** @type {IntersectionObserver | null} */
    this.observer = null;
  }

  /**
   * The bar is there to reach the summary: it steps aside while the summary's heading and its
   * first line that matters (the first plan item, or the first question left) are both on
   * screen, clear of the header above and of the bar itself below.
   * @param {Element[]} targets
   */
  watch(targets) {
    this.observer?.disconnect();
    const seen = new Map(targets.map((target) => [target, false]));
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) seen.set(entry.target, entry.intersectionRatio >= 0.99);
        this.bar.classList.toggle("gc-bar--idle", [...seen.values()].every(Boolean));
      },
      { threshold: [0, 0.99], rootMargin: "-48px 0px -72px 0px" },
    );
    for (const target of targets) this.observer.observe(target);
  }

  /**
   * @param {SummaryState} state
   * @param {{result?: Result | null, links?: QuestionLink[], general?: string[], overdueSince?: string | null}} details
   */
  show(state, { result = null, links = [], general = [], overdueSince = null } = {}) {
    this.barText.textContent = state.bar;
    this.barLink.textContent = state.link;
    this.panel.dataset.summaryState = state.kind;
    this.bar.dataset.summaryState = state.kind;
    this.render(state, { result, links, general });
    // After the result's lines, so the first plan item keeps its place on a small screen.
    if (state.kind === "result" && overdueSince) {
      const words = t("review.overdue_short", { review_due: dateText(overdueSince) });
      this.body.append(el("p", { class: "gc-overdue", role: "note", "data-gc-overdue": "" }, words));
    }
    const key = this.body.querySelector("[data-summary-section] li, li, p");
    this.watch(key ? [this.heading, key] : [this.heading]);
  }

  /**
   * @param {SummaryState} state
   * @param {{result: Result | null, links: QuestionLink[], general: string[]}} details
   */
  render(state, { result, links, general }) {
    if (state.kind === "result" && result) return this.body.replaceChildren(...this.result(result));
    if (state.kind === "unavailable") return this.body.replaceChildren(this.unavailable(), ...general.map((text) => el("p", {}, text)));
    /** @type {(Node | string)[]} */
    const parts = general.length ? [el("p", { class: "gc-problem" }, general.join(" "))] : [];
    if (state.kind === "missing" || state.kind === "errors") {
      const lead = t(state.kind === "missing" ? "summary.missing" : "summary.errors", { count: state.count });
      const list = el("ul", { class: "gc-missing" });
      for (const { label, control } of links) list.append(el("li", {}, jumpLink(label, control)));
      parts.push(el("p", {}, lead), ...(links.length ? [list] : []));
    } else {
      parts.push(el("p", {}, t(state.kind === "starting" ? "summary.starting" : "summary.empty")));
    }
    this.body.replaceChildren(...parts);
  }

  /** @param {Result} result */
  result(result) {
    const lines = resultLines(result);
    const classifications = el("dl", { class: "gc-summary__classifications" });
    for (const { id, label, value, convention } of lines.classifications) {
      classifications.append(el("dt", {}, label), el("dd", {}, el("span", { "data-summary-classification": id }, value), ...marked(convention)));
    }
    /** @type {(Node | string)[]} */
    const parts = [classifications, el("h4", {}, t("summary.plan"))];
    if (!lines.sections.length) parts.push(el("p", {}, t("summary.no_plan")));
    for (const section of lines.sections) {
      const items = el("ul", { class: "gc-summary__items" });
      for (const item of section.items) items.append(line(item));
      parts.push(el("section", { class: "gc-summary__section", "data-summary-section": section.id },
        el("h5", {}, section.title), items));
    }
    if (lines.findings.length) {
      const findings = el("ul", { class: "gc-summary__items" });
      for (const item of lines.findings) findings.append(line(item));
      parts.push(el("h4", {}, t("summary.findings")), findings);
    }
    parts.push(el("p", { class: "gc-summary__details" }, jumpLink(t("summary.details_link"), "gc-result-heading", "start")));
    return parts;
  }

  unavailable() {
    const guideline = el("a", { href: this.urls.source }, t("result.unavailable.guideline"));
    const table = el("a", { href: this.urls.decisionTable }, t("result.unavailable.decision_table"));
    return el("p", {}, ...nodes("result.unavailable", { guideline, decision_table: table }));
  }
}
