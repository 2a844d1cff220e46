import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { retryDelayMs, signatureHeaders } from '../../../../src/service/domain/webhooks.ts';

describe('webhook signatures', () => {
  it('match the Standard Webhooks test vector', () => {
    // The example of the Standard Webhooks specification (and of svix's libraries).
    const headers = signatureHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(headers).toMatchObject({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('sign "<t>.<body>" with the whole secret in Consentry-Signature, as the API document says', () => {
    const secret = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=';
    const body = '{"type":"consent.given","data":{"siteId":"site_1"}}';
    const headers = signatureHeaders(secret, 'dlv_1', 1764633600, body);
    const expected = createHmac('sha256', secret).update(`1764633600.${body}`).digest('hex');
    expect(headers['Consentry-Signature']).toBe(`t=1764633600,v1=${expected}`);
  });

  it('change with every byte of the body, the timestamp and the delivery id', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const base = signatureHeaders(secret, 'dlv_1', 1764633600, '{"a":1}');
    for (const other of [signatureHeaders(secret, 'dlv_1', 1764633600, '{"a":2}'), signatureHeaders(secret, 'dlv_1', 1764633601, '{"a":1}')]) {
      expect(other['Consentry-Signature']).not.toBe(base['Consentry-Signature']);
      expect(other['webhook-signature']).not.toBe(base['webhook-signature']);
    }
    const otherId = signatureHeaders(secret, 'dlv_2', 1764633600, '{"a":1}');
    expect(otherId['webhook-signature']).not.toBe(base['webhook-signature']);
  });
});

describe('retry delays', () => {
  const options = { maxAttempts: 8, retryBaseMs: 1000, maxDelayMs: 32_000 };

  it('double from the base, within ±20 % jitter, and never pass the cap', () => {
    for (let attempts = 1; attempts <= 8; attempts++) {
      const base = Math.min(32_000, 1000 * 2 ** (attempts - 1));
      expect(retryDelayMs(attempts, options, () => 0)).toBe(Math.round(base * 0.8));
      expect(retryDelayMs(attempts, options, () => 0.5)).toBe(base);
      expect(retryDelayMs(attempts, options, () => 0.999999)).toBeLessThanOrEqual(32_000);
    }
  });
});
