// The URL-fragment codec against the vectors Python's calculator/fragment.py is tested with.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  LINK_MAX_ANSWERS,
  LINK_MAX_CHARACTERS,
  decodeFragment,
  encodeFragment,
  isAnswerFragment,
  linkFits,
  shownNumber,
} from "../../theme/assets/calculator/fragment.mjs";

const vectors = JSON.parse(readFileSync(new URL("../fixtures/fragment-vectors.json", import.meta.url), "utf-8"));

for (const { answers, fragment } of vectors.encode) {
  test(`encodes ${JSON.stringify(answers)}`, () => {
    assert.equal(encodeFragment(answers), fragment);
  });
}

for (const { fragment, multiple, answers } of vectors.decode) {
  test(`decodes ${JSON.stringify(fragment)}`, () => {
    assert.deepEqual(decodeFragment(fragment, new Set(multiple)), answers);
  });
}

test("every encoded fragment decodes to the answers it came from", () => {
  for (const { answers } of vectors.encode) {
    const lists = new Set(Object.keys(answers).filter((key) => Array.isArray(answers[key])));
    const back = decodeFragment(encodeFragment(answers), lists);
    const flat = Object.fromEntries(
      Object.entries(answers).map(([key, value]) => [key, Array.isArray(value) ? value.join(",").split(",").filter(Boolean) : value]),
    );
    assert.deepEqual(back, flat);
  }
});

test("only a fragment with '=' holds answers", () => {
  assert.equal(isAnswerFragment("#symptoms=arthralgia"), true);
  assert.equal(isAnswerFragment("#focal-injection"), false);
  assert.equal(isAnswerFragment("#"), false);
  assert.equal(isAnswerFragment(""), false);
});

for (const { text, shown } of vectors.numbers) {
  test(`shows the number from a link ${JSON.stringify(text).slice(0, 30)}`, () => {
    assert.equal(shownNumber(text), shown);
  });
}

test("a link within the limits is read and one beyond them refused", () => {
  const most = Array.from({ length: LINK_MAX_ANSWERS }, (_, n) => `q${n}=1`).join("&");
  assert.equal(linkFits(most), true);
  assert.equal(linkFits(`${most}&one_more=1`), false);
  const longest = `note=${"x".repeat(LINK_MAX_CHARACTERS - "note=".length)}`;
  assert.equal(linkFits(longest), true);
  assert.equal(linkFits(`#${longest}`), true);
  assert.equal(linkFits(`${longest}x`), false);
});
