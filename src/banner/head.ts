/**
 * head.js: inlined by the plugin in <head> before any tag. Google Consent
 * Mode defaults, the returning visitor's stored choice, the WP Consent API
 * consent type and the guard against run-time injected trackers.
 */
import type { BannerBootConfig, BannerSiteConfig, ConsentChoices } from './config.ts';
import { consentModeState, isValid, parseConsent, storedChoices } from './consent.ts';
import { installGuard } from './guard.ts';
import { urlMatcher } from './patterns.ts';
import type { HeadRuntime } from './runtime.ts';
import { DISPLAY_CSS, DISPLAY_STORAGE_KEY, type SavedDisplay } from './display/adjust.ts';

function start(w: Window): void {
  let cfg: BannerBootConfig = {};
  try {
    cfg = JSON.parse(document.getElementById('consentry-config')!.textContent!) || {};
  } catch {
    // No or broken config: deny everything, show a banner with the built-in texts.
  }
  const categories = cfg.categories || [];
  const site = cfg.config || {};

  const dataLayer = (w.dataLayer = w.dataLayer || []);
  // gtag must push the `arguments` object itself: that is what Google's tags read.
  const gtag = (w.gtag = w.gtag || function () { dataLayer.push(arguments); });
  gtag('consent', 'default', { ...consentModeState(categories, null), wait_for_update: 500 });

  w.wp_consent_type = 'optin';
  dispatchEvent(new Event('wp_consent_type_defined'));

  const stored = parseConsent(document.cookie);
  const valid = isValid(stored, site, Math.floor(Date.now() / 1000));
  const rt: HeadRuntime = (w.__consentry = {
    cfg,
    s: stored,
    g: valid ? storedChoices(stored, categories) : null,
    m: urlMatcher(categories),
    u: (choices: ConsentChoices) => gtag('consent', 'update', consentModeState(categories, choices)),
  });
  if (rt.g) rt.u(rt.g);
  displayPreferences(site);
  installGuard(rt);
}

/**
 * Display preferences the visitor saved (display/adjust.ts): their stylesheet at once, before the first paint.
 * banner.js then loads the widget, which applies them again and does what a stylesheet cannot (reading guide,
 * pausing media). Nothing saved: nothing is added or fetched.
 */
function displayPreferences(site: BannerSiteConfig): void {
  if (site.displayPreferences?.enabled) try {
    const style = document.createElement('style');
    style.id = DISPLAY_CSS;
    style.textContent = (JSON.parse(localStorage.getItem(DISPLAY_STORAGE_KEY)!) as SavedDisplay).css;
    document.head.append(style);
  } catch {
    // Nothing saved (null has no css), no storage, or not ours: nothing to apply.
  }
}

// Once per page, even when a theme or cache plugin prints the boot twice.
if (!window.__consentry) start(window);
