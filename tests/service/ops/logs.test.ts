import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../harness.ts';
import { BUNDLE, cli, testStore } from '../process.ts';
import { Receiver } from '../receiver.ts';

const VISITOR_IP = '203.0.113.77';

describe('the service log', () => {
  it('never carries a secret key, a public key in full, a raw visitor address or a webhook secret, even at trace level', { timeout: 90_000 }, async () => {
    const db = await testStore('logs');
    const { secretKey, accountId } = cli(['accounts', 'create', '--name', 'Logs', ...db]);
    const second = cli(['keys', 'create', '--account', accountId, '--name', 'second', ...db]).secretKey as string;
    const receiver = new Receiver(1);
    await receiver.start();
    const child = spawn(process.execPath, [BUNDLE, 'serve', '--port', '0', ...db, '--log-level', 'trace'], {
      env: { ...process.env, CONSENTRY_IP_RATE_LIMIT: '40', CONSENTRY_WEBHOOK_ALLOW_PRIVATE: '1', CONSENTRY_WEBHOOK_RETRY_BASE_MS: '50' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    const base = await new Promise<string>((resolve, reject) => {
      const onData = () => {
        const match = /listening on (http:\/\/\S+)/.exec(log);
        if (match) resolve(`${match[1]}/api/v1`);
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`service exited with ${code}: ${log}`)));
    });
    const call = async (method: string, path: string, { key, body, headers = {} }: { key?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'x-forwarded-for': VISITOR_IP, ...(key && { authorization: `Bearer ${key}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json().catch(() => null) as any };
    };
    const secrets: string[] = [secretKey, second];
    try {
      const site = (await call('POST', '/sites', { key: secretKey, body: { name: 'Logs', domain: 'logs.example.com' } })).body.site;
      secrets.push(site.publicKey);
      const hook = await call('POST', '/webhooks', { key: secretKey, body: { url: receiver.url, events: ['consent.given', 'consent.rejected'] } });
      expect(hook.status).toBe(201);
      receiver.secret = hook.body.secret;
      secrets.push(hook.body.secret);
      const rotated = await call('POST', `/sites/${site.id}/public-key/rotate`, { key: secretKey });
      const publicKey = rotated.body.site.publicKey as string;
      secrets.push(publicKey);

      await call('GET', `/banner/${publicKey}`);
      await call('GET', `/banner/${site.publicKey}`); // the old key: 404, with the key in the URL
      for (let i = 0; i < 5; i++) {
        await call('POST', '/consent/log', { body: { api_key: publicKey, consentId: `cid_logs_${i}`, action: 'accept_all', categories: { analytics: true }, policyVersion: '1' } });
        await call('POST', '/consent/log?x=1', { headers: { 'x-api-key': publicKey }, body: { consentId: `cid_logq_${i}`, action: 'reject_all', categories: {}, policyVersion: '1' } });
        await call('POST', '/heartbeat', { body: { api_key: publicKey, session_id: `session_${i}_abc`, page_url: 'https://logs.example.com/' } });
      }
      await call('GET', `/sites?api_key=${secretKey}`);
      await call('GET', '/sites', { key: `${secretKey.slice(0, -2)}xx` });
      await call('GET', '/sites', { headers: { 'x-api-key': publicKey } });
      await call('POST', '/consent/log', { body: `{"api_key":"${publicKey}", broken` });
      await call('POST', '/consent/events', { key: second, body: { siteId: site.id, consentId: 'cid_server', action: 'custom', categories: { analytics: false }, policyVersion: '1' } });
      await call('GET', '/account', { key: second });
      await Promise.all(Array.from({ length: 30 }, () => call('GET', '/health'))); // some are refused: 429s are logged too
      // The webhook endpoint fails its first delivery (logged), then takes the retry.
      for (let i = 0; i < 200 && receiver.received.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(receiver.received.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await receiver.stop();
    }
    // The log is really at trace level: every request is in it.
    expect(log).toContain('incoming request');
    expect(log).toContain('request completed');
    expect(log.split('\n').length).toBeGreaterThan(50);
    for (const secret of secrets) {
      expect(log.includes(secret), `a key or secret (${secret.slice(0, 8)}…) is in the log`).toBe(false);
    }
    expect(log).not.toContain(VISITOR_IP);
    expect(log).toMatch(/"remoteAddress":"203\.0\.113\.0"/);
    expect(log).not.toMatch(/whsec_[A-Za-z0-9+/]{8}/);
    if (postgresUrl) expect(log).not.toContain(new URL(postgresUrl).password || '\u0000');
  });
});
