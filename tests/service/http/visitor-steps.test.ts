// The visitor writes run one declared list of steps (src/service/http/steps.ts) on both of their paths: the Fastify
// routes and the direct lane. Each path enumerates what it runs; both must be the list, in its order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASTIFY_STAGES, VISITOR_WRITE_STEPS } from '../../../src/service/http/steps.ts';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService({ CONSENTRY_IP_RATE_LIMIT: '3' });
beforeAll(() => service.start());
afterAll(() => service.stop());

describe('the steps of a visitor write', () => {
  it('are the same list, in the same order, on the Fastify path and the direct lane', () => {
    const { fastify, lane } = service.app.consentry.visitorSteps;
    expect(lane).toEqual(VISITOR_WRITE_STEPS);
    expect(fastify.map(({ step }) => step)).toEqual(VISITOR_WRITE_STEPS);
  });

  it('fall on the Fastify path at stages in the order Fastify runs them', () => {
    const stages = service.app.consentry.visitorSteps.fastify.map(({ stage }) => FASTIFY_STAGES.indexOf(stage));
    expect(stages.every((stage) => stage >= 0)).toBe(true);
    expect(stages).toEqual([...stages].sort((a, b) => a - b));
    for (const { step, stage, hook, by } of service.app.consentry.visitorSteps.fastify) {
      expect(by, step).toBeTruthy();
      // Hooks are what the table installs; the limit's hook is there because this service has a limit.
      if (stage === 'onRequest' || stage === 'onResponse' || stage === 'preHandler') expect(hook, step).toBeTypeOf('function');
      else expect(hook, `${step}: nothing installs a hook at ${stage}`).toBeUndefined();
    }
  });

  it('answer a 429 that a browser can read (CORS before the limit) on both paths', async () => {
    const { site } = await withSite(service, 'Steps'); // two calls of this address's three
    service.clock.advance(60_000);
    const body = { api_key: site.publicKey, session_id: 'sess_01234567', page_url: 'https://steps.example.com/' };
    for (const path of ['/heartbeat', '/heartbeat?api_version=1']) {
      const from = { body, headers: { 'x-forwarded-for': '127.0.0.1' } };
      for (let i = 0; i < 3; i++) await service.request('POST', path, from);
      const over = await service.request('POST', path, from);
      expectError(over, 429, 'RATE_LIMIT_ERROR');
      expect(over.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(over.headers.get('x-api-version'), path).toBe('1');
      service.clock.advance(60_000);
    }
  });
});
