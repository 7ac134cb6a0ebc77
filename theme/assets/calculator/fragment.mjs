// Answers in the URL fragment: the JavaScript twin of calculator/fragment.py, byte for byte.
// Both are run against the same test vectors (tests/fixtures/fragment-vectors.json) by pytest
// and by node, so the form and the decision table's example links always agree.
//
// Format: `key=value&key=a,b` with keys and values percent-encoded as Python's
// urllib.parse.quote does (only letters, digits and `_.-~` left as they are, and `,` in
// values); `+` is a plus sign, never a space (a fragment is not a form submission).

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
