// Building DOM nodes from text, never from HTML: nothing the engine or a URL says is parsed
// as markup.

/**
 * An element with attributes and children (text or nodes).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attributes]
 * @param {...(Node | string)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/**
 * The element a selector finds inside `root`; a missing one is a template mistake, said at once.
 * @template {Element} [E=HTMLElement]
 * @param {ParentNode} root
 * @param {string} selector
 * @returns {E}
 */
export function required(root, selector) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`the calculator template has no ${selector}`);
  return /** @type {E} */ (/** @type {unknown} */ (found));
}
