/**
 * Catches tracker scripts and iframes that other scripts add at run time
 * (a tag manager adding a pixel) and parks them in the blocked form that
 * banner.js releases in order once their category is granted.
 *
 * Three nets, because each misses what the others catch:
 * - the DOM insertion methods are wrapped, so an element added by script is
 *   rewritten *before* it is connected (a script starts loading the moment it
 *   is connected; a MutationObserver would see it too late);
 * - the `src` setters of script and iframe and `setAttribute` are wrapped,
 *   for a script or iframe that is connected first and given its URL afterwards;
 * - a MutationObserver rewrites elements the parser inserts (a hard-coded tag
 *   in the theme): its callback runs at the microtask checkpoint before the
 *   parser prepares the script, so the script never runs (the approach of
 *   the `yett` library). The preload scanner may still fetch the file, and
 *   an iframe written into the HTML may have started loading: the plugin's
 *   server-side blocking covers those.
 */
import type { HeadRuntime } from './runtime.ts';
import { debug } from './debug.ts';

/** The category `el` must wait for before loading `url`, when it is not granted yet. */
function blockedKey(el: Element, url: string, rt: HeadRuntime): string | undefined {
  const key = el.getAttribute('data-category') || rt.m(url);
  return key && !rt.g?.[key] ? key : undefined;
}

/** The blocked form: a script keeps its URL under a non-JavaScript type; an iframe's URL moves to data-src. */
function block(el: Element, key: string, url: string): void {
  debug('blocked', key, url);
  el.setAttribute('data-category', key);
  if (el.tagName === 'SCRIPT') {
    const type = el.getAttribute('type');
    if (type) el.setAttribute('data-type', type);
    el.setAttribute('type', 'text/plain');
  } else {
    el.setAttribute('data-src', url);
    el.removeAttribute('src');
  }
}

const isParked = (el: Element): boolean => el.getAttribute('type') === 'text/plain';

/** Rewrites one element in place when it is a tracker whose category is not granted. */
export function park(el: Element, rt: HeadRuntime): void {
  const tag = el.tagName;
  if (tag !== 'SCRIPT' && tag !== 'IFRAME') return;
  const src = el.getAttribute('src');
  if (!src || isParked(el)) return;
  const key = blockedKey(el, (el as HTMLScriptElement).src || src, rt);
  if (key) block(el, key, src);
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
      (proto as Record<string, unknown>)[name] = function (this: Node, ...args: unknown[]) {
        // Only an insertion into the document can start a load: building a
        // detached tree costs nothing here, its final insertion is checked whole.
        if (this.isConnected) for (const a of args) parkAll(a, rt);
        return original.apply(this, args);
      };
    }
  };
  wrap(Node.prototype, ['appendChild', 'insertBefore', 'replaceChild']);
  wrap(Element.prototype, ['append', 'prepend', 'before', 'after', 'replaceWith', 'insertAdjacentElement']);
  // A URL given to a connected script or iframe loads at once: park first, then let the URL in (a parked iframe keeps it in data-src).
  const setUrl = (el: Element, url: unknown, apply: () => void) => {
    const key = el.isConnected && !isParked(el) ? blockedKey(el, String(url), rt) : undefined;
    if (key) block(el, key, String(url));
    if (!key || el.tagName === 'SCRIPT') apply();
  };
  for (const C of [HTMLScriptElement, HTMLIFrameElement]) {
    const d = Object.getOwnPropertyDescriptor(C.prototype, 'src');
    if (!d?.set) continue;
    const set = d.set;
    Object.defineProperty(C.prototype, 'src', {
      ...d,
      set(this: Element, url: string) {
        setUrl(this, url, () => set.call(this, url));
      },
    });
  }
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    if (/^src$/i.test(name) && /^(SCRIPT|IFRAME)$/.test(this.tagName)) setUrl(this, value, () => setAttribute.call(this, name, value));
    else setAttribute.call(this, name, value);
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) parkAll(n, rt);
  }).observe(document.documentElement, { childList: true, subtree: true });
}
