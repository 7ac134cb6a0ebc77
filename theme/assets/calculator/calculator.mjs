// One calculator on a page: connects the form, the Python worker, the result panel, the URL
// fragment, the clipboard and (in a frame) the host page. It renders and forwards only: every
// decision (which questions apply, validation, the result and its reasons, the note text) is
// the Python engine's. Nothing is stored: the answers live in the URL fragment only, which
// browsers never send to a server, so a reload or a shared link restores them.
import { copyText } from "./clipboard.mjs";
import { required } from "./dom.mjs";
import { EmbedBridge } from "./embed-bridge.mjs";
import { FormView } from "./form.mjs";
import { LINK_MAX_ANSWERS, LINK_MAX_CHARACTERS, decodeFragment, encodeFragment, isAnswerFragment, linkFits } from "./fragment.mjs";
import { CATALOGUE } from "./catalogue.mjs";
import { BOOT_TIMEOUT_SECONDS, MESSAGES, STATES } from "./protocol.mjs";
import { ResultView } from "./result-view.mjs";
import { startingStatus } from "./status.mjs";
import { summaryState } from "./summary.mjs";
import { SummaryView } from "./summary-view.mjs";
import { t } from "./text.mjs";

/** @typedef {import("./contract.mjs").Evaluation} Evaluation */
/** @typedef {import("./fragment.mjs").RawAnswers} RawAnswers */
/** @typedef {import("./worker-client.mjs").WorkerClient} WorkerClient */
/** @typedef {import("./worker-client.mjs").Failure} Failure */
/** @typedef {import("./worker-client.mjs").Progress} Progress */

const TYPING_DELAY_MS = 400;

export class Calculator {
  /**
   * @param {HTMLElement} root the [data-calculator] section
   * @param {WorkerClient} python
   */
  constructor(root, python) {
    this.root = root;
    this.python = python;
    this.form = new FormView(required(root, "[data-gc-form]"));
    this.status = required(root, "[data-gc-status]");
    const urls = { source: this.url("sourceUrl"), decisionTable: this.url("decisionTableUrl") };
    this.view = new ResultView(required(root, "[data-gc-result]"), urls);
    this.summary = new SummaryView(required(root, "[data-gc-summary]"), required(root, "[data-gc-bar]"), urls);
    this.announcer = required(root, "[data-gc-announce]");
    this.actions = required(root, "[data-gc-result-actions]");
    /** @type {HTMLTextAreaElement} */
    this.noteField = required(root, "[data-gc-note]");
    /** Answers from the fragment, sent as given on the first evaluation so the engine reports what the form cannot hold. */
    /** @type {RawAnswers | null} */
    this.restoredAnswers = null;
    this.writtenFragment = "";
    /** Whether the clinician changed an answer since the form was last filled from a link or cleared. */
    this.answersChanged = false;
    /** Why the last link was not read (too much in it), shown until the clinician answers. */
    /** @type {string | null} */
    this.linkRefused = null;
    /** @type {EmbedBridge | null} */
    this.embed = null;
    this.latestEvaluation = 0;
    /** @type {number | undefined} */
    this.lastAnswerAt = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.evaluationTimer = undefined;
    /** @type {Progress | null} */
    this.progress = null;
  }

  get state() {
    return this.root.dataset.calculatorState;
  }

  /** @param {string} name a data-* attribute of the root holding a URL */
  url(name) {
    return new URL(this.root.dataset[name] ?? "", document.baseURI).href;
  }

