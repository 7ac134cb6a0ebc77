// The catalogue lookup the browser shares with calculator/text.py.
import assert from "node:assert/strict";
import { test } from "node:test";

import { numberText, pluralCategory, t } from "../../theme/assets/calculator/text.mjs";

const catalogue = {
  plural: { one: [1], few: [2, 3] },
  strings: {
    plain: "Ready.",
    filled: "{count} of {total} {unknown}",
    counted: { one: "{count} item", few: "{count} items (few)", other: "{count} items" },
    partial: { one: "one", other: "{count} many" },
  },
};

test("a plural category is chosen by the catalogue's exact counts, else other", () => {
  assert.equal(pluralCategory(1, catalogue.plural), "one");
  assert.equal(pluralCategory(3, catalogue.plural), "few");
  assert.equal(pluralCategory(0, catalogue.plural), "other");
  assert.equal(pluralCategory(1.5, catalogue.plural), "other");
});

test("placeholders are filled; unknown ones are left as written", () => {
  // @ts-ignore: keys of a test catalogue
  assert.equal(t("filled", { count: 2, total: 5 }, catalogue), "2 of 5 {unknown}");
  // @ts-ignore
  assert.equal(t("plain", {}, catalogue), "Ready.");
});

test("a counted text takes the form of its count's category, or other", () => {
  // @ts-ignore
  assert.equal(t("counted", { count: 1 }, catalogue), "1 item");
  // @ts-ignore
  assert.equal(t("counted", { count: 2 }, catalogue), "2 items (few)");
  // @ts-ignore
  assert.equal(t("counted", { count: 7 }, catalogue), "7 items");
  // @ts-ignore
  assert.equal(t("partial", { count: 2 }, catalogue), "2 many");
});

test("a missing key is an error that names it", () => {
  // @ts-ignore
  assert.throws(() => t("no.such", {}, catalogue), /no text "no.such"/);
});

test("the site's own catalogue speaks through t", () => {
  assert.equal(t("status.ready"), "Calculator ready.");
  assert.equal(t("result.missing", { count: 1 }), "1 question still to answer:");
  assert.equal(t("result.missing", { count: 3 }), "3 questions still to answer:");
});

test("a size's number is written as the catalogue's language writes it", () => {
  const french = { ...catalogue, language: "fr" };
  assert.equal(numberText(1.5, 1, french), "1,5");
  assert.equal(numberText(3.1, 1, { ...catalogue, language: "en" }), "3.1");
  assert.equal(numberText(2, 1, { ...catalogue, language: "en" }), "2.0");
  assert.equal(numberText(12, 0, french), "12");
});
