// @vitest-environment jsdom
// The DOM side of prior blocking (jsdom does not run scripts: this checks the rewriting; Chromium runs them in tests/e2e).
import { beforeAll, describe, expect, it } from 'vitest';
import { installGuard, park } from '../../../src/banner/guard.ts';
import { release } from '../../../src/banner/blocking.ts';
import { urlMatcher } from '../../../src/banner/patterns.ts';
import type { HeadRuntime } from '../../../src/banner/runtime.ts';
import { cat, SEEDED } from './helpers.ts';

const rt: HeadRuntime = {
  cfg: {}, s: null, g: null,
  m: urlMatcher([...SEEDED.slice(0, 2), cat('marketing', { blockPatterns: ['pixel.example'] })]),
  u: () => {},
};

function script(src: string, type?: string): HTMLScriptElement {
  const s = document.createElement('script');
  if (type) s.setAttribute('type', type);
  s.setAttribute('src', src);
  return s;
}

describe('guard', () => {
  beforeAll(() => installGuard(rt));

  it('parks a tracker script before it is connected, keeping its type', () => {
    const s = script('https://www.googletagmanager.com/gtag/js?id=G-1', 'module');
    document.head.appendChild(s);
    expect(s.getAttribute('type')).toBe('text/plain');
    expect(s.dataset.type).toBe('module');
    expect(s.dataset.category).toBe('analytics');
  });

  it('catches every insertion method and fragments', () => {
    const a = script('https://connect.facebook.net/en_US/fbevents.js');
    const ref = document.body.appendChild(document.createElement('div'));
    document.body.insertBefore(a, ref);
    const b = script('https://pixel.example/p.js');
    ref.after(b);
    const frag = document.createDocumentFragment();
    const c = script('https://static.hotjar.com/c/h.js');
    frag.append(c);
    ref.append(frag);
    const f = document.createElement('iframe');
    f.setAttribute('src', 'https://www.youtube.com/embed/1');
    ref.prepend(f);
    for (const el of [a, b, c]) expect(el.getAttribute('type')).toBe('text/plain');
    expect([a.dataset.category, b.dataset.category, c.dataset.category]).toEqual(['marketing', 'marketing', 'analytics']);
    expect(f.hasAttribute('src')).toBe(false);
    expect(f.dataset.src).toBe('https://www.youtube.com/embed/1');
  });

  it('lets granted categories, unknown scripts and inline scripts through', () => {
    rt.g = { necessary: true, analytics: true, marketing: false };
    const granted = script('https://www.google-analytics.com/analytics.js');
    const own = script('/wp-content/themes/x/app.js');
    const inline = document.createElement('script');
    inline.textContent = 'var x = 1';
    document.body.append(granted, own, inline);
    for (const el of [granted, own, inline]) expect(el.hasAttribute('type')).toBe(false);
    rt.g = null;
  });

  it('respects the category the page gave an element', () => {
    const s = script('https://www.google-analytics.com/analytics.js');
    s.dataset.category = 'marketing';
    park(s, { ...rt, g: { marketing: true } });
    expect(s.hasAttribute('type')).toBe(false);
    park(s, rt);
    expect(s.type).toBe('text/plain');
    expect(s.dataset.category).toBe('marketing');
  });

  it('checks a detached tree when it is connected', () => {
    const holder = document.createElement('div');
    const inner = document.createElement('div');
    const s = script('https://snap.licdn.com/li.lms-analytics/insight.min.js');
    inner.appendChild(s);
    holder.appendChild(inner);
    expect(s.hasAttribute('type')).toBe(false);
    document.body.appendChild(holder);
    expect(s.getAttribute('type')).toBe('text/plain');
    expect(s.dataset.category).toBe('marketing');
  });

  it('parks a connected script or iframe that gets its URL afterwards', () => {
    const s = document.createElement('script');
    document.head.appendChild(s);
    s.src = 'https://www.clarity.ms/tag/abc';
    expect(s.getAttribute('type')).toBe('text/plain');
    expect(s.dataset.category).toBe('analytics');
    const f = document.createElement('iframe');
    document.body.appendChild(f);
    f.src = 'https://www.youtube.com/embed/2';
    expect(f.hasAttribute('src')).toBe(false);
    expect(f.dataset.src).toBe('https://www.youtube.com/embed/2');
    const viaAttribute = document.createElement('script');
    document.head.appendChild(viaAttribute);
    viaAttribute.setAttribute('SRC', 'https://connect.facebook.net/x.js');
    expect(viaAttribute.getAttribute('type')).toBe('text/plain');
    expect(viaAttribute.getAttribute('src')).toBe('https://connect.facebook.net/x.js');
    const frameViaAttribute = document.createElement('iframe');
    document.body.appendChild(frameViaAttribute);
    frameViaAttribute.setAttribute('src', 'https://player.vimeo.com/video/9');
    expect(frameViaAttribute.hasAttribute('src')).toBe(false);
    expect(frameViaAttribute.dataset.src).toBe('https://player.vimeo.com/video/9');
    const own = document.createElement('script');
    document.head.appendChild(own);
    own.src = '/app.js';
    expect(own.hasAttribute('type')).toBe(false);
    expect(own.getAttribute('src')).toBe('/app.js');
  });

  it('parks parser-style insertions seen by the observer', async () => {
    const holder = document.createElement('div');
    holder.innerHTML = '<iframe src="https://player.vimeo.com/video/1"></iframe>';
    document.body.append(holder);
    await Promise.resolve();
    expect(holder.querySelector('iframe')!.dataset.src).toBe('https://player.vimeo.com/video/1');
  });
});

describe('release', () => {
  it('releases only granted elements, in document order, once', async () => {
    // jsdom loads no files, so no external script here: release awaits each one's load.
    document.head.innerHTML = '';
    document.body.innerHTML = `
      <script type="text/plain" data-category="analytics" id="one">1</script>
      <script type="text/plain" data-category="marketing" id="two">2</script>
      <script type="text/plain" data-category="analytics" data-type="module" id="three">3</script>
      <iframe data-src="/frame" data-category="analytics" id="four"></iframe>`;
    // As in the page: the choice is in the runtime (the guard lets granted URLs through) before release.
    rt.g = { analytics: true };
    await release((k) => k === 'analytics');
    rt.g = null;
    const $ = (id: string) => document.getElementById(id)!;
    expect($('one').hasAttribute('type')).toBe(false);
    expect($('two').getAttribute('type')).toBe('text/plain');
    expect($('three').getAttribute('type')).toBe('module');
    expect($('four').getAttribute('src')).toBe('/frame');
    expect($('four').hasAttribute('data-src')).toBe(false);
    expect([...document.body.children].map((e) => e.id)).toEqual(['one', 'two', 'three', 'four']);
  });
});
