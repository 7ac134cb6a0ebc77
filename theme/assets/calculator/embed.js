// Host-page script for embedding a calculator in an <iframe> (see README, "Embedding"):
//
//   <iframe src="https://your-site/<guideline>/embed/" title="<Guideline> calculator"
//           data-guideline-calculator data-result-events></iframe>
//   <script src="https://your-site/assets/calculator/embed.js" defer></script>
//
// It sizes each such iframe to its content, tells it which part of it the window shows (so its
// summary stays in view as this page scrolls), and, for iframes with data-result-events,
// asks for each result and re-dispatches it on the iframe as a "guideline-calculator:result"
// DOM event (event.detail: {guideline, answers, result, note}). Messages are accepted only
// from the iframe's own window and origin. No storage, no other requests.
(function () {
  "use strict";
  var VERSION = 1;
  var RESIZE = "guideline-calculator:resize";
  var SUBSCRIBE = "guideline-calculator:subscribe";
  var RESULT = "guideline-calculator:result";
  var VIEWPORT = "guideline-calculator:viewport";

  /** @returns {HTMLIFrameElement[]} */
  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-guideline-calculator]"));
  }

  /** @param {HTMLIFrameElement} frame */
  function originOf(frame) {
    return new URL(frame.getAttribute("src") || "", document.baseURI).origin;
  }

  /** @param {HTMLIFrameElement} frame */
  function subscribe(frame) {
    if (frame.hasAttribute("data-result-events") && frame.contentWindow) {
      frame.contentWindow.postMessage({ v: VERSION, type: SUBSCRIBE }, originOf(frame));
    }
  }

  /**
   * Tell each frame which part of it this window shows, so it keeps its summary in view.
   * @param {HTMLIFrameElement} frame
   */
  function postViewport(frame) {
    if (!frame.contentWindow) return;
    var box = frame.getBoundingClientRect();
    var view = {
      v: VERSION,
      type: VIEWPORT,
      top: Math.max(0, -box.top),
      bottom: Math.max(0, box.bottom - window.innerHeight),
      height: window.innerHeight,
    };
    frame.contentWindow.postMessage(view, originOf(frame));
  }

  var pending = false;
  function onScroll() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      frames().forEach(postViewport);
    });
  }
  window.addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("resize", onScroll, { passive: true });

  window.addEventListener("message", function (event) {
    var frame = frames().filter(function (candidate) {
      return candidate.contentWindow === event.source;
    })[0];
    if (!frame || event.origin !== originOf(frame) || !event.data || event.data.v !== VERSION) return;
    if (event.data.type === RESIZE && typeof event.data.height === "number" && event.data.height > 0) {
      frame.style.height = Math.ceil(event.data.height) + "px";
      // The calculator is loaded and listening: (re)subscribe, also after it navigates.
      subscribe(frame);
      postViewport(frame);
    } else if (event.data.type === RESULT && frame.hasAttribute("data-result-events")) {
      var detail = {
        guideline: event.data.guideline,
        answers: event.data.answers,
        result: event.data.result,
        note: event.data.note,
      };
      frame.dispatchEvent(new CustomEvent(RESULT, { detail: detail, bubbles: true }));
    }
  });
})();