  start() {
    this.root.dataset.calculatorStarted = "";
    if (this.root.dataset.gcFallback === "script-missing") this.recoverFromFallback();
    const form = this.form.form;
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("change", () => this.edited(0));
    form.addEventListener("input", (event) => {
      const typing = /** @type {HTMLInputElement} */ (event.target).type === "text";
      if (typing) this.edited(TYPING_DELAY_MS);
      else this.markEdited();
    });
    // The browser clears the fields after the reset event; act once it has.
    form.addEventListener("reset", () => setTimeout(() => this.newPatient(), 0));
    required(this.root, "[data-gc-copy]").addEventListener("click", () => this.copyNote());
    required(this.root, "[data-gc-print]").addEventListener("click", () => window.print());
    // The page writes its fragment with replaceState, which fires no hashchange: this is a new
    // link (the address bar, Back, or a page that framed this one changing its src). Answers the
    // clinician changed are replaced only once they agree. (In a cross-origin frame, Chromium
    // answers confirm() with false: there, a host page can never replace them.)
    window.addEventListener("hashchange", () => {
      if (!isAnswerFragment(location.hash) || location.hash.slice(1) === this.writtenFragment) return;
      if (linkFits(location.hash) && this.answersChanged && !window.confirm(t("link.replace_answers"))) {
        this.writeFragment(this.form.answers());
        return;
      }
      this.restore(location.hash);
      this.evaluateNow();
    });
    if (isAnswerFragment(location.hash)) this.restore(location.hash);
    if (this.root.hasAttribute("data-embedded") && window.parent !== window) {
      this.embed = new EmbedBridge(window.parent, this.root);
      this.embed.connect();
    }
    this.python.addEventListener("status", () => this.showStarting());
    this.python.addEventListener("slow", () => this.showStarting());
    this.python.addEventListener("progress", (event) => {
      this.progress = /** @type {CustomEvent<Progress>} */ (event).detail;
      this.showStarting();
    });
    this.python.addEventListener("failure", (event) => this.failed(/** @type {CustomEvent<Failure>} */ (event).detail));
    if (this.python.failure) return this.failed(this.python.failure);
    this.summary.show(summaryState(null, { ready: false, failed: false }));
    this.showStarting();
    const files = { moduleUrl: this.url("moduleUrl"), sentencesUrl: this.url("sentencesUrl") };
    this.python.load({ ...files, catalogue: CATALOGUE }).then(
      () => this.ready(),
      (error) => this.failed(this.python.failure ?? { kind: "boot", message: error.message, step: this.python.step }),
    );
  }

  /** The clinician changed an answer: once they edit, the form is the truth. */
  markEdited() {
    this.lastAnswerAt = performance.now();
    this.restoredAnswers = null;
    this.answersChanged = true;
    this.linkRefused = null;
  }

  /** @param {number} delay */
  edited(delay) {
    this.markEdited();
    clearTimeout(this.evaluationTimer);
    this.evaluationTimer = setTimeout(() => this.evaluateNow(), delay);
  }

  /** The script arrived after fallback.js gave up waiting for it: back to "loading". */
  recoverFromFallback() {
    delete this.root.dataset.gcFallback;
    required(this.root, "[data-gc-script-missing]").hidden = true;
    this.status.hidden = false;
    this.status.classList.remove("gc-status--error");
    this.root.dataset.calculatorState = STATES.loading;
  }

  /** While Python starts: the step, the download's progress, and whether it is slow. */
  showStarting() {
    const step = this.python.step || "fetch-runtime";
    if (this.state !== STATES.loading || step === "ready") return;
    const boot = { step, progress: this.progress, slow: this.python.slow, seconds: BOOT_TIMEOUT_SECONDS };
    this.status.textContent = startingStatus(boot);
    this.status.classList.toggle("gc-status--slow", this.python.slow);
  }

  ready() {
    if (this.state === STATES.error) return;
    performance.mark("gc:ready");
    this.root.dataset.calculatorState = STATES.ready;
    this.status.textContent = t("status.ready");
    this.evaluateNow(); // answers typed while Python was starting are evaluated now
  }

  /**
   * Python could not start: say why, in words a clinician can act on.
   * @param {Failure} failure
   */
  failed(failure) {
    const message = failure.message ?? "";
    const messages = {
      unsupported: required(this.root, "[data-gc-unsupported]").textContent?.trim() ?? "",
      "no-worker": t("status.no_worker", { message }),
      "worker-load": t("status.worker_load"),
      boot: t("status.boot_failed", { message }),
    };
    if (this.state === STATES.error) return;
    this.root.dataset.calculatorState = STATES.error;
    this.status.textContent = messages[failure.kind] ?? messages.boot;
    this.status.classList.add("gc-status--error");
    this.view.clear();
    this.summary.show(summaryState(null, { ready: false, failed: true }));
  }

