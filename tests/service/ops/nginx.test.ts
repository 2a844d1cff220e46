import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDebianPackages, TEST_SERVERS } from '../../../scripts/env/debian.ts';
import { postgresUrl } from '../harness.ts';
import { cli, startBundle, stopBundle, testStore } from '../process.ts';

const NGINX = '/usr/sbin/nginx';
const RECIPE = 'plugin/service/consentry.nginx.conf';
/** A load balancer in front of nginx, trusted by the service; the visitors behind it are addresses it forwards. */
const BALANCER = '127.0.0.2';
/** A client connecting straight to nginx, untrusted: what it says in X-Forwarded-For is not believed. */
const DIRECT = '127.0.0.3';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** One HTTPS request to nginx from a chosen loopback address, trusting only the test's certificate. */
function call(port: number, ca: string, from: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request({
      host: '127.0.0.1', port, method, path: `/api/v1${path}`, ca, localAddress: from, agent: false,
      headers: { ...headers, ...(text !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }) },
    }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => { data += c.toString(); });
      res.on('end', () => {
        let parsed: unknown = null;
        try { parsed = JSON.parse(data); } catch { parsed = data; }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

// Not about the store: runs once, in the SQLite project.
describe.skipIf(postgresUrl)('nginx in front of the service (the shipped recipe)', () => {
  it('terminates TLS and passes X-Forwarded-For: the per-address limit and the anonymised address see the visitor', { timeout: 90_000 }, async () => {
    if (!existsSync(NGINX)) ensureDebianPackages(TEST_SERVERS.filter((p) => p.name === 'nginx'));
    const dir = mkdtempSync(join(tmpdir(), 'consentry-nginx-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const ca = readFileSync(cert, 'utf8');

    const db = await testStore('nginx');
    const { secretKey } = cli(['accounts', 'create', '--name', 'Nginx', ...db]);
    const service = await startBundle(db, { CONSENTRY_IP_RATE_LIMIT: '5', CONSENTRY_TRUST_PROXY: `127.0.0.1,${BALANCER}` });
    const servicePort = new URL(service.url).port;
    const port = await freePort();

    // The recipe as shipped, with this test's ports, certificate and folders: the server block is used unchanged otherwise.
    const site = readFileSync(RECIPE, 'utf8')
      .replace('server 127.0.0.1:8787;', `server 127.0.0.1:${servicePort};`)
      .replace(/^\s*listen 443 ssl http2;$/m, `    listen 127.0.0.1:${port} ssl http2;`)
      .replace(/^\s*listen \[::\]:443 ssl http2;$/m, '')
      .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${cert};`)
      .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${key};`);
    expect(site).toContain(`server 127.0.0.1:${servicePort};`);
    expect(site).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    mkdirSync(join(dir, 'temp'));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, `worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  client_body_temp_path ${join(dir, 'temp')};
  proxy_temp_path ${join(dir, 'temp')};
  fastcgi_temp_path ${join(dir, 'temp')};
  uwsgi_temp_path ${join(dir, 'temp')};
  scgi_temp_path ${join(dir, 'temp')};
  ${site}
}
`);
    const tested = spawnSync(NGINX, ['-t', '-c', conf, '-p', dir, '-e', join(dir, 'error.log')], { encoding: 'utf8' });
    expect(tested.status, tested.stderr).toBe(0);
    const nginx: ChildProcess = spawn(NGINX, ['-c', conf, '-p', dir, '-e', join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: 'ignore' });
    try {
      // Ready once it answers (TLS included).
      for (let i = 0; ; i++) {
        const ok = await call(port, ca, BALANCER, 'GET', '/health').then(() => true, () => false);
        if (ok) break;
        if (i > 200) throw new Error(`nginx did not start: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const created = await call(port, ca, BALANCER, 'POST', '/sites', { authorization: `Bearer ${secretKey}`, 'x-forwarded-for': '203.0.113.50' }, { name: 'Nginx', domain: 'nginx.example.com' });
      expect(created.status).toBe(201);
      const { site: made } = created.body;

      // A consent write through the balancer: recorded with the visitor's address, anonymised.
      const consent = await call(port, ca, BALANCER, 'POST', '/consent/log', { 'x-forwarded-for': '203.0.113.9' },
        { api_key: made.publicKey, consentId: 'cid_nginx_1', action: 'accept_all', categories: { analytics: true }, policyVersion: '1' });
      expect(consent.status).toBe(201);
      // A client straight at nginx cannot forge its address: it is recorded as itself.
      const forged = await call(port, ca, DIRECT, 'POST', '/consent/log', { 'x-forwarded-for': '198.51.100.7' },
        { api_key: made.publicKey, consentId: 'cid_nginx_2', action: 'reject_all', categories: {}, policyVersion: '1' });
      expect(forged.status).toBe(201);
      const events = await fetch(`${service.url}/consent/events/${made.id}`, { headers: { authorization: `Bearer ${secretKey}` } }).then((r) => r.json()) as { data: Array<{ consentId: string; ipAnonymized: string }> };
      expect(Object.fromEntries(events.data.map((e) => [e.consentId, e.ipAnonymized]))).toEqual({ cid_nginx_1: '203.0.113.0', cid_nginx_2: '127.0.0.0' });

      // The per-address limit (5 a minute here) counts each visitor behind the balancer apart.
      const visitorA = [];
      for (let i = 0; i < 6; i++) visitorA.push((await call(port, ca, BALANCER, 'GET', '/health', { 'x-forwarded-for': '203.0.113.20' })).status);
      expect(visitorA).toEqual([200, 200, 200, 200, 200, 429]);
      expect((await call(port, ca, BALANCER, 'GET', '/health', { 'x-forwarded-for': '203.0.113.21' })).status).toBe(200);
      // On the visitor lane too.
      const lane = [];
      for (let i = 0; i < 6; i++) {
        lane.push((await call(port, ca, BALANCER, 'POST', '/heartbeat', { 'x-forwarded-for': '203.0.113.30' },
          { api_key: made.publicKey, session_id: `session_nginx_${i}`, page_url: 'https://nginx.example.com/' })).status);
      }
      expect(lane).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      nginx.kill('SIGTERM');
      await once(nginx, 'exit');
      expect(await stopBundle(service.child)).toBe(0);
    }
  });
});
