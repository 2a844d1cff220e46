import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskEmails } from '../../../../src/service/domain/privacy.ts';

describe('maskEmails', () => {
  it('keeps the first letter and the domain of each address, plain or URL-encoded', () => {
    expect(maskEmails('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskEmails('https://shop.example.com/thanks?email=jane.doe%40example.com&x=1'))
      .toBe('https://shop.example.com/thanks?email=j***%40example.com&x=1');
    expect(maskEmails('https://shop.example.com/?a=JANE%40Example.COM')).toBe('https://shop.example.com/?a=J***%40Example.COM');
    expect(maskEmails('from ann@a.example.org to bob+tag@b.example.net')).toBe('from a***@a.example.org to b***@b.example.net');
  });

  it('leaves a text without an address as it is', () => {
    const url = 'https://shop.example.com/pricing?plan=pro#faq';
    expect(maskEmails(url)).toBe(url);
    expect(maskEmails('user@localhost')).toBe('user@localhost'); // no domain with a dot and a TLD: not an address
  });

  // The local parts the masking reads: letters, digits and . _ % + - (what forms and shops send).
  const commonEmail = fc.tuple(fc.stringMatching(/^[A-Za-z0-9._%+-]{1,20}$/), fc.domain()).map(([local, domain]) => `${local}@${domain}`);

  it('never leaves an address whole, wherever it sits in a URL', () => {
    fc.assert(fc.property(commonEmail, fc.webUrl(), fc.boolean(), (email, url, encoded) => {
      const written = encoded ? email.replace('@', '%40') : email;
      const text = `${url}${url.includes('?') ? '&' : '?'}email=${written}`;
      expect(maskEmails(text)).not.toContain(written);
    }), { numRuns: 500 });
  });

  // Known gap, found by the property above run over every RFC 5322 local part: a local part made only of signs such
  // as ! # $ & ' * / = ? ^ ` { | } ~ stays whole. Flip to `it` when maskEmails reads them (issue 10, sec-service).
  it.fails('masks addresses whose local part is made of RFC 5322 signs', () => {
    expect(maskEmails('https://a.example.com/?email=!@a.example.com')).not.toContain('!@a.example.com');
  });

  it('masks once: a masked text masked again is unchanged', () => {
    fc.assert(fc.property(fc.string(), fc.emailAddress(), fc.string(), (before, email, after) => {
      const masked = maskEmails(`${before} ${email} ${after}`);
      expect(maskEmails(masked)).toBe(masked);
    }), { numRuns: 500 });
  });
});
