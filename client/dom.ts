/** The element matching `selector`, or a clear error naming what the page is missing. */
export function required<T extends Element>(
  selector: string,
  type: { new (): T; name: string },
  root: ParentNode = document,
): T {
  const element = root.querySelector(selector);
  if (!(element instanceof type)) {
    throw new Error(`the page has no ${type.name} matching "${selector}"`);
  }
  return element;
}

/** A new element with a class and, optionally, its text. */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text = '',
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}
