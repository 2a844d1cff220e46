import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { step } from '../../../src/service/store/sql.ts';
import { TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

const EVENTS = 100_000;
const ACTIONS = ['accept_all', 'reject_all', 'custom', 'withdraw'];

/** `count` events on the site in one statement (SQLite and PostgreSQL alike): ten days, many sharing a time, so the keyset order meets ties. */
async function insertEvents(siteId: string, count: number): Promise<void> {
  await service.store.sql.write([step(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
      INSERT INTO consent_events (id, site_id, consent_id, action, categories, policy_version, language, page_url, user_agent, ip_anonymized, gpc, test, created_at)
      SELECT 'evt_' || (1000000 + i), ?, 'cid_export_' || i,
        CASE i % 4 WHEN 0 THEN 'accept_all' WHEN 1 THEN 'reject_all' WHEN 2 THEN 'custom' ELSE 'withdraw' END,
        '{"necessary":true,"analytics":false}', '1', 'en', 'https://export.example.com/', 'UA', '198.51.100.0', 0, 0,
        '2026-11-' || (10 + i % 10) || 'T10:00:00.000Z'
      FROM n`,
    count, siteId,
  )]);
}

/** The SQL statements the store reads while `work` runs. */
async function statementsDuring<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const sql = service.store.sql;
  const statements: string[] = [];
  const { all, get } = sql;
  sql.all = (text, params) => { statements.push(text); return all.call(sql, text, params); };
  sql.get = (text, params) => { statements.push(text); return get.call(sql, text, params); };
  try {
    return { result: await work(), statements };
  } finally {
    sql.all = all;
    sql.get = get;
  }
}

describe('consent export', () => {
  it(`streams all of ${EVENTS.toLocaleString('en')} events newest first, counting nothing on the way`, async () => {
    const { secretKey, site } = await withSite(service, 'Export');
    await insertEvents(site.id, EVENTS);

    const { result: text, statements } = await statementsDuring(async () => {
      const res = await fetch(`${service.url}/sites/${site.id}/consent/export`, { headers: { 'x-api-key': secretKey } });
      expect(res.status).toBe(200);
      return res.text();
    });
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(EVENTS);
    const events = lines.map((line) => JSON.parse(line) as { id: string; createdAt: string });
    expect(new Set(events.map((e) => e.id)).size).toBe(EVENTS);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      if (a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id <= b.id)) throw new Error(`out of order at line ${i + 1}: ${a.id} then ${b.id}`);
    }
    // Before, every page of 100 ran COUNT(*) over the whole site: 1,000 counts for this export, quadratic in its size.
    expect(statements.filter((s) => /COUNT\(/i.test(s))).toHaveLength(0);
    expect(statements.filter((s) => /FROM consent_events/.test(s)).length).toBeLessThanOrEqual(EVENTS / 1000 + 1);

    const csv = await (await fetch(`${service.url}/sites/${site.id}/consent/export?format=csv&action=withdraw`, { headers: { 'x-api-key': secretKey } })).text();
    const rows = csv.split('\r\n').filter(Boolean);
    expect(rows[0]).toMatch(/^id,createdAt,action,/);
    expect(rows).toHaveLength(EVENTS / ACTIONS.length + 1);
    expect(rows.slice(1).every((row) => row.split(',')[2] === 'withdraw')).toBe(true);
  }, 120_000);
});