  evaluateNow() {
    if (this.restoredAnswers === null) this.writeFragment(this.form.answers());
    if (this.state !== STATES.ready) return;
    const sequence = ++this.latestEvaluation;
    const answers = this.restoredAnswers ?? this.form.answers();
    this.restoredAnswers = null;
    this.python.request(MESSAGES.evaluate, { answers: JSON.stringify(answers) }).then(
      (/** @type {string} */ text) => sequence === this.latestEvaluation && this.render(JSON.parse(text), answers),
      (error) => {
        const general = [t("status.internal_error", { message: error.message })];
        this.summary.show(summaryState(null, { ready: true, failed: true }), { general });
      },
    );
  }

  /**
   * Keep the answers in the fragment only: replaced, not pushed, so Back leaves the page.
   * @param {RawAnswers} answers
   */
  writeFragment(answers) {
    const fragment = encodeFragment(answers);
    this.writtenFragment = fragment;
    const current = isAnswerFragment(location.hash) ? location.hash.slice(1) : "";
    if (fragment === current) return;
    history.replaceState(history.state, "", location.pathname + location.search + (fragment ? `#${fragment}` : ""));
  }

  /**
   * Fill the form from a fragment; the engine reports anything the form cannot hold.
   * @param {string} hash
   */
  restore(hash) {
    if (!linkFits(hash)) {
      // Nothing of it is read: one message, and the address shows the answers the form holds.
      this.linkRefused = t("link.too_large", { answers: LINK_MAX_ANSWERS, characters: LINK_MAX_CHARACTERS });
      this.writeFragment(this.form.answers());
      return;
    }
    const answers = this.form.asShown(decodeFragment(hash, this.form.listValued));
    this.form.fill(answers);
    this.restoredAnswers = answers;
    this.writtenFragment = hash.slice(1);
    this.answersChanged = false;
    this.linkRefused = null;
  }

  /**
   * @param {Evaluation} evaluation
   * @param {RawAnswers} answers
   */
  render(evaluation, answers) {
    this.form.showApplicable(evaluation.applicable);
    const general = [...(this.linkRefused ? [this.linkRefused] : []), ...this.form.showErrors(evaluation.errors)];
    this.actions.hidden = !evaluation.result;
    this.noteField.value = evaluation.note ?? "";
    const state = summaryState(evaluation, { ready: true, failed: false });
    const links = state.fields.map((id) => this.form.describe(id));
    const overdueSince = evaluation.overdue_since ?? null;
    this.summary.show(state, { result: evaluation.result, links, general, overdueSince });
    const result = evaluation.result;
    if (!result) {
      this.view.clear();
      if (state.kind === "errors") this.announce(t("announce.errors", { count: state.count }));
      return;
    }
    this.view.result(result, overdueSince);
    // From the clinician's last answer to the result on screen (read by `make bench`).
    if (this.lastAnswerAt !== undefined) performance.measure("gc:answer-to-result", { start: this.lastAnswerAt });
    this.embed?.sendResult({ guideline: this.root.dataset.guideline ?? "", answers, result, note: evaluation.note ?? "" });
    const assessment = result.classifications[0]?.category.label ?? "";
    const count = result.sections.reduce((n, section) => n + section.items.length, 0);
    this.announce(t("announce.result", { assessment, count }));
  }

  async copyNote() {
    const outcome = await copyText(this.noteField);
    this.announce(outcome === "copied" ? t("announce.copied") : t("announce.copy_blocked"));
  }

  /** @param {string} text */
  announce(text) {
    // Re-announce identical text by clearing first (some screen readers skip repeats).
    this.announcer.textContent = "";
    setTimeout(() => (this.announcer.textContent = text), 50);
  }

  newPatient() {
    this.form.showErrors([]);
    this.restoredAnswers = null;
    this.answersChanged = false;
    this.linkRefused = null;
    this.actions.hidden = true;
    this.noteField.value = "";
    this.writeFragment({});
    this.latestEvaluation++;
    this.view.clear();
    this.summary.show(summaryState(null, { ready: this.state === STATES.ready, failed: this.state === STATES.error }));
    this.evaluateNow();
    this.announce(t("announce.cleared"));
    this.form.focusFirst();
  }
}
