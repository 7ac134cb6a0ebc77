// The status line's words while Python starts (pure: node's tests cover it): the boot step,
// how much of the runtime has arrived, and, past the boot timeout, that the device or the
// connection is slow and the calculator keeps going. Slowness is never shown as a failure.
import { numberText, t } from "./text.mjs";

/** @typedef {import("./worker-client.mjs").Progress} Progress */

/**
 * The words for a boot step (its catalogue text, or the id where there is none).
 * @param {string} step
 */
export function stepLabel(step) {
  const key = /** @type {import("./text.mjs").TextKey} */ (`boot.${step}`);
  try {
    return t(key);
  } catch {
    return step;
  }
}

/**
 * @param {{step: string, progress: Progress | null, slow: boolean, seconds: number}} boot
 * @returns {string}
 */
export function startingStatus({ step, progress, slow, seconds }) {
  const megabytes = (/** @type {number} */ bytes) => numberText(bytes / 1e6, 1);
  const downloading = progress !== null && progress.total > 0 && progress.loaded < progress.total;
  const shown = downloading
    ? t("status.progress", { loaded: megabytes(progress.loaded), total: megabytes(progress.total) })
    : "";
  if (slow) return t("status.slow", { seconds, step: stepLabel(step), progress: shown });
  return t("status.starting", { step: `${stepLabel(step)}${shown}` });
}
