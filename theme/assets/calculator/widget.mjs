// Calculator widget: brings the build-time form to life. It renders and forwards only:
// every decision (which questions apply, validation, the result and its reasons, the
// note text) is made by the Python engine in the worker. Nothing is stored: no cookies,
// no storage. The answers live in the URL fragment only (format: calculator/fragment.py),
// which browsers never send to a server, so a reload or a shared link restores them.
//
// Loaded async from <head> (theme/main.html), after assets/calculator/boot.js has started the
// worker; the form is wired up once the page is parsed.
import { BOOT_STEPS, BOOT_TIMEOUT_SECONDS, EMBED_MESSAGES, MESSAGES, PYODIDE_VERSION, STATES } from "./protocol.mjs";

const STEP_LABELS = Object.fromEntries(BOOT_STEPS.map((step) => [step.id, step.label]));
const TYPING_DELAY_MS = 400;

/** Answers as a URL fragment (without "#"): the twin of calculator/fragment.py. */
export function encodeFragment(answers) {
  const text = (value) => (Array.isArray(value) ? value.join(",") : String(value));
  return Object.entries(answers)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(text(value)).replace(/%2C/g, ",")}`)
    .join("&");
}

/** Raw answers from a fragment; `multiple` names the multiple-choice questions. */
export function decodeFragment(fragment, multiple) {
  const answers = {};
  for (const part of fragment.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const [key, ...rest] = part.split("=");
    const decode = (text) => {
      try {
        return decodeURIComponent(text.replace(/\+/g, " "));
      } catch {
        return text; // not valid percent-encoding: passed on as written; the engine names the field
      }
    };
    const name = decode(key);
    const value = decode(rest.join("="));
    answers[name] = multiple.has(name) ? value.split(",").filter(Boolean) : value;
  }
  return answers;
}

const isAnswerFragment = (hash) => hash.length > 1 && hash.includes("=");

/** Create an element with text and attributes; never parses HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/**
 * The page's one Python worker: started once, early; loaded with the page's guideline later.
 * Dispatches "status" (detail: boot step id) and "failure" (detail: {kind, message?, step}).
 */
class PythonWorker extends EventTarget {
  constructor() {
    super();
    this.worker = null;
    this.failure = null;
    this.step = "";
    this.pending = new Map();
    this.nextId = 1;
    /** Settles once start() has run (or failed), so load() may be called before start(). */
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }

  /** Start Python (no-op when already started or failed); adopts a worker boot.js started. */
  start(urls, early) {
    if (this.worker || this.failure) return;
    if (early) this.adopt(early);
    else this.launch(urls);
    this.markStarted();
  }

  /** Take over the worker assets/calculator/boot.js started, with what it said meanwhile. */
  adopt(early) {
    this.worker = early.worker;
    this.nextId = early.bootId + 1;
    const booted = new Promise((resolve, reject) => this.pending.set(early.bootId, { resolve, reject }));
    booted.catch((error) => this.fail({ kind: "boot", message: error.message }));
    this.listen();
    const elapsed = performance.now() - early.startedAt;
    this.timer = setTimeout(() => this.fail({ kind: "timeout" }), Math.max(0, BOOT_TIMEOUT_SECONDS * 1000 - elapsed));
    this.setStep("fetch-runtime");
    for (const event of early.release()) {
      if (event.error) this.fail({ kind: "worker-load" });
      else this.onMessage(event.data);
    }
  }

  listen() {
    this.worker.addEventListener("message", (event) => this.onMessage(event.data));
    this.worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail({ kind: "worker-load" });
    });
  }

  launch({ workerUrl, runtimeUrl, wheelUrl }) {
    performance.mark("gc:worker-start");
    if (typeof WebAssembly !== "object") return this.fail({ kind: "unsupported" });
    let moduleWorkers = false;
    const options = {
      get type() {
        moduleWorkers = true; // only browsers that support module workers read this
        return "module";
      },
    };
    try {
      this.worker = new Worker(workerUrl, options);
    } catch (error) {
      return this.fail({ kind: "no-worker", message: error.message });
    }
    if (!moduleWorkers) return this.fail({ kind: "unsupported" });
    this.listen();
    this.timer = setTimeout(() => this.fail({ kind: "timeout" }), BOOT_TIMEOUT_SECONDS * 1000);
    this.setStep("fetch-runtime");
    this.request(MESSAGES.boot, { runtimeUrl, wheelUrl }).catch((error) =>
      this.fail({ kind: "boot", message: error.message }),
    );
  }

  /** Load the page's guideline (after boot, which the worker awaits); resolves when ready. */
  load(params) {
    return this.started.then(() => this.request(MESSAGES.load, params)).then(() => {
      clearTimeout(this.timer);
      this.setStep("ready");
    });
  }

  setStep(step) {
    this.step = step;
    this.dispatchEvent(new CustomEvent("status", { detail: step }));
  }

  fail(failure) {
    if (this.failure) return;
    this.failure = { ...failure, step: this.step };
    clearTimeout(this.timer);
    this.worker?.terminate();
    for (const { reject } of this.pending.values()) reject(new Error(failure.message ?? failure.kind));
    this.pending.clear();
    this.markStarted();
    this.dispatchEvent(new CustomEvent("failure", { detail: this.failure }));
  }

  onMessage(message) {
    if (message.type === MESSAGES.status) {
      if (message.error) this.fail({ kind: "boot", message: message.error });
      else this.setStep(message.step);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if ("error" in message) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  }

  request(type, params) {
    if (this.failure) return Promise.reject(new Error(this.failure.message ?? this.failure.kind));
    if (!this.worker) return Promise.reject(new Error("Python has not been started"));
    const id = this.nextId++;
    const sent = performance.now();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, params });
    }).finally(() => performance.measure(`gc:${type}`, { start: sent }));
  }
}

class Calculator {
  /**
   * @param {HTMLElement} root
   * @param {PythonWorker} python
   */
  constructor(root, python) {
    this.root = root;
    this.python = python;
    this.form = root.querySelector("[data-gc-form]");
    this.status = root.querySelector("[data-gc-status]");
    this.resultBody = root.querySelector("[data-gc-result-body]");
    this.placeholder = this.resultBody.cloneNode(true);
    this.announcer = root.querySelector("[data-gc-announce]");
    /** @type {Map<string, HTMLElement>} */
    this.questions = new Map([...root.querySelectorAll("[data-question]")].map((q) => [q.dataset.question, q]));
    this.multiple = new Set(
      [...this.questions].filter(([, q]) => q.dataset.kind === "multiple_choice").map(([id]) => id),
    );
    this.actions = root.querySelector("[data-gc-result-actions]");
    this.noteField = root.querySelector("[data-gc-note]");
    /** Answers from the fragment, sent as given on the first evaluation so the engine reports what the form cannot hold. */
    this.restoredAnswers = null;
    this.writtenFragment = "";
    /** In an iframe: the origin of a host page that asked for results (opt-in), else null. */
    this.resultSubscriber = null;
    this.latestEvaluation = 0;
  }

  get state() {
    return this.root.dataset.calculatorState;
  }

  url(name) {
    return new URL(this.root.dataset[name], document.baseURI).href;
  }

  start() {
    this.root.dataset.calculatorStarted = "";
    if (this.root.dataset.gcFallback === "script-missing") this.recoverFromFallback();
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.form.addEventListener("change", () => {
      this.lastAnswerAt = performance.now();
      this.restoredAnswers = null; // once the clinician edits, the form is the truth
      this.scheduleEvaluation(0);
    });
    this.form.addEventListener("input", (event) => {
      this.lastAnswerAt = performance.now();
      this.restoredAnswers = null;
      if (event.target.type === "text") this.scheduleEvaluation(TYPING_DELAY_MS);
    });
    // The browser clears the fields after the reset event; act once it has.
    this.form.addEventListener("reset", () => setTimeout(() => this.newPatient(), 0));
    this.root.querySelector("[data-gc-copy]").addEventListener("click", () => this.copyNote());
    this.root.querySelector("[data-gc-print]").addEventListener("click", () => window.print());
    window.addEventListener("hashchange", () => {
      if (isAnswerFragment(location.hash) && location.hash.slice(1) !== this.writtenFragment) {
        this.restore(location.hash);
        this.evaluateNow();
      }
    });
    if (isAnswerFragment(location.hash)) this.restore(location.hash);
    if (this.root.hasAttribute("data-embedded") && window.parent !== window) this.embed();
    this.python.addEventListener("status", (event) => this.showStep(event.detail));
    this.python.addEventListener("failure", (event) => this.failed(event.detail));
    if (this.python.failure) return this.failed(this.python.failure);
    this.showStep(this.python.step || "fetch-runtime");
    this.python.load({ moduleUrl: this.url("moduleUrl"), sentencesUrl: this.url("sentencesUrl") }).then(
      () => this.ready(),
      (error) => this.failed(this.python.failure ?? { kind: "boot", message: error.message }),
    );
  }

  /** The script arrived after fallback.js gave up waiting for it: back to "loading". */
  recoverFromFallback() {
    delete this.root.dataset.gcFallback;
    this.root.querySelector("[data-gc-script-missing]").hidden = true;
    this.status.hidden = false;
    this.status.classList.remove("gc-status--error");
    this.root.dataset.calculatorState = STATES.loading;
  }

  /** Embedded: post the page height to the host; send results only to a host that subscribed. */
  embed() {
    // The body's height, with its stretch to the frame's height switched off (.gc-embedded in
    // calculator.css): the document is never shorter than the frame, so measuring it would let
    // the frame grow but never shrink.
    document.documentElement.classList.add("gc-embedded");
    const post = () => {
      const height = Math.ceil(document.body.getBoundingClientRect().height);
      window.parent.postMessage({ type: EMBED_MESSAGES.resize, height }, "*");
    };
    new ResizeObserver(post).observe(document.body);
    post();
    window.addEventListener("message", (event) => {
      if (event.source === window.parent && event.data?.type === EMBED_MESSAGES.subscribe) {
        this.resultSubscriber = event.origin;
      }
    });
  }

  timeoutMessage(step) {
    const stuck = STEP_LABELS[step] ?? "starting";
    return (
      `The calculator did not start within ${BOOT_TIMEOUT_SECONDS} seconds (stopped at: ${stuck}). ` +
      "The site's security policy may block WebAssembly ('wasm-unsafe-eval'), or the device may be " +
      "too slow or short of memory. Reload the page to try again; the guideline text remains available."
    );
  }

  showStep(step) {
    if (this.state !== STATES.loading || step === "ready") return;
    this.status.textContent = `Starting the calculator: ${STEP_LABELS[step] ?? step}… You can answer the questions now.`;
  }

  ready() {
    if (this.state === STATES.error) return;
    performance.mark("gc:ready");
    this.root.dataset.calculatorState = STATES.ready;
    this.status.textContent = "Calculator ready.";
    this.evaluateNow(); // answers typed while Python was starting are evaluated now
  }

  /** Python could not start: say why, in words a clinician can act on. */
  failed(failure) {
    const unsupported = this.root.querySelector("[data-gc-unsupported]").textContent.trim();
    const messages = {
      unsupported,
      "no-worker": `The calculator could not start its background worker (${failure.message}).`,
      "worker-load": "The calculator's background worker could not be loaded. Reload the page to try again.",
      timeout: this.timeoutMessage(failure.step),
      boot: `The calculator could not start: ${failure.message}.`,
    };
    this.fail(messages[failure.kind] ?? messages.boot);
  }

  fail(message) {
    if (this.state === STATES.error) return;
    this.root.dataset.calculatorState = STATES.error;
    this.status.textContent = message;
    this.status.classList.add("gc-status--error");
    this.resultBody.replaceChildren(
      el(
        "p",
        {},
        "The result cannot be calculated here. ",
        el("a", { href: this.url("sourceUrl") }, "Read the guideline"),
        " or its ",
        el("a", { href: this.url("decisionTableUrl") }, "decision table"),
        ", which shows the complete logic.",
      ),
    );
  }

  scheduleEvaluation(delay) {
    clearTimeout(this.evaluationTimer);
    this.evaluationTimer = setTimeout(() => this.evaluateNow(), delay);
  }

  evaluateNow() {
    if (this.restoredAnswers === null) this.writeFragment(this.collectAnswers());
    if (this.state !== STATES.ready) return;
    const sequence = ++this.latestEvaluation;
    const answers = this.restoredAnswers ?? this.collectAnswers();
    this.restoredAnswers = null;
    this.python.request(MESSAGES.evaluate, { answers: JSON.stringify(answers) }).then(
      (text) => sequence === this.latestEvaluation && this.render(JSON.parse(text), answers),
      (error) => this.showProblem(`The calculator hit an internal error: ${error.message}`),
    );
  }

  /** Keep the answers in the fragment only: replaced, not pushed, so Back leaves the page. */
  writeFragment(answers) {
    const fragment = encodeFragment(answers);
    this.writtenFragment = fragment;
    const current = isAnswerFragment(location.hash) ? location.hash.slice(1) : "";
    if (fragment === current) return;
    history.replaceState(history.state, "", location.pathname + location.search + (fragment ? `#${fragment}` : ""));
  }

  /** Fill the form from a fragment; the engine reports anything the form cannot hold. */
  restore(hash) {
    const answers = decodeFragment(hash, this.multiple);
    this.clearForm();
    for (const [id, value] of Object.entries(answers)) {
      const question = this.questions.get(id);
      if (!question) continue;
      if (question.dataset.kind === "number") {
        question.querySelector("input").value = String(value);
        continue;
      }
      const chosen = new Set(Array.isArray(value) ? value : [value]);
      for (const input of question.querySelectorAll("input")) input.checked = chosen.has(input.value);
    }
    this.restoredAnswers = answers;
    this.writtenFragment = hash.slice(1);
  }

  /** Empty every field without a reset event (which means "New patient"). */
  clearForm() {
    for (const input of this.form.querySelectorAll("input")) {
      if (input.type === "text") input.value = "";
      else input.checked = false;
    }
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
    const general = this.showErrors(evaluation.errors);
    this.actions.hidden = !evaluation.result;
    this.noteField.value = evaluation.note ?? "";
    if (evaluation.result) {
      this.renderResult(evaluation.result);
      // From the clinician's last answer to the result on screen (read by `make bench`).
      if (this.lastAnswerAt !== undefined) performance.measure("gc:answer-to-result", { start: this.lastAnswerAt });
      if (this.resultSubscriber) {
        const message = { type: EMBED_MESSAGES.result, guideline: this.root.dataset.guideline, answers,
          result: evaluation.result, note: evaluation.note };
        window.parent.postMessage(message, this.resultSubscriber);
      }
      const assessment = evaluation.result.classifications[0]?.category.label ?? "";
      const items = evaluation.result.sections.reduce((n, section) => n + section.items.length, 0);
      this.announce(`Result updated: ${assessment}. ${items} management item${items === 1 ? "" : "s"}.`);
    } else if (evaluation.errors.length) {
      const n = evaluation.errors.length;
      this.renderMissing(evaluation.missing, general);
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
      // A field may break several cross-field checks: show every message, in order.
      message.textContent = message.textContent ? `${message.textContent} ${error.message}` : error.message;
      message.hidden = false;
      for (const input of question.querySelectorAll("input")) input.setAttribute("aria-invalid", "true");
    }
    return general;
  }

  showProblem(text) {
    this.resultBody.replaceChildren(el("p", { class: "gc-problem" }, text));
  }

  /** Questions still to answer, and problems that belong to no field (e.g. from a link). */
  renderMissing(missing, general = []) {
    const list = el("ul", { class: "gc-missing" });
    for (const id of missing) {
      const question = this.questions.get(id);
      const label = question.querySelector(".gc-question__label").textContent;
      const target = question.querySelector("input").id;
      const link = el("a", { href: `#${target}` }, label);
      link.addEventListener("click", (event) => {
        event.preventDefault(); // the fragment holds the answers: move focus, not the URL
        const input = document.getElementById(target);
        input?.scrollIntoView({ block: "center" });
        input?.focus({ preventScroll: true });
      });
      list.append(el("li", {}, link));
    }
    const count = missing.length;
    const lead = count
      ? `${count} question${count === 1 ? "" : "s"} still to answer:`
      : "Correct the answers marked above to see the result.";
    const problems = general.length ? [el("p", { class: "gc-problem" }, general.join(" "))] : [];
    this.resultBody.replaceChildren(...problems, el("p", {}, lead), ...(count ? [list] : []));
  }

  sourceLink(source, ruleId) {
    const parts = [];
    if (source) {
      const href = `${this.url("sourceUrl").split("#")[0]}#${source.anchor}`;
      const citations = source.citations.length
        ? ` (citation${source.citations.length > 1 ? "s" : ""} ${source.citations.join(", ")})`
        : "";
      parts.push(el("blockquote", { class: "gc-quote", cite: href }, source.quote));
      parts.push(el("p", { class: "gc-source" }, "Source: ", el("a", { href }, "guideline sentence"), citations,
        " · ", el("a", { href: `${this.url("decisionTableUrl").split("#")[0]}#rule-${ruleId.replace(".", "-")}` }, "rule"),
      ));
    }
    return parts;
  }

  why(reasons) {
    if (!reasons.length) return [];
    const list = el("ul", { class: "gc-why__list" });
    for (const reason of reasons) list.append(el("li", {}, `${reason.label} `, el("strong", {}, reason.answer)));
    return [el("div", { class: "gc-why" }, el("p", {}, "Why:"), list)];
  }

  item(entry) {
    const node = el("li", { class: "gc-item", "data-item": entry.id }, el("p", { class: "gc-item__text" }, entry.text));
    node.append(...this.why(entry.why), ...this.sourceLink(entry.source, entry.id));
    return node;
  }

  renderResult(result) {
    const parts = [];
    const g = result.guideline;
    parts.push(el("p", { class: "gc-print-title" }, `${g.title}: calculator result`));
    const summary = el("dl", { class: "gc-classifications" });
    for (const classification of result.classifications) {
      const category = classification.category;
      const detail = el("dd", { "data-classification": classification.id, "data-category": category.id });
      detail.append(el("p", { class: "gc-category" }, el("strong", {}, category.label)), el("p", {}, category.text));
      detail.append(...this.why(category.why), ...this.sourceLink(category.source, `${classification.id}.${category.id}`));
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
    const answers = el("dl", { class: "gc-answers" });
    for (const answer of result.answers) answers.append(el("dt", {}, answer.label), el("dd", {}, answer.display));
    parts.push(el("h3", {}, "Answers given"), answers);
    parts.push(
      el("p", { class: "gc-result-meta" },
        `${g.intended_use} ${g.title}, content ${g.content_version} (checked against source ${g.review_date}). ` +
        `Calculator ${result.calculator_version}, Pyodide ${PYODIDE_VERSION}.`),
    );
    this.resultBody.replaceChildren(...parts);
  }

  async copyNote() {
    const text = this.noteField.value;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No asynchronous clipboard (plain-HTTP intranets are not a secure context): copy the
      // selected note text the older way, and leave it open for copying by hand if that fails too.
      const details = this.noteField.closest("details");
      details.open = true;
      this.noteField.select();
      if (!document.execCommand("copy")) {
        this.announce("Copying is blocked in this browser: the note text is selected below; copy it by hand.");
        return;
      }
    }
    this.announce("The note text is on the clipboard: paste it into the patient record.");
  }

  announce(text) {
    // Re-announce identical text by clearing first (some screen readers skip repeats).
    this.announcer.textContent = "";
    setTimeout(() => (this.announcer.textContent = text), 50);
  }

  newPatient() {
    this.showErrors([]);
    this.restoredAnswers = null;
    this.actions.hidden = true;
    this.noteField.value = "";
    this.writeFragment({});
    this.latestEvaluation++;
    this.resultBody.replaceWith(this.placeholder.cloneNode(true));
    this.resultBody = this.root.querySelector("[data-gc-result-body]");
    this.evaluateNow();
    this.announce("Form cleared for a new patient.");
    this.form.querySelector("input")?.focus();
  }
}

