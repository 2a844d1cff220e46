/**
 * The public API of the banner, also on `window.Consentry`:
 * `show()`, `hide()`, `showPreferences()`, `hidePreferences()`,
 * `acceptedCategory(key)`, `getConsent()`, `setConsent(choices)`, `on(event, cb)`.
 */
import type { ConsentChoices, ConsentState } from './config.ts';
import { boot, choose, state } from './core.ts';

export { hide, hidePreferences, on, show, showPreferences } from './core.ts';
export type { Listener } from './core.ts';
export type * from './config.ts';

/** Whether the visitor's valid choice grants a category (false before any choice). */
export function acceptedCategory(key: string): boolean {
  // `=== true`: a name of Object.prototype (`constructor`) is never a granted category.
  return state()?.categories[key] === true;
}

/** A copy of the visitor's valid choice, or null before any choice. */
export function getConsent(): ConsentState | null {
  return state();
}

/** Records a choice made elsewhere (a page's own form): like Save in the preference centre. */
export function setConsent(choices: ConsentChoices): void {
  choose(choices, 'save');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
