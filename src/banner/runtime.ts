/**
 * What head.js hands to banner.js on `window.__consentry`. The two bundles are
 * built apart, so these property names are plain (never mangled).
 */
import type { BannerBootConfig, ConsentChoices } from './config.ts';
import type { StoredConsent } from './consent.ts';

export interface HeadRuntime {
  /** The parsed boot config. */
  cfg: BannerBootConfig;
  /** The stored consent cookie as parsed (valid or not), for its id. */
  s: StoredConsent | null;
  /** The valid choice, or null while the visitor has not decided; the guard reads it live. */
  g: ConsentChoices | null;
  /** Category key of a script/iframe URL, or undefined when not a known tracker. */
  m: (url: string) => string | undefined;
  /** Send a Google Consent Mode `update` for a choice. */
  u: (choices: ConsentChoices) => void;
}

declare global {
  interface Window {
    __consentry?: HeadRuntime;
    /** display.js, once loaded. */
    ConsentryDisplay?: { open(opener?: HTMLElement | null): void };
    dataLayer?: unknown[];
    gtag?: (...args: unknown[]) => void;
    wp_consent_type?: string;
    wp_set_consent?: (category: string, value: 'allow' | 'deny') => void;
  }
  interface Navigator {
    globalPrivacyControl?: boolean;
  }
}

/** The selector of everything still waiting for consent. */
export const BLOCKED = 'script[type="text/plain"][data-category],iframe[data-src][data-category]';
