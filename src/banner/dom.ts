/** The two DOM helpers the banner and the display widget build their markup with (each bundle carries its own copy). */
export const doc = document;
export const CLICK = 'click';

/** An element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  for (const k in attrs) el.setAttribute(k, attrs[k]!);
  el.append(...children);
  return el;
}

/** A `type="button"` button that calls `onClick`. */
export function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener(CLICK, onClick);
  return b;
}
