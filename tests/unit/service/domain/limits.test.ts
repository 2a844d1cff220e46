import { describe, expect, it } from 'vitest';
import { checkRate, ipWindow, planWindows, siteWindow, windowStart, type RateWindow } from '../../../../src/service/domain/limits.ts';
import { MemoryRateCounter } from '../../../../src/service/store/memory-counter.ts';

const limitsOf = (windows: RateWindow[]) => windows.map(({ limit, windowMs }) => [limit, windowMs]);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('plan windows', () => {
  it('give pro its budgets: reads whole, writes a half, deletes a fifth, bulk a tenth; exports 10 a minute', () => {
    expect(limitsOf(planWindows('acc_1', 'pro', 'read'))).toEqual([[200, S], [100, M], [3000, H], [50_000, D]]);
    expect(limitsOf(planWindows('acc_1', 'pro', 'write'))).toEqual([[100, S], [50, M], [1500, H], [25_000, D]]);
    expect(limitsOf(planWindows('acc_1', 'pro', 'delete'))).toEqual([[40, S], [20, M], [600, H], [10_000, D]]);
    expect(limitsOf(planWindows('acc_1', 'pro', 'bulk'))).toEqual([[20, S], [10, M], [300, H], [5000, D]]);
    expect(limitsOf(planWindows('acc_1', 'pro', 'export'))).toEqual([[10, M]]);
  });

  it('scale by plan: enterprise ×10, enterprise_plus ×100 a minute; self-hosted has none', () => {
    expect(planWindows('acc_1', 'enterprise', 'read')[1]!.limit).toBe(1000);
    expect(planWindows('acc_1', 'enterprise_plus', 'read')[1]!.limit).toBe(10_000);
    expect(planWindows('acc_1', 'self_hosted', 'read')).toEqual([]);
    expect(planWindows('acc_1', 'self_hosted', 'export')).toEqual([]);
  });

  it('count each account and class apart', () => {
    const keys = new Set([...planWindows('acc_1', 'pro', 'read'), ...planWindows('acc_2', 'pro', 'read'), ...planWindows('acc_1', 'pro', 'write')].map((w) => w.key));
    expect(keys.size).toBe(12);
  });
});

describe('the per-address window', () => {
  it('is one minute per address, and none when the limit is 0', () => {
    expect(ipWindow('198.51.100.7', 500, 64)).toEqual([{ key: 'ip:198.51.100.7', limit: 500, windowMs: M }]);
    expect(ipWindow('198.51.100.7', 0, 64)).toEqual([]);
  });

  it('is one minute per IPv6 network of the prefix', () => {
    expect(ipWindow('2001:db8:1:2::7', 500, 64)).toEqual([{ key: 'ip:2001:db8:1:2:0:0:0:0/64', limit: 500, windowMs: M }]);
    expect(ipWindow('2001:db8:1:2:ffff::1', 500, 64)[0]!.key).toBe(ipWindow('2001:db8:1:2::7', 500, 64)[0]!.key);
    expect(ipWindow('2001:db8:1:3::7', 500, 64)[0]!.key).not.toBe(ipWindow('2001:db8:1:2::7', 500, 64)[0]!.key);
  });
});

describe('the per-site window', () => {
  it('is one minute per site and route, and none when the cap is 0', () => {
    expect(siteWindow('site_1', '/api/v1/heartbeat', 6000)).toEqual([{ key: 'site:site_1:/api/v1/heartbeat', limit: 6000, windowMs: M }]);
    expect(siteWindow('site_1', '/api/v1/consent/log', 6000)[0]!.key).not.toBe(siteWindow('site_1', '/api/v1/heartbeat', 6000)[0]!.key);
    expect(siteWindow('site_1', '/api/v1/heartbeat', 0)).toEqual([]);
  });
});

describe('checkRate', () => {
  const now = Date.UTC(2026, 10, 23, 10, 0, 15); // 15 s into a minute

  it('allows up to the limit, then refuses with the seconds left in the window', async () => {
    const counter = new MemoryRateCounter();
    const windows = ipWindow('203.0.113.9', 3, 64);
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await checkRate(counter, windows, now));
    expect(decisions.map((d) => [d!.allowed, d!.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    expect(decisions[3]).toMatchObject({ limit: 3, retryAfter: 45, resetAt: windowStart(now, M) + M });
    expect((await checkRate(counter, windows, now + 45 * S))!.allowed).toBe(true); // the next minute
    await counter.close();
  });

  it('shows the tightest window and waits for the longest one that is over', async () => {
    const counter = new MemoryRateCounter();
    const windows: RateWindow[] = [{ key: 'a:s', limit: 5, windowMs: S }, { key: 'a:m', limit: 2, windowMs: M }];
    await checkRate(counter, windows, now);
    const second = await checkRate(counter, windows, now);
    expect(second).toMatchObject({ allowed: true, limit: 2, remaining: 0 });
    const third = await checkRate(counter, windows, now);
    expect(third).toMatchObject({ allowed: false, limit: 2, retryAfter: 45 });
    await counter.close();
  });

  it('decides nothing when there is no window (no limit)', async () => {
    const counter = new MemoryRateCounter();
    expect(await checkRate(counter, [], now)).toBeNull();
    await counter.close();
  });

  it('starts windows on their boundaries, the same on every instance', () => {
    expect(windowStart(now, M)).toBe(Date.UTC(2026, 10, 23, 10, 0, 0));
    expect(windowStart(now, H)).toBe(Date.UTC(2026, 10, 23, 10, 0, 0));
    expect(windowStart(now, D)).toBe(Date.UTC(2026, 10, 23));
  });
});