// --- Start: Python at once (boot.js, from <head>), the form once the page is parsed ---------

const boot = document.querySelector("script[data-calculator-boot]");
const python = new PythonWorker();

if (location.protocol !== "file:" && boot) {
  const url = (name) => new URL(boot.dataset[name], document.baseURI).href;
  const urls = { workerUrl: url("workerUrl"), runtimeUrl: url("runtimeUrl"), wheelUrl: url("wheelUrl") };
  const start = () => {
    // Whichever of boot.js and this module runs first starts Python; the other adopts or bails.
    if (!boot.pythonWorker) boot.dataset.started = "widget";
    python.start(urls, boot.pythonWorker);
  };
  // When Python starts (data-start, measured with `make bench`): "immediate", "idle" (when the
  // page is idle) or "visible" (when the calculator scrolls into view). Once per page, whichever.
  const strategy = boot.dataset.start ?? "immediate";
  if (strategy === "idle" && "requestIdleCallback" in window) requestIdleCallback(start, { timeout: 1000 });
  else if (strategy !== "visible") start();

  const wire = () => {
    const root = document.querySelector("[data-calculator]:not([data-calculator-started])");
    if (!root) return;
    if (strategy === "visible") {
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          start();
        }
      });
      observer.observe(root);
    }
    new Calculator(root, python).start();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire, { once: true });
  else wire();
}
