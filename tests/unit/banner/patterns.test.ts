import { describe, expect, it } from 'vitest';
import { cookieMatches, cookieNames, deletionCookies, deletionDomains, urlMatcher } from '../../../src/banner/patterns.ts';
import { cat, SEEDED } from './helpers.ts';

describe('tracker URLs', () => {
  const match = urlMatcher(SEEDED);

  it('knows the common trackers and their category', () => {
    expect(match('https://www.googletagmanager.com/gtag/js?id=G-1')).toBe('analytics');
    expect(match('https://www.google-analytics.com/analytics.js')).toBe('analytics');
    expect(match('https://static.hotjar.com/c/hotjar-1.js?sv=6')).toBe('analytics');
    expect(match('https://www.clarity.ms/tag/abc')).toBe('analytics');
    expect(match('https://connect.facebook.net/en_US/fbevents.js')).toBe('marketing');
    expect(match('https://googleads.g.doubleclick.net/pagead/id')).toBe('marketing');
    expect(match('https://www.youtube.com/embed/xyz')).toBe('marketing');
    expect(match('https://player.vimeo.com/video/1')).toBe('marketing');
    expect(match('HTTPS://CONNECT.FACEBOOK.NET/x.js')).toBe('marketing');
  });

  it('leaves everything else alone', () => {
    expect(match('https://example.com/wp-includes/js/jquery.js')).toBeUndefined();
    expect(match('https://www.youtube.com/watch?v=1')).toBeUndefined();
  });

  it('lets an admin pattern win over the built-in list; a required category\'s pattern lets its URLs through', () => {
    const m = urlMatcher([
      cat('necessary', { blockPatterns: ['cdn.example.com', 'googletagmanager.com/gtm.js?id=gtm-keep'] }),
      cat('analytics', { blockPatterns: ['Plausible.io', ''] }),
      cat('marketing', { blockPatterns: ['googletagmanager.com/gtm.js'] }),
    ]);
    expect(m('https://plausible.io/js/script.js')).toBe('analytics');
    expect(m('https://www.googletagmanager.com/gtm.js?id=GTM-1')).toBe('marketing');
    expect(m('https://www.googletagmanager.com/gtag/js')).toBe('analytics');
    expect(m('https://cdn.example.com/app.js')).toBeUndefined();
    // Consent Mode advanced: Tag Manager always loads, its tags obey Consent Mode.
    expect(m('https://www.googletagmanager.com/gtm.js?id=GTM-KEEP')).toBeUndefined();
  });

  it('finds the site category of a built-in tracker by its WP Consent API category', () => {
    const m = urlMatcher([cat('necessary'), cat('stats', { wpConsentCategory: 'statistics-anonymous' }), cat('ads', { wpConsentCategory: 'marketing' })]);
    expect(m('https://www.google-analytics.com/g/collect')).toBe('stats');
    expect(m('https://connect.facebook.net/x.js')).toBe('ads');
  });

  it('falls back to the seeded keys when no category maps (they stay blocked: nobody can grant them)', () => {
    const m = urlMatcher([cat('necessary')]);
    expect(m('https://connect.facebook.net/x.js')).toBe('marketing');
    expect(m('https://www.clarity.ms/tag/1')).toBe('analytics');
  });
});

describe('cookie deletion', () => {
  it('matches names exactly, or by prefix with a trailing *', () => {
    expect(cookieMatches('_ga', '_ga')).toBe(true);
    expect(cookieMatches('_gat', '_ga')).toBe(false);
    expect(cookieMatches('_ga_ABC123', '_ga_*')).toBe(true);
    expect(cookieMatches('_ga', '_ga_*')).toBe(false);
    expect(cookieMatches('anything', '*')).toBe(true);
  });

  it('lists cookie names', () => {
    expect(cookieNames('a=1; _ga_X=GS1=2;  b=')).toEqual(['a', '_ga_X', 'b']);
    expect(cookieNames('')).toEqual([]);
  });

  it('tries the host and every parent domain', () => {
    expect(deletionDomains('www.shop.example.com')).toEqual(['', '.www.shop.example.com', '.shop.example.com', '.example.com']);
    expect(deletionDomains('example.com')).toEqual(['', '.example.com']);
    expect(deletionDomains('localhost')).toEqual(['']);
    expect(deletionDomains('127.0.0.1')).toEqual(['']);
    expect(deletionDomains('[::1]')).toEqual(['']);
  });

  it('expires each matching cookie on each domain, and nothing else', () => {
    const out = deletionCookies('_ga=1; _ga_ABC=2; keep=3; consentry_consent=x', ['_ga', '_ga_*'], 'www.example.com');
    expect(out).toEqual([
      '_ga=;path=/;max-age=0', '_ga=;path=/;max-age=0;domain=.www.example.com', '_ga=;path=/;max-age=0;domain=.example.com',
      '_ga_ABC=;path=/;max-age=0', '_ga_ABC=;path=/;max-age=0;domain=.www.example.com', '_ga_ABC=;path=/;max-age=0;domain=.example.com',
    ]);
    expect(deletionCookies('keep=1', ['_ga*'], 'example.com')).toEqual([]);
  });
});
