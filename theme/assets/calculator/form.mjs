// The build-time form (theme/partials/calculator.html) as answers: read them, fill them in
// from a link, show which questions apply and the engine's messages beside each field.
// Each question's container says the shape of its answer (`data-answer`, from its kind in
// calculator/kinds/): "number" (typed text), "one" (one checked option) or "many" (a list).

import { shownNumber } from "./fragment.mjs";

/** @typedef {import("./fragment.mjs").RawAnswers} RawAnswers */
/** @typedef {import("./contract.mjs").FieldError} FieldError */

export class FormView {
  /** @param {HTMLFormElement} form */
  constructor(form) {
    this.form = form;
    /** @type {Map<string, HTMLElement>} */
    this.questions = new Map(
      [...form.querySelectorAll("[data-question]")].map((q) => [
        /** @type {HTMLElement} */ (q).dataset.question ?? "",
        /** @type {HTMLElement} */ (q),
      ]),
    );
    /** Questions whose answers are lists (multiple choice): their fragment values too. */
    this.listValued = new Set([...this.questions].filter(([, q]) => q.dataset.answer === "many").map(([id]) => id));
  }

  /**
   * Answers from a link as the fields will show them: each number as the engine reads it
   * ("0020" and "  20" are "20"), so a field never shows other text than the number the result
   * used; what is not a number stays as given, for the engine to refuse beside its field.
   * @param {RawAnswers} answers
   * @returns {RawAnswers}
   */
  asShown(answers) {
    /** @type {RawAnswers} */
    const shown = {};
    for (const [id, value] of Object.entries(answers)) {
      const number = this.questions.get(id)?.dataset.answer === "number" && typeof value === "string";
      shown[id] = number ? (shownNumber(value) ?? value) : value;
    }
    return shown;
  }

  /** @param {string} id */
  inputs(id) {
    return /** @type {HTMLInputElement[]} */ ([...(this.questions.get(id)?.querySelectorAll("input") ?? [])]);
  }

  /**
   * The question's text as shown, and the id of its first control (for links to it).
   * @param {string} id
   */
  describe(id) {
    const question = this.questions.get(id);
    return {
      label: question?.querySelector(".gc-question__label")?.textContent ?? id,
      control: this.inputs(id)[0]?.id ?? "",
    };
  }

  /**
   * Raw form values, exactly as entered: the engine parses and validates them.
   * @returns {RawAnswers}
   */
  answers() {
    /** @type {RawAnswers} */
    const answers = {};
    for (const [id, question] of this.questions) {
      const inputs = this.inputs(id);
      if (question.dataset.answer === "number") {
        const value = inputs[0].value;
        if (value.trim() !== "") answers[id] = value;
        continue;
      }
      const chosen = inputs.filter((input) => input.checked).map((input) => input.value);
      if (!chosen.length) continue;
      answers[id] = question.dataset.answer === "many" ? chosen : chosen[0];
    }
    return answers;
  }

  /**
   * Put answers into the fields (from a link, through `asShown`); what a field cannot hold the engine reports.
   * @param {RawAnswers} answers
   */
  fill(answers) {
    this.clear();
    for (const [id, value] of Object.entries(answers)) {
      const question = this.questions.get(id);
      if (!question) continue;
      if (question.dataset.answer === "number") {
        this.inputs(id)[0].value = String(value);
        continue;
      }
      const chosen = new Set(Array.isArray(value) ? value : [value]);
      for (const input of this.inputs(id)) input.checked = chosen.has(input.value);
    }
  }

  /** Empty every field without a reset event (which means "New patient"). */
  clear() {
    for (const input of this.form.querySelectorAll("input")) {
      if (input.type === "text") input.value = "";
      else input.checked = false;
    }
  }

  /**
   * Show the questions that apply, and each step that has one.
   * @param {string[]} applicable
   */
  showApplicable(applicable) {
    const shown = new Set(applicable);
    for (const [id, question] of this.questions) question.hidden = !shown.has(id);
    for (const step of /** @type {NodeListOf<HTMLElement>} */ (this.form.querySelectorAll("[data-step]"))) {
      step.hidden = ![...step.querySelectorAll("[data-question]")].some((q) => !(/** @type {HTMLElement} */ (q).hidden));
    }
  }

  /**
   * The engine's messages beside their fields; returns those that belong to no field.
   * @param {FieldError[]} errors
   * @returns {string[]}
   */
  showErrors(errors) {
    for (const [id, question] of this.questions) {
      const message = /** @type {HTMLElement} */ (question.querySelector("[data-gc-error]"));
      message.hidden = true;
      message.textContent = "";
      for (const input of this.inputs(id)) input.removeAttribute("aria-invalid");
    }
    /** @type {string[]} */
    const general = [];
    for (const error of errors) {
      const question = this.questions.get(error.field);
      if (!question) {
        general.push(`${error.field}: ${error.message}`);
        continue;
      }
      const message = /** @type {HTMLElement} */ (question.querySelector("[data-gc-error]"));
      // A field may break several cross-field checks: show every message, in order.
      message.textContent = message.textContent ? `${message.textContent} ${error.message}` : error.message;
      message.hidden = false;
      for (const input of this.inputs(error.field)) input.setAttribute("aria-invalid", "true");
    }
    return general;
  }

  /** Move focus to the first field (after "New patient"). */
  focusFirst() {
    this.form.querySelector("input")?.focus();
  }
}
