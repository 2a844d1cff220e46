/**
 * Catches tracker scripts and iframes that other scripts add at run time
 * (a tag manager adding a pixel) and parks them in the blocked form that
 * banner.js releases in order once their category is granted.
 *
 * Two nets, because each misses what the other catches:
 * - the DOM insertion methods are wrapped, so an element added by script is
 *   rewritten *before* it is connected (a script starts loading the moment it
 *   is connected; a MutationObserver would see it too late);
 * - a MutationObserver rewrites elements the parser inserts (a hard-coded tag
 *   in the theme): its callback runs at the microtask checkpoint before the
 *   parser prepares the script, so the script never runs (the approach of
 *   the `yett` library). The preload scanner may still fetch the file.
 */
import type { HeadRuntime } from './runtime.ts';
import { debug } from './debug.ts';

/** Rewrites one element in place when it is a tracker whose category is not granted. */
export function park(el: Element, rt: HeadRuntime): void {
  const tag = el.tagName;
  const isScript = tag === 'SCRIPT';
  if (!isScript && tag !== 'IFRAME') return;
  const src = el.getAttribute('src');
  if (!src || (isScript && (el as HTMLScriptElement).type === 'text/plain')) return;
  const key = el.getAttribute('data-category') || rt.m((el as HTMLScriptElement).src || src);
  if (!key || rt.g?.[key]) return;
  debug('blocked', key, src);
  el.setAttribute('data-category', key);
  if (isScript) {
    const type = el.getAttribute('type');
    if (type) el.setAttribute('data-type', type);
    el.setAttribute('type', 'text/plain');
  } else {
    el.setAttribute('data-src', src);
    el.removeAttribute('src');
  }
}

function parkAll(node: unknown, rt: HeadRuntime): void {
  if (!(node instanceof Node)) return;
  if (node instanceof Element) park(node, rt);
  if ('querySelectorAll' in node) for (const el of (node as ParentNode).querySelectorAll('script[src],iframe[src]')) park(el, rt);
}

export function installGuard(rt: HeadRuntime): void {
  const wrap = (proto: object, names: string[]) => {
    for (const name of names) {
      const original = (proto as Record<string, (...a: unknown[]) => unknown>)[name];
      if (!original) continue;
      (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
        for (const a of args) parkAll(a, rt);
        return original.apply(this, args);
      };
    }
  };
  wrap(Node.prototype, ['appendChild', 'insertBefore', 'replaceChild']);
  wrap(Element.prototype, ['append', 'prepend', 'before', 'after', 'replaceWith', 'insertAdjacentElement']);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) parkAll(n, rt);
  }).observe(document.documentElement, { childList: true, subtree: true });
}
