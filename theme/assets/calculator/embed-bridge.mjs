// The embedded calculator's side of embed.js (the host page's script): it posts the page's
// height so the frame fits its content, and each result, but only to a host page that asked
// for results (opt-in) and whose origin the site's configuration lists (the plugin's
// result_event_origins, written into protocol.mjs at build time), and only to that origin.
// frame-ancestors is no such check: a server that sends no headers lets any page frame this one.
import { EMBED_MESSAGES, PROTOCOL_VERSION, RESULT_EVENT_ORIGINS } from "./protocol.mjs";

/** @typedef {import("./contract.mjs").Result} Result */
/** @typedef {import("./fragment.mjs").RawAnswers} RawAnswers */

export class EmbedBridge {
  /**
   * @param {Window} host the parent window
   * @param {HTMLElement} root the calculator, whose --gc-view-* properties place its sticky parts
   */
  constructor(host, root) {
    this.host = host;
    this.root = root;
    /** The origin of a host page that asked for results and may have them, else null. */
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
      if (event.source !== this.host || event.data?.v !== PROTOCOL_VERSION) return;
      const allowed = RESULT_EVENT_ORIGINS.includes(event.origin);
      if (event.data.type === EMBED_MESSAGES.subscribe && allowed) this.subscriber = event.origin;
      if (event.data.type === EMBED_MESSAGES.viewport) this.place(event.data);
    });
  }

  /**
   * The host's window shows only part of this frame (which is as tall as its content and never
   * scrolls): the sticky summary and bar keep to that part.
   * @param {{top: unknown, bottom: unknown, height: unknown}} view
   */
  place({ top, bottom, height }) {
    /** @param {unknown} value */
    const pixels = (value) => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? `${value}px` : null);
    const band = { "--gc-view-top": pixels(top), "--gc-view-bottom": pixels(bottom), "--gc-view-height": pixels(height) };
    if (Object.values(band).includes(null)) return;
    for (const [name, value] of Object.entries(band)) this.root.style.setProperty(name, value);
  }

  /**
   * @param {{guideline: string, answers: RawAnswers, result: Result, note: string}} shown
   */
  sendResult(shown) {
    if (!this.subscriber) return;
    this.host.postMessage({ v: PROTOCOL_VERSION, type: EMBED_MESSAGES.result, ...shown }, this.subscriber);
  }
}
