// The embedded calculator's side of embed.js (the host page's script): it posts the page's
// height so the frame fits its content, and each result, but only to a host page that asked
// for results (opt-in) and only to that page's origin.
import { EMBED_MESSAGES, PROTOCOL_VERSION } from "./protocol.mjs";

/** @typedef {import("./contract.mjs").Result} Result */
/** @typedef {import("./fragment.mjs").RawAnswers} RawAnswers */

export class EmbedBridge {
  /** @param {Window} host the parent window */
  constructor(host) {
    this.host = host;
    /** The origin of a host page that asked for results, else null. */
    /** @type {string | null} */
    this.subscriber = null;
  }

  /** Start posting the height and listening for a subscription. */
  connect() {
    // The body's height, with its stretch to the frame's height switched off (.gc-embedded in
    // calculator.css): the document is never shorter than the frame, so measuring it would let
    // the frame grow but never shrink.
    document.documentElement.classList.add("gc-embedded");
    const post = () => {
      const height = Math.ceil(document.body.getBoundingClientRect().height);
      this.host.postMessage({ v: PROTOCOL_VERSION, type: EMBED_MESSAGES.resize, height }, "*");
    };
    new ResizeObserver(post).observe(document.body);
    post();
    window.addEventListener("message", (event) => {
      if (event.source === this.host && event.data?.type === EMBED_MESSAGES.subscribe) this.subscriber = event.origin;
    });
  }

  /**
   * @param {{guideline: string, answers: RawAnswers, result: Result, note: string}} shown
   */
  sendResult(shown) {
    if (!this.subscriber) return;
    this.host.postMessage({ v: PROTOCOL_VERSION, type: EMBED_MESSAGES.result, ...shown }, this.subscriber);
  }
}
