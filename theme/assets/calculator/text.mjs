// User-facing words of the machinery, from the site language's catalogue
// (calculator/locales/<language>.json, written into catalogue.mjs by the build). A
// translation is a new catalogue file; nothing here names a language.
import { CATALOGUE } from "./catalogue.mjs";

/** @typedef {keyof typeof CATALOGUE.strings} TextKey */
/** @typedef {Record<string, string | number>} TextValues */

/**
 * The plural category of a count, by the catalogue's rule: a list of exact counts per
 * category; every other count is "other".
 * @param {number} count
 * @param {Record<string, readonly number[]>} [rule]
 */
export function pluralCategory(count, rule = CATALOGUE.plural) {
  for (const [category, counts] of Object.entries(rule)) if (counts.includes(count)) return category;
  return "other";
}

/**
 * The catalogue text for `key` with `{name}` placeholders filled in. A text with plural
 * forms is chosen by `values.count`.
 * @param {TextKey} key
 * @param {TextValues} [values]
 * @param {{strings: Record<string, string | Record<string, string>>, plural: Record<string, readonly number[]>}} [catalogue]
 * @returns {string}
 */
export function t(key, values = {}, catalogue = CATALOGUE) {
  return fill(template(key, values, catalogue), values);
}

/**
 * An ISO date (`2027-01-05`) as the catalogue's language writes it (`date.format`, chosen by
 * the day as a count; `date.month.1` to `12`): what `calculator.formatting.date_text` writes.
 * @param {string} iso
 * @param {{strings: Record<string, string | Record<string, string>>, plural: Record<string, readonly number[]>}} [catalogue]
 * @returns {string}
 */
export function dateText(iso, catalogue = CATALOGUE) {
  const [year, month, day] = iso.split("-").map(Number);
  const monthName = t(/** @type {TextKey} */ (`date.month.${month}`), {}, catalogue);
  /** @type {TextValues} */
  const values = { count: day, year: String(year).padStart(4, "0"), month: monthName, day };
  Object.assign(values, { mm: String(month).padStart(2, "0"), dd: String(day).padStart(2, "0") });
  return t("date.format", values, catalogue);
}

/**
 * A number as the catalogue's language writes it, with exactly `fractionDigits` decimals
 * (a size: "1.5" in English, "1,5" in French), by the browser's `Intl.NumberFormat`.
 * @param {number} value
 * @param {number} fractionDigits
 * @param {{language?: string}} [catalogue]
 * @returns {string}
 */
export function numberText(value, fractionDigits, catalogue = CATALOGUE) {
  const digits = { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
  return new Intl.NumberFormat(catalogue.language || "en", digits).format(value);
}

/**
 * The same text as nodes: placeholders whose value is a Node (a link, say) are put in as
 * those nodes, the rest as text.
 * @param {TextKey} key
 * @param {Record<string, string | number | Node>} values
 * @returns {(string | Node)[]}
 */
export function nodes(key, values) {
  /** @type {TextValues} */
  const plain = {};
  for (const [name, value] of Object.entries(values)) if (!(value instanceof Node)) plain[name] = value;
  return template(key, plain, CATALOGUE)
    .split(/(\{[a-z_]+\})/)
    .filter(Boolean)
    .map((part) => {
      const value = values[part.slice(1, -1)];
      if (!/^\{[a-z_]+\}$/.test(part) || value === undefined) return part;
      return value instanceof Node ? value : String(value);
    });
}

/**
 * @param {string} key
 * @param {TextValues} values
 * @param {{strings: Record<string, string | Record<string, string>>, plural: Record<string, readonly number[]>}} catalogue
 */
function template(key, values, catalogue) {
  const entry = catalogue.strings[key];
  if (entry === undefined) throw new Error(`no text ${JSON.stringify(key)} in the catalogue`);
  if (typeof entry === "string") return entry;
  const count = Number(values.count);
  return entry[pluralCategory(count, catalogue.plural)] ?? entry.other;
}

/**
 * @param {string} text
 * @param {TextValues} values
 */
function fill(text, values) {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}
