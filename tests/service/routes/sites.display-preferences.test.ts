import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_PROFILES } from '../../../src/shared/consent.ts';
import { step } from '../../../src/service/store/sql.ts';
import { expectError, TestService, withSite } from '../harness.ts';

const service = new TestService();
beforeAll(() => service.start());
afterAll(() => service.stop());

const DEFAULTS = { enabled: false, position: 'bottom-left', profiles: [...DISPLAY_PROFILES] };

describe('display preferences in the site config', () => {
  it('a new site, and a site stored before the field existed, read the defaults (also in the banner config)', async () => {
    const { secretKey, site } = await withSite(service, 'Defaults');
    expect(site.config.displayPreferences).toEqual(DEFAULTS);
    // An older row: its config written without the field.
    await service.store.sql.write([step('UPDATE sites SET config = ? WHERE id = ?', JSON.stringify({ layout: 'box' }), site.id)]);
    const got = await service.request('GET', `/sites/${site.id}`, { key: secretKey });
    expect(got.body.site.config).toEqual({ layout: 'box', displayPreferences: DEFAULTS });
    const banner = await service.request('GET', `/banner/${site.publicKey}`);
    expect(banner.body.config.displayPreferences).toEqual(DEFAULTS);
  });

  it('PATCH accepts it whole or in part; missing fields take their defaults', async () => {
    const { secretKey, site } = await withSite(service, 'Patch');
    const whole = { enabled: true, position: 'middle-right', profiles: ['dyslexia_friendly', 'seizure_safe'] };
    const patched = await service.request('PATCH', `/sites/${site.id}`, { key: secretKey, body: { config: { displayPreferences: whole } } });
    expect(patched.status).toBe(200);
    expect(patched.body.site.config.displayPreferences).toEqual(whole);
    expect((await service.request('GET', `/sites/${site.id}`, { key: secretKey })).body.site.config.displayPreferences).toEqual(whole);

    const part = await service.request('PATCH', `/sites/${site.id}`, { key: secretKey, body: { config: { displayPreferences: { enabled: true } } } });
    expect(part.body.site.config.displayPreferences).toEqual({ ...DEFAULTS, enabled: true });
    const none = await service.request('PATCH', `/sites/${site.id}`, { key: secretKey, body: { config: { displayPreferences: { profiles: [] } } } });
    expect(none.body.site.config.displayPreferences).toEqual({ ...DEFAULTS, profiles: [] });
  });

  it('refuses unknown positions, profiles, repeated profiles and unknown fields (422)', async () => {
    const { secretKey, site } = await withSite(service, 'Refuse');
    for (const displayPreferences of [
      { position: 'top' }, { profiles: ['vision_impaired', 'mind_reader'] }, { profiles: ['cognitive', 'cognitive'] },
      { enabled: 'yes' }, { enabled: true, autoApply: true },
    ]) {
      expectError(await service.request('PATCH', `/sites/${site.id}`, { key: secretKey, body: { config: { displayPreferences } } }), 422, 'VALIDATION_ERROR');
    }
  });
});
