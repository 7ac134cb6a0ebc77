// Calculator widget: brings the build-time form to life. It renders and forwards only:
// every decision (which questions apply, validation, the result and its reasons) is
// made by the Python engine in the worker. Nothing is stored: no cookies, no storage.
import { BOOT_STEPS, BOOT_TIMEOUT_SECONDS, MESSAGES, STATES } from "./protocol.mjs";

const STEP_LABELS = Object.fromEntries(BOOT_STEPS.map((step) => [step.id, step.label]));
const TYPING_DELAY_MS = 400;

/** Create an element with text and attributes; never parses HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

class Calculator {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    this.form = root.querySelector("[data-gc-form]");
    this.status = root.querySelector("[data-gc-status]");
    this.resultBody = root.querySelector("[data-gc-result-body]");
    this.placeholder = this.resultBody.cloneNode(true);
    this.announcer = root.querySelector("[data-gc-announce]");
    /** @type {Map<string, HTMLElement>} */
    this.questions = new Map([...root.querySelectorAll("[data-question]")].map((q) => [q.dataset.question, q]));
    this.pending = new Map();
    this.nextId = 1;
    this.latestEvaluation = 0;
    this.bootStep = "";
    this.worker = null;
  }

  get state() {
    return this.root.dataset.calculatorState;
  }

  url(name) {
    return new URL(this.root.dataset[name], document.baseURI).href;
  }

  start() {
    this.root.dataset.calculatorStarted = "";
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.form.addEventListener("change", () => this.scheduleEvaluation(0));
    this.form.addEventListener("input", (event) => {
      if (event.target.type === "text") this.scheduleEvaluation(TYPING_DELAY_MS);
    });
    // The browser clears the fields after the reset event; act once it has.
    this.form.addEventListener("reset", () => setTimeout(() => this.newPatient(), 0));
    const unsupported = this.root.querySelector("[data-gc-unsupported]").textContent.trim();
    if (typeof WebAssembly !== "object") return this.fail(unsupported);

    let moduleWorkers = false;
    const options = {
      get type() {
        moduleWorkers = true; // only browsers that support module workers read this
        return "module";
      },
    };
    try {
      this.worker = new Worker(this.url("workerUrl"), options);
    } catch (error) {
      return this.fail(`The calculator could not start its background worker (${error.message}).`);
    }
    if (!moduleWorkers) return this.fail(unsupported);
    this.worker.addEventListener("message", (event) => this.onMessage(event.data));
    this.worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail("The calculator's background worker could not be loaded. Reload the page to try again.");
    });
    this.bootTimer = setTimeout(() => this.fail(this.timeoutMessage()), BOOT_TIMEOUT_SECONDS * 1000);
    this.showStep("fetch-runtime");
    const params = { runtimeUrl: this.url("runtimeUrl"), wheelUrl: this.url("wheelUrl"), moduleUrl: this.url("moduleUrl") };
    this.request(MESSAGES.boot, params).then(
      () => this.ready(),
      (error) => this.fail(`The calculator could not start: ${error.message}`),
    );
  }

  timeoutMessage() {
    const stuck = STEP_LABELS[this.bootStep] ?? "starting";
    return (
      `The calculator did not start within ${BOOT_TIMEOUT_SECONDS} seconds (stopped at: ${stuck}). ` +
      "The site's security policy may block WebAssembly ('wasm-unsafe-eval'), or the device may be " +
      "too slow or short of memory. Reload the page to try again; the guideline text remains available."
    );
  }

  showStep(step) {
    this.bootStep = step;
    this.status.textContent = `Starting the calculator: ${STEP_LABELS[step] ?? step}… You can answer the questions now.`;
  }

  ready() {
    if (this.state === STATES.error) return;
    clearTimeout(this.bootTimer);
    this.root.dataset.calculatorState = STATES.ready;
    this.status.textContent = "Calculator ready.";
    this.evaluateNow(); // answers typed while Python was starting are evaluated now
  }

  fail(message) {
    if (this.state === STATES.error) return;
    clearTimeout(this.bootTimer);
    this.root.dataset.calculatorState = STATES.error;
    this.status.textContent = message;
    this.status.classList.add("gc-status--error");
    this.worker?.terminate();
    for (const { reject } of this.pending.values()) reject(new Error(message));
    this.pending.clear();
    this.resultBody.replaceChildren(
      el("p", {}, "The result cannot be calculated here. ", el("a", { href: this.url("sourceUrl") }, "Read the guideline"), "."),
    );
  }

  onMessage(message) {
    if (message.type === MESSAGES.status) {
      if (message.error) this.fail(`The calculator could not start: ${message.error}.`);
      else if (this.state === STATES.loading) this.showStep(message.step);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if ("error" in message) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  }

  request(type, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, params });
    });
  }

  scheduleEvaluation(delay) {
    clearTimeout(this.evaluationTimer);
    this.evaluationTimer = setTimeout(() => this.evaluateNow(), delay);
  }

  evaluateNow() {
    if (this.state !== STATES.ready) return;
    const sequence = ++this.latestEvaluation;
    const answers = this.collectAnswers();
    this.request(MESSAGES.evaluate, { answers: JSON.stringify(answers) }).then(
      (text) => sequence === this.latestEvaluation && this.render(JSON.parse(text), answers),
      (error) => this.showProblem(`The calculator hit an internal error: ${error.message}`),
    );
  }

  /** Raw form values, exactly as entered: the engine parses and validates them. */
  collectAnswers() {
    const answers = {};
    for (const [id, question] of this.questions) {
      const kind = question.dataset.kind;
      if (kind === "number") {
        const value = question.querySelector("input").value;
        if (value.trim() !== "") answers[id] = value;
      } else if (kind === "multiple_choice") {
        const chosen = [...question.querySelectorAll("input:checked")].map((input) => input.value);
        if (chosen.length) answers[id] = chosen;
      } else {
        const chosen = question.querySelector("input:checked");
        if (chosen) answers[id] = chosen.value;
      }
    }
    return answers;
  }

  render(evaluation, answers) {
    const applicable = new Set(evaluation.applicable);
    for (const [id, question] of this.questions) question.hidden = !applicable.has(id);
    for (const step of this.form.querySelectorAll("[data-step]")) {
      step.hidden = ![...step.querySelectorAll("[data-question]")].some((question) => !question.hidden);
    }
    this.showErrors(evaluation.errors);
    if (evaluation.result) {
      this.renderResult(evaluation.result);
      const assessment = evaluation.result.classifications[0]?.category.label ?? "";
      const items = evaluation.result.sections.reduce((n, section) => n + section.items.length, 0);
      this.announce(`Result updated: ${assessment}. ${items} management item${items === 1 ? "" : "s"}.`);
    } else if (evaluation.errors.length) {
      const n = evaluation.errors.length;
      this.renderMissing(evaluation.missing);
      this.announce(`${n} answer${n === 1 ? " needs" : "s need"} correcting.`);
    } else if (Object.keys(answers).length === 0) {
      this.resultBody.replaceWith(this.placeholder.cloneNode(true));
      this.resultBody = this.root.querySelector("[data-gc-result-body]");
    } else {
      this.renderMissing(evaluation.missing);
    }
  }

  showErrors(errors) {
    for (const question of this.questions.values()) {
      const message = question.querySelector("[data-gc-error]");
      message.hidden = true;
      message.textContent = "";
      for (const input of question.querySelectorAll("input")) input.removeAttribute("aria-invalid");
    }
    const general = [];
    for (const error of errors) {
      const question = this.questions.get(error.field);
      if (!question) {
        general.push(`${error.field}: ${error.message}`);
        continue;
      }
      const message = question.querySelector("[data-gc-error]");
      message.textContent = error.message;
      message.hidden = false;
      for (const input of question.querySelectorAll("input")) input.setAttribute("aria-invalid", "true");
    }
    if (general.length) this.showProblem(general.join(" "));
  }

  showProblem(text) {
    this.resultBody.replaceChildren(el("p", { class: "gc-problem" }, text));
  }

  renderMissing(missing) {
    const list = el("ul", { class: "gc-missing" });
    for (const id of missing) {
      const question = this.questions.get(id);
      const label = question.querySelector(".gc-question__label").textContent;
      const target = question.querySelector("input").id;
      list.append(el("li", {}, el("a", { href: `#${target}` }, label)));
    }
    const count = missing.length;
    const lead = count
      ? `${count} question${count === 1 ? "" : "s"} still to answer:`
      : "Correct the answers marked above to see the result.";
    this.resultBody.replaceChildren(el("p", {}, lead), ...(count ? [list] : []));
  }

  sourceLink(source) {
    if (!source) return null;
    const href = `${this.url("sourceUrl").split("#")[0]}#${source.anchor}`;
    const citations = source.citations.length ? ` (citations ${source.citations.join(", ")})` : "";
    return el("p", { class: "gc-source" }, "Source: ", el("a", { href }, "guideline sentence"), citations);
  }

  why(reasons) {
    if (!reasons.length) return null;
    const list = el("ul", { class: "gc-why__list" });
    for (const reason of reasons) list.append(el("li", {}, `${reason.label} `, el("strong", {}, reason.answer)));
    return el("div", { class: "gc-why" }, el("p", {}, "Why:"), list);
  }

  item(entry, tag = "li") {
    const node = el(tag, { class: "gc-item", "data-item": entry.id }, el("p", { class: "gc-item__text" }, entry.text));
    for (const part of [this.why(entry.why), this.sourceLink(entry.source)]) if (part) node.append(part);
    return node;
  }

  renderResult(result) {
    const parts = [];
    const summary = el("dl", { class: "gc-classifications" });
    for (const classification of result.classifications) {
      const category = classification.category;
      const detail = el("dd", { "data-classification": classification.id, "data-category": category.id });
      detail.append(el("p", { class: "gc-category" }, el("strong", {}, category.label)), el("p", {}, category.text));
      for (const part of [this.why(category.why), this.sourceLink(category.source)]) if (part) detail.append(part);
      summary.append(el("dt", {}, classification.label), detail);
    }
    parts.push(summary);
    if (result.findings.length) {
      const findings = el("ul", { class: "gc-findings" });
      for (const finding of result.findings) findings.append(this.item(finding));
      parts.push(el("h3", {}, "Findings"), findings);
    }
    parts.push(el("h3", {}, "Management plan"));
    if (!result.sections.length) {
      parts.push(el("p", { class: "gc-plan-empty" }, "The guideline gives no management plan for these answers."));
    }
    for (const section of result.sections) {
      const items = el("ul", { class: "gc-plan" });
      for (const entry of section.items) items.append(this.item(entry));
      parts.push(el("section", { class: "gc-section", "data-section": section.id }, el("h4", {}, section.title), items));
    }
    const g = result.guideline;
    parts.push(
      el("p", { class: "gc-result-meta" },
        `${g.title}, content ${g.content_version} (checked against source ${g.review_date}). ` +
        `Calculator ${result.calculator_version}. Decision support only: not for emergencies.`),
    );
    this.resultBody.replaceChildren(...parts);
  }

  announce(text) {
    // Re-announce identical text by clearing first (some screen readers skip repeats).
    this.announcer.textContent = "";
    setTimeout(() => (this.announcer.textContent = text), 50);
  }

  newPatient() {
    this.showErrors([]);
    this.latestEvaluation++;
    this.resultBody.replaceWith(this.placeholder.cloneNode(true));
    this.resultBody = this.root.querySelector("[data-gc-result-body]");
    this.evaluateNow();
    this.announce("Form cleared for a new patient.");
    this.form.querySelector("input")?.focus();
  }
}

if (location.protocol !== "file:") {
  for (const root of document.querySelectorAll("[data-calculator]")) new Calculator(root).start();
}
