/**
 * Prior blocking: `<script type="text/plain" data-category>` (src, data-src or
 * inline) and `<iframe data-src data-category>` run or load once their
 * category is granted, in document order, each once. External scripts are
 * awaited one by one so that a later inline script finds what it needs.
 */
import { BLOCKED } from './runtime.ts';

let queue: Promise<void> = Promise.resolve();

/** Releases every blocked element whose category `granted` accepts; later calls wait for earlier ones. */
export function release(granted: (key: string) => boolean): Promise<void> {
  return (queue = queue.then(async () => {
    for (const el of document.querySelectorAll<HTMLElement>(BLOCKED)) {
      if (el.isConnected && granted(el.dataset.category!)) await run(el);
    }
  }));
}

async function run(el: HTMLElement): Promise<void> {
  const d = el.dataset;
  if (el.tagName === 'IFRAME') {
    el.setAttribute('src', d.src!);
    el.removeAttribute('data-src');
    return;
  }
  // A script whose type was not JavaScript never started: once its type is
  // JavaScript, connecting it again runs it (and keeps its handlers).
  const s = el as HTMLScriptElement;
  if (d.type) s.type = d.type;
  else s.removeAttribute('type');
  if (d.src) s.src = d.src;
  const done = s.src && new Promise((resolve) => {
    s.addEventListener('load', resolve);
    s.addEventListener('error', resolve);
  });
  s.parentNode!.insertBefore(s, s.nextSibling);
  await done;
}

/** Blocked elements added later are released as soon as they appear, when already granted. */
export function watch(granted: (key: string) => boolean): void {
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n instanceof Element && (n.matches(BLOCKED) || n.querySelector(BLOCKED))) {
          release(granted);
          return;
        }
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
}
