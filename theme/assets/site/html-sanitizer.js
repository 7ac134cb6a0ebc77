// The HTML allowlist of the Trusted Types "default" policy (assets/site/trusted-types.js).
//
// The site's own code writes no HTML: it builds the DOM with createElement and textContent.
// Material 9.8.2's bundle does write strings to innerHTML: its JSX helper appends a string child
// with `innerHTML +=` (search results: a document's title and text, which are HTML from the
// search index, with <mark> around the words found), and it clears the result list with
// `innerHTML = ""`. Under `require-trusted-types-for 'script'` such a string reaches the
// "default" policy, whose createHTML gives back this file's `sanitize` of it: never the string
// unchanged.
//
// `sanitize(body, base)` cleans a parsed, inert tree in place (the caller parses the string with
// DOMParser: no script runs and nothing loads in such a document) and keeps only what Material's
// search results and components use:
// * elements: article div span p a mark h1 h2 h3 ul ol li nav code pre em strong sub sup del
//   details summary, and svg with path; any other element is removed with its content when it
//   can run, load or style something (script, style, iframe, object, embed, template, img, svg's
//   foreignObject, math, form controls...), or else replaced by its content;
// * attributes: class, title, tabindex, role, lang, dir, aria-*, data-md-*, an <a>'s href
//   (a URL of this page's origin only: relative, or http(s) to the same origin; never
//   javascript:, data: or another site), <details open>, <ol start>, svg's viewBox,
//   aria-hidden and a path's d; every other attribute (on*, style, src, srcset, id, form...)
//   is removed.
// A classic script (before any other, see theme/main.html); Node's tests load it as it is
// (tests/js/html-sanitizer.test.mjs).
(function (scope) {
  "use strict";

  var HTML = "http://www.w3.org/1999/xhtml";
  var SVG = "http://www.w3.org/2000/svg";

  /** Elements kept (HTML namespace). */
  var HTML_ELEMENTS = [
    "article", "div", "span", "p", "a", "mark", "h1", "h2", "h3", "ul", "ol", "li", "nav",
    "code", "pre", "em", "strong", "sub", "sup", "del", "details", "summary",
  ];
  /** Elements kept (SVG namespace): Material's inline icons. */
  var SVG_ELEMENTS = ["svg", "path"];
  /** Elements removed with everything in them (any namespace). */
  var REMOVED_WITH_CONTENT = [
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "template",
    "noscript", "noembed", "noframes", "xmp", "plaintext", "title", "textarea", "select", "option",
    "button", "input", "form", "img", "image", "picture", "source", "video", "audio", "track",
    "canvas", "link", "meta", "base", "math", "foreignobject", "use", "animate", "set",
    "animatetransform", "animatemotion", "annotation-xml", "portal", "fencedframe",
  ];
  /** Attributes kept on any kept element, besides aria-* and data-md-*. */
  var ATTRIBUTES = ["class", "title", "tabindex", "role", "lang", "dir"];
  /** Attributes kept on one element only (an <a>'s href is checked besides). */
  /** @type {Record<string, string[]>} */
  var ELEMENT_ATTRIBUTES = {
    a: ["href"],
    details: ["open"],
    ol: ["start"],
    svg: ["viewbox", "aria-hidden", "width", "height"],
    path: ["d"],
  };

  /**
   * An href kept: a URL of the page's own origin (relative, or absolute http(s) to it).
   * @param {string} value
   * @param {string} base the page's base URL
   * @returns {boolean}
   */
  function sameOriginLink(value, base) {
    var url;
    try {
      url = new URL(value, base);
    } catch (error) {
      return false;
    }
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === new URL(base).origin;
  }

  /**
   * @param {Element} element
   * @param {string} base
   */
  function cleanAttributes(element, base) {
    var name = element.localName.toLowerCase();
    var own = ELEMENT_ATTRIBUTES[name] || [];
    for (var attribute of Array.from(element.attributes)) {
      var key = attribute.name.toLowerCase();
      var kept =
        attribute.namespaceURI === null &&
        (ATTRIBUTES.indexOf(key) >= 0 ||
          own.indexOf(key) >= 0 ||
          /^aria-[a-z]+$/.test(key) ||
          /^data-md-[a-z0-9-]+$/.test(key));
      if (kept && key === "href") kept = sameOriginLink(attribute.value, base);
      if (!kept) element.removeAttributeNode(attribute);
    }
  }

  /**
   * Cleans, in place, the children of `parent` (an element or a body of an inert document).
   * @param {Node} parent
   * @param {string} base the page's base URL (an <a>'s href must be of its origin)
   */
  function sanitize(parent, base) {
    var child = parent.firstChild;
    while (child) {
      var next = child.nextSibling;
      if (child.nodeType === 1) {
        var element = /** @type {Element} */ (child);
        var name = element.localName.toLowerCase();
        var allowed =
          (element.namespaceURI === HTML && HTML_ELEMENTS.indexOf(name) >= 0) ||
          (element.namespaceURI === SVG && SVG_ELEMENTS.indexOf(name) >= 0);
        if (allowed) {
          cleanAttributes(element, base);
          sanitize(element, base);
        } else if (REMOVED_WITH_CONTENT.indexOf(name) >= 0 || element.namespaceURI !== HTML) {
          parent.removeChild(element);
        } else {
          // An element not listed (a <table>, a <section>, an unknown tag): its content stays,
          // cleaned, in its place; the children are moved, so the walk continues with the first.
          next = element.firstChild || next;
          while (element.firstChild) parent.insertBefore(element.firstChild, element);
          parent.removeChild(element);
        }
      } else if (child.nodeType !== 3) {
        parent.removeChild(child); // comments, processing instructions, CDATA
      }
      child = next;
    }
  }

  /** @type {any} */ (scope).gcHtmlSanitizer = Object.freeze({ sanitize: sanitize, sameOriginLink: sameOriginLink });
})(globalThis);
