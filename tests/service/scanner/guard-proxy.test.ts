/**
 * The scanning browser's proxy when private addresses are not allowed: it
 * refuses loopback targets (plain HTTP and CONNECT tunnels), and passes
 * traffic through when they are allowed.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGuardProxy } from '../../../src/service/scanner/guard-proxy.ts';
import { startFixtureSite, type FixtureSite } from './fixture-site.ts';

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(() => site.close());

/** A GET through the proxy: its status and body. */
function viaProxy(proxyUrl: string, target: string): Promise<{ status: number; body: string }> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.hostname, port: proxy.port, path: target, headers: { host: new URL(target).host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A CONNECT through the proxy: the status line it answers. */
function tunnel(proxyUrl: string, authority: string): Promise<number> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: authority });
    req.on('connect', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the guard proxy', () => {
  it('refuses private addresses, by literal address and by name, over HTTP and CONNECT', async () => {
    const proxy = await startGuardProxy(false);
    try {
      const port = new URL(site.origin).port;
      expect((await viaProxy(proxy.url, site.url('/'))).status).toBe(403);
      expect((await viaProxy(proxy.url, `http://localhost:${port}/`)).status).toBe(403);
      expect(await tunnel(proxy.url, `127.0.0.1:${port}`)).toBe(403);
      expect(await tunnel(proxy.url, `localhost:${port}`)).toBe(403);
      expect(site.requests).toEqual([]);
      expect(proxy.refused.length).toBe(4);
    } finally {
      await proxy.close();
    }
  });

  it('passes traffic through when private addresses are allowed', async () => {
    const proxy = await startGuardProxy(true);
    try {
      const home = await viaProxy(proxy.url, site.url('/'));
      expect(home.status).toBe(200);
      expect(home.body).toContain('Fixture home');
      expect(await tunnel(proxy.url, `127.0.0.1:${new URL(site.origin).port}`)).toBe(200);
    } finally {
      await proxy.close();
    }
  });
});
