const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const ENCODED_EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*%40([A-Za-z0-9.-]+\.[A-Za-z]{2,})/gi;

/** `user@example.com` → `u***@example.com`; applied to every e-mail address in a text, URL-encoded ones too. */
export function maskEmails(text: string): string {
  // Most texts (every page URL without an address) have neither sign: skip both scans.
  if (text.indexOf('@') === -1 && text.indexOf('%40') === -1) return text;
  return text.replace(EMAIL, '$1***@$2').replace(ENCODED_EMAIL, '$1***%40$2');
}
