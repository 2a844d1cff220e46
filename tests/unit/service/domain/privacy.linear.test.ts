// E-mail masking runs on every consent event's page URL, which anyone with a
// site's public key can send: it must cost time in proportion to the text.
import { describe, expect, it } from 'vitest';
import { maskEmails } from '../../../../src/service/domain/privacy.ts';

/** The regular expressions the scanner replaces: right, but quadratic on crafted input. */
const reference = (text: string) => text
  .replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, '$1***@$2')
  .replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*%40([A-Za-z0-9.-]+\.[A-Za-z]{2,})/gi, '$1***%40$2');

/** A page URL of exactly the length limit (2048), its path made of `unit` repeated. */
const atLimit = (unit: string) => {
  const head = 'https://shop.example.com/?q=';
  return head + unit.repeat(Math.ceil((2048 - head.length) / unit.length)).slice(0, 2048 - head.length);
};

describe('maskEmails', () => {
  it('masks plain and URL-encoded addresses, and leaves other texts alone', () => {
    expect(maskEmails('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskEmails('https://x.example/?to=jane%40example.co.uk&x=1')).toBe('https://x.example/?to=j***%40example.co.uk&x=1');
    expect(maskEmails('https://x.example/?to=JANE%40EXAMPLE.ORG')).toBe('https://x.example/?to=J***%40EXAMPLE.ORG');
    expect(maskEmails('a@b.cc, c@d.ee')).toBe('a***@b.cc, c***@d.ee');
    expect(maskEmails('https://x.example/@handle and @a.b')).toBe('https://x.example/@handle and @a.b');
    expect(maskEmails('no address here')).toBe('no address here');
  });

  it('gives the regular expressions\' answer on crafted inputs at the length limit', () => {
    const units = ['@a.a', '%40a.a', 'a@a.a', 'a%40a.a', 'a@b.cc', 'a%40b.cc', 'x%40', '%40%40a.bc', '.@a', 'a.-@-.aa', '@'];
    for (const unit of units) {
      const url = atLimit(unit);
      expect(url.length).toBe(2048);
      expect(maskEmails(url), unit).toBe(reference(url));
    }
    // The shapes spelled out: no address at all, then every repetition an address.
    expect(maskEmails(atLimit('@a.a'))).toBe(atLimit('@a.a'));
    const masked = maskEmails('https://x.example/' + 'ab@cd.ef/'.repeat(200));
    expect(masked).toBe('https://x.example/' + 'a***@cd.ef/'.repeat(200));
  });

  it('agrees with the regular expressions on random texts over the characters that matter', () => {
    const alphabet = ['a', 'bc', 'Z', '0', '.', '.de', '-', '_', '+', '%', '4', '0', '@', '%40', '/', '?', '=', ' ', 'é'];
    let seed = 20261202;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let masked = 0;
    for (let run = 0; run < 5000; run++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(maskEmails(text), JSON.stringify(text)).toBe(reference(text));
      if (reference(text) !== text) masked++;
    }
    expect(masked).toBeGreaterThan(200); // the texts hold addresses often enough to test the masking itself
  });
});
