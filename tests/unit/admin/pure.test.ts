// The admin app's pure pieces: how a route's error becomes what the screens show,
// the banner texts of the preview, and the contrast check.
import { describe, expect, it } from 'vitest';
import { asAdminError, toAdminError } from '../../../src/admin/api/errors.ts';
import { DEFAULT_COLORS, effectiveTexts } from '../../../src/admin/components/bannerDefaults.ts';
import { contrastRatio } from '../../../src/admin/contrast.ts';
import { BUILT_IN_TEXTS } from '../../../src/shared/texts.ts';

describe('admin errors', () => {
  it('puts the service 422 details and WordPress argument errors at their field paths', () => {
    const error = toAdminError({
      code: 'consentry_service_error',
      message: 'Validation failed',
      data: {
        status: 422,
        serviceCode: 'VALIDATION_ERROR',
        details: { fields: [{ field: '/config/colors/primary', message: 'must match pattern' }, { field: 'body/nameEn', message: 'too long' }] },
        params: { url: 'Invalid URL.' },
      },
    });
    expect(error).toMatchObject({ message: 'Validation failed', code: 'consentry_service_error', status: 422, serviceCode: 'VALIDATION_ERROR', detail: '' });
    expect(error.fields).toEqual({ 'config/colors/primary': 'must match pattern', nameEn: 'too long', url: 'Invalid URL.' });
  });

  it('says what to do when the service or WordPress does not answer, keeping the plugin words as detail', () => {
    const down = toAdminError({ code: 'consentry_service_unavailable', message: 'cURL error 7', data: { status: 503 } });
    expect(down.message).toContain('The Consentry service did not answer');
    expect(down.detail).toBe('cURL error 7');
    expect(toAdminError({ code: 'fetch_error' }).message).toContain('WordPress did not answer');
    expect(toAdminError({ code: 'invalid_json' }).message).toContain('not JSON');
    expect(toAdminError(undefined)).toMatchObject({ code: 'unknown_error', status: 0, message: 'Something went wrong.', fields: {} });
  });

  it('passes an AdminError through and wraps anything else', () => {
    const error = toAdminError({ code: 'rest_forbidden', message: 'No.', data: { status: 403 } });
    expect(asAdminError(error)).toBe(error);
    expect(asAdminError(new TypeError('x is undefined'))).toMatchObject({ code: 'unknown_error', message: 'x is undefined', status: 0 });
  });
});

describe('admin banner defaults', () => {
  it('previews the built-in texts of the language (English for others), with the site non-empty texts over them', () => {
    expect(effectiveTexts('tr').acceptAll).toBe(BUILT_IN_TEXTS.tr.acceptAll);
    expect(effectiveTexts('de').title).toBe(BUILT_IN_TEXTS.en.title);
    const texts = effectiveTexts('tr', { tr: { title: 'Çerezler', description: '' } });
    expect(texts.title).toBe('Çerezler');
    expect(texts.description).toBe(BUILT_IN_TEXTS.tr.description);
  });

  it('has default colours that pass WCAG AA', () => {
    expect(contrastRatio(DEFAULT_COLORS.text, DEFAULT_COLORS.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(DEFAULT_COLORS.primaryText, DEFAULT_COLORS.primary)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21);
    expect(contrastRatio('#fff', '#000000')).toBeNull();
  });
});
