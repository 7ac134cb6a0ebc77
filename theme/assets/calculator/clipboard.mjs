// Copy to note: the asynchronous clipboard where the page is a secure context, else the
// older selection copy, else the note left selected for copying by hand.

/**
 * Put `field`'s text on the clipboard. Returns "copied", or "selected" when the browser
 * blocks copying (the field's `details` is opened and its text selected instead).
 * @param {HTMLTextAreaElement} field
 * @returns {Promise<"copied" | "selected">}
 */
export async function copyText(field) {
  try {
    await navigator.clipboard.writeText(field.value);
    return "copied";
  } catch {
    // No asynchronous clipboard (plain-HTTP intranets are not a secure context): copy the
    // selected note text the older way, and leave it open for copying by hand if that fails too.
    const details = field.closest("details");
    if (details) details.open = true;
    field.select();
    return document.execCommand("copy") ? "copied" : "selected";
  }
}
