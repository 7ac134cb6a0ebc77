// The Trusted Types default policy's allowlist (theme/assets/site/html-sanitizer.js), on trees
// built by a small parser of well-formed test markup (Node has no DOM; the browser tests run
// the same file on the browser's own parser, under enforced Trusted Types).
import assert from "node:assert/strict";
import { test } from "node:test";

import "../../theme/assets/site/html-sanitizer.js";

const { sanitize } = /** @type {any} */ (globalThis).gcHtmlSanitizer;

const HTML = "http://www.w3.org/1999/xhtml";
const SVG = "http://www.w3.org/2000/svg";
const MATH = "http://www.w3.org/1998/Math/MathML";
const VOID = new Set(["img", "br", "input", "meta", "link", "source", "embed", "hr"]);
const BASE = "https://intranet.example/guidelines/aimss/";

/** The DOM calls the sanitizer makes, and no more. */
class FakeNode {
  /** @param {number} nodeType */
  constructor(nodeType) {
    this.nodeType = nodeType;
    /** @type {FakeNode[]} */
    this.childNodes = [];
    /** @type {FakeNode | null} */
    this.parentNode = null;
  }
  get firstChild() {
    return this.childNodes[0] ?? null;
  }
  get nextSibling() {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  /** @param {FakeNode} child */
  removeChild(child) {
    this.childNodes.splice(this.childNodes.indexOf(child), 1);
    child.parentNode = null;
    return child;
  }
  /** @param {FakeNode} child @param {FakeNode} before */
  insertBefore(child, before) {
    child.parentNode?.removeChild(child);
    this.childNodes.splice(this.childNodes.indexOf(before), 0, child);
    child.parentNode = this;
    return child;
  }
  /** @param {FakeNode} child */
  appendChild(child) {
    this.childNodes.push(child);
    child.parentNode = this;
    return child;
  }
}

class FakeElement extends FakeNode {
  /** @param {string} localName @param {string} namespaceURI */
  constructor(localName, namespaceURI) {
    super(1);
    this.localName = localName;
    this.namespaceURI = namespaceURI;
    /** @type {{name: string, value: string, namespaceURI: string | null}[]} */
    this.attributes = [];
  }
  /** @param {{name: string}} attribute */
  removeAttributeNode(attribute) {
    this.attributes.splice(this.attributes.indexOf(/** @type {any} */ (attribute)), 1);
  }
}

class FakeText extends FakeNode {
  /** @param {string} data @param {number} [nodeType] */
  constructor(data, nodeType = 3) {
    super(nodeType);
    this.data = data;
  }
}

/** Parses well-formed markup (the tests' own) as an HTML parser would, namespaces included. */
function parse(markup) {
  const body = new FakeElement("body", HTML);
  let current = body;
  const pattern = /<!--([\s\S]*?)-->|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s=>\/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>|([^<]+)/g;
  for (const [, comment, close, open, attributes, text] of markup.matchAll(pattern)) {
    if (comment !== undefined) current.appendChild(new FakeText(comment, 8));
    else if (text !== undefined) current.appendChild(new FakeText(text.replaceAll("&amp;", "&").replaceAll("&lt;", "<")));
    else if (close !== undefined) current = /** @type {FakeElement} */ (current.parentNode);
    else {
      const name = open.toLowerCase();
      const namespace = name === "svg" ? SVG : name === "math" ? MATH : current.namespaceURI === HTML || current.localName === "foreignobject" ? HTML : current.namespaceURI;
      const element = new FakeElement(namespace === HTML ? name : open, namespace);
      for (const [, key, value = ""] of attributes.matchAll(/\s+([^\s=>\/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
        element.attributes.push({ name: key, value, namespaceURI: null });
      }
      current.appendChild(element);
      if (!VOID.has(name)) current = element;
    }
  }
  return body;
}

/** @param {FakeNode} node @returns {string} */
function serialize(node) {
  return node.childNodes
    .map((child) => {
      if (child instanceof FakeText) return child.nodeType === 8 ? `<!--${child.data}-->` : child.data.replaceAll("&", "&amp;").replaceAll("<", "&lt;");
      const element = /** @type {FakeElement} */ (child);
      const attributes = element.attributes.map(({ name, value }) => ` ${name}="${value.replaceAll('"', "&quot;")}"`).join("");
      return `<${element.localName}${attributes}>${VOID.has(element.localName) ? "" : `${serialize(element)}</${element.localName}>`}`;
    })
    .join("");
}

/** @param {string} markup */
function clean(markup) {
  const body = parse(markup);
  sanitize(body, BASE);
  return serialize(body);
}

test("scripts, styles, frames, objects and templates go with their content", () => {
  assert.equal(clean("<p>before<script>alert(1)</script>after</p>"), "<p>beforeafter</p>");
  assert.equal(clean('<div><style>body{display:none}</style><iframe src="https://evil.example/"></iframe>x</div>'), "<div>x</div>");
  assert.equal(clean('<object data="x.swf"><embed src="x.swf"></object><template><script>1</script></template>y'), "y");
  assert.equal(clean("<noscript><p>n</p></noscript><math><mi>x</mi></math><p>z</p>"), "<p>z</p>");
});

test("event handlers and every attribute outside the list are removed", () => {
  assert.equal(clean('<img src="x" onerror="alert(1)">'), "");
  assert.equal(clean('<p class="a" onclick="alert(1)" onmouseover="x" style="color:red" id="i">t</p>'), '<p class="a">t</p>');
  assert.equal(clean('<svg viewBox="0 0 24 24" onload="alert(1)"><path d="M0 0h24" onclick="x"></path></svg>'), '<svg viewBox="0 0 24 24"><path d="M0 0h24"></path></svg>');
  assert.equal(clean('<svg><foreignObject><img src="x" onerror="alert(1)"></foreignObject><use href="#x"></use></svg>'), "<svg></svg>");
  assert.equal(clean('<div data-x="1" data-md-state="open" aria-label="L" formaction="x">d</div>'), '<div data-md-state="open" aria-label="L">d</div>');
});

test("a link keeps its href only for this site's origin: never javascript:, data: or another site", () => {
  assert.equal(clean('<a href="javascript:alert(1)">x</a>'), "<a>x</a>");
  assert.equal(clean('<a href=" JaVaScRiPt:alert(1)">x</a>'), "<a>x</a>");
  assert.equal(clean('<a href="data:text/html,&lt;script>alert(1)&lt;/script>">x</a>'), "<a>x</a>");
  assert.equal(clean('<a href="https://evil.example/aimss/">x</a>'), "<a>x</a>");
  assert.equal(clean('<a href="//evil.example/">x</a>'), "<a>x</a>");
  assert.equal(clean('<a href="../offline/?h=duloxetine#x">x</a>'), '<a href="../offline/?h=duloxetine#x">x</a>');
  assert.equal(clean('<a href="https://intranet.example/guidelines/">x</a>'), '<a href="https://intranet.example/guidelines/">x</a>');
});

test("other elements give their cleaned content; comments go", () => {
  assert.equal(clean("<section><table><tr><td>cell <b>bold</b></td></tr></table></section>"), "cell bold");
  assert.equal(clean("<p>a<!-- note -->b<blink><img src=x onerror=alert(1)>c</blink></p>"), "<p>abc</p>");
  assert.equal(clean("<custom-tag onclick=x><em>e</em></custom-tag>"), "<em>e</em>");
});

test("Material's search results survive unchanged", () => {
  // What Material 9.8.2's renderSearchResultItem builds (templates/search/index.tsx), with the
  // search index's HTML (p, code, pre, ul, ol, li, sub, sup) and the worker's <mark>s.
  const result =
    '<li class="md-search-result__item">' +
    '<a href="../../aimss/?h=duloxetine" class="md-search-result__link" tabindex="-1">' +
    '<article class="md-search-result__article md-typeset" data-md-score="41.27">' +
    '<div class="md-search-result__icon md-icon"></div><h1>AIMSS: <mark data-md-highlight="">duloxetine</mark></h1>' +
    "</article></a>" +
    '<a href="../../aimss/?h=duloxetine#management" class="md-search-result__link" tabindex="-1">' +
    '<article class="md-search-result__article md-typeset" data-md-score="12.00"><h2>Management</h2>' +
    '<p>Consider <mark data-md-highlight="">duloxetine</mark> 30 mg <code>daily</code>, H<sub>2</sub>O, x<sup>2</sup></p>' +
    "<ul><li>one</li></ul><ol><li>two</li></ol><pre><code>code</code></pre>" +
    '<nav class="md-tags"><span class="md-tag md-tag-icon">tag</span></nav>' +
    '<p class="md-search-result__terms">Missing: <del>weeks</del></p>' +
    "</article></a>" +
    '<details class="md-search-result__more"><summary tabindex="-1"><div>2 more on this page</div></summary>' +
    '<a href="../../aimss/#plan" class="md-search-result__link" tabindex="-1"><article class="md-search-result__article md-typeset" data-md-score="3.10"><h2>Plan</h2><p><em>e</em> <strong>s</strong></p></article></a>' +
    "</details></li>";
  assert.equal(clean(result), result);
  assert.equal(clean(""), "");
});
