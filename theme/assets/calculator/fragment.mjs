// Answers in the URL fragment: the JavaScript twin of calculator/fragment.py, byte for byte.
// Both are run against the same test vectors (tests/fixtures/fragment-vectors.json) by pytest
// and by node, so the form and the decision table's example links always agree.
//
// Format: `key=value&key=a,b` with keys and values percent-encoded as Python's
// urllib.parse.quote does (only letters, digits and `_.-~` left as they are, and `,` in
// values); `+` is a plus sign, never a space (a fragment is not a form submission).
// A link carries at most LINK_MAX_ANSWERS answers in LINK_MAX_CHARACTERS characters
// (calculator/protocol.py); the page reads nothing of one that does not fit.
import { LINK_MAX_ANSWERS, LINK_MAX_CHARACTERS } from "./protocol.mjs";

export { LINK_MAX_ANSWERS, LINK_MAX_CHARACTERS };

/** @typedef {Record<string, string | string[]>} RawAnswers Answers as the form holds them. */

const KEPT = /[A-Za-z0-9_.~-]/;

/**
 * Percent-encode like Python's `quote(text, safe=...)`: UTF-8 bytes, upper-case hex.
 * @param {string} text
 * @param {string} safe characters kept as they are besides letters, digits and `_.-~`
 */
function quote(text, safe) {
  let out = "";
  for (const char of text) {
    if (KEPT.test(char) || safe.includes(char)) out += char;
    else for (const byte of new TextEncoder().encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Decode like Python's `unquote`: valid `%XX` sequences as UTF-8 (invalid bytes become
 * U+FFFD), anything else, `+` included, as written.
 * @param {string} text
 */
function unquote(text) {
  if (!text.includes("%")) return text;
  const decoder = new TextDecoder("utf-8");
  let out = "";
  /** @type {number[]} */
  let bytes = [];
  const flush = () => {
    if (bytes.length) out += decoder.decode(new Uint8Array(bytes));
    bytes = [];
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const pair = text.slice(i + 1, i + 3);
    if (char === "%" && HEX_PAIR.test(pair)) {
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else if (char.charCodeAt(0) < 0x80) {
      bytes.push(char.charCodeAt(0));
    } else {
      flush();
      out += char;
    }
  }
  flush();
  return out;
}

/**
 * The fragment (without "#") for answers, keys in the order given.
 * @param {RawAnswers} answers
 */
export function encodeFragment(answers) {
  return Object.entries(answers)
    .map(([key, value]) => `${quote(key, "")}=${quote(Array.isArray(value) ? value.join(",") : value, ",.-")}`)
    .join("&");
}

/**
 * Raw answers from a fragment (with or without "#"). Nothing is validated here: the engine
 * names each bad field.
 * @param {string} fragment
 * @param {Set<string>} multiple ids of the multiple-choice questions (their values are lists)
 * @returns {RawAnswers}
 */
export function decodeFragment(fragment, multiple) {
  /** @type {RawAnswers} */
  const answers = {};
  for (const part of fragment.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const at = part.indexOf("=");
    const name = unquote(at < 0 ? part : part.slice(0, at));
    const text = unquote(at < 0 ? "" : part.slice(at + 1));
    answers[name] = multiple.has(name) ? text.split(",").filter(Boolean) : text;
  }
  return answers;
}

/**
 * A fragment holds answers when it has an "="; anything else is an ordinary in-page anchor.
 * @param {string} hash `location.hash`, with its "#"
 */
export const isAnswerFragment = (hash) => hash.length > 1 && hash.includes("=");

/**
 * Whether a fragment (with or without "#") is within what a link may carry.
 * @param {string} fragment
 */
export function linkFits(fragment) {
  const text = fragment.replace(/^#/, "");
  if (text.length > LINK_MAX_CHARACTERS) return false;
  return text.split("&").filter(Boolean).length <= LINK_MAX_ANSWERS;
}

/** ASCII whitespace, the only space the engine ignores around a typed number (Python's " \t\n\r\f\v"). */
const TYPED_NUMBER_SPACE = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;
const TYPED_DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;

/**
 * A finite number in full, as calculator.formatting.number_text writes it: the shortest
 * digits that round-trip (JavaScript and Python choose the same), no exponent, no trailing zeros.
 * @param {number} number
 */
function numberText(number) {
  const [mantissa, exponent = "0"] = String(Math.abs(number)).split("e");
  const [whole, fraction = ""] = mantissa.split(".");
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  let text =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  text = text.replace(/^0+(?=[0-9])/, "");
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text === "0" || number >= 0 ? text : `-${text}`;
}

/**
 * The text a number field shows for a value from a link: the number the engine reads from it,
 * written as the engine writes numbers ("0020" and "  20" are "20"); null when the engine reads
 * no number from it (the field shows it as given, the engine's message beside it). The twin of
 * calculator.formatting.shown_number, held to the same vectors.
 * @param {string} typed
 * @returns {string | null}
 */
export function shownNumber(typed) {
  const text = typed.replace(TYPED_NUMBER_SPACE, "");
  if (!TYPED_DECIMAL.test(text)) return null;
  const number = Number(text);
  return Number.isFinite(number) ? numberText(number) : null;
}
