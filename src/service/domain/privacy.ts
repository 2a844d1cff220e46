/**
 * `user@example.com` → `u***@example.com`; applied to every e-mail address in a text, URL-encoded ones
 * (`user%40example.com`) too.
 *
 * An address is a run of local-part characters `[A-Za-z0-9._%+-]`, the separator, and a domain
 * `[A-Za-z0-9.-]+\.[A-Za-z]{2,}`: what the regular expressions
 * `/([L])[L]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g` and the same with `%40` match, in the same places. Those
 * backtrack across the whole text (a 2 KB page URL full of `@a.a` cost ~10 ms of the event loop); this
 * scanner reads each character a bounded number of times.
 */
export function maskEmails(text: string): string {
  // Most texts (every page URL without an address) have neither sign: skip both scans.
  if (text.indexOf('@') === -1 && text.indexOf('%40') === -1) return text;
  return maskPass(maskPass(text, '@'), '%40');
}

const LOCAL = charClass('A-Za-z0-9._%+-');
const DOMAIN = charClass('A-Za-z0-9.-');
const LETTER = charClass('A-Za-z');

function charClass(spec: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      for (let c = spec.charCodeAt(i); c <= spec.charCodeAt(i + 2); c++) table[c] = 1;
      i += 2;
    } else {
      table[spec.charCodeAt(i)] = 1;
    }
  }
  return table;
}

const is = (table: Uint8Array, text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c < 128 && table[c] === 1;
};

/**
 * One pass of the regular expression with separator `separator`, leftmost matches first. A match starts
 * where a run of local-part characters starts (or where the previous match ended) and, the local part
 * being greedy, uses the last separator in that run that is followed by a valid domain; when the run
 * has none, no position inside it can start a match.
 */
function maskPass(text: string, separator: '@' | '%40'): string {
  if (text.indexOf(separator) === -1) return text;
  const n = text.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    if (!is(LOCAL, text, i)) {
      i++;
      continue;
    }
    const start = i;
    let runEnd = i + 1;
    while (runEnd < n && is(LOCAL, text, runEnd)) runEnd++;
    // Separators at k in (start, runEnd]: `@` can only be the character after the run; `%40` lies inside it.
    let matchEnd = -1;
    let at = -1;
    if (separator === '@') {
      if (text.charCodeAt(runEnd) === 64) matchEnd = domainEnd(text, (at = runEnd) + 1);
    } else {
      for (let k = runEnd - 3; k > start; k--) {
        if (text.charCodeAt(k) !== 37 || !text.startsWith(separator, k)) continue;
        matchEnd = domainEnd(text, k + 3);
        if (matchEnd !== -1) {
          at = k;
          break;
        }
      }
    }
    if (matchEnd === -1) {
      i = runEnd;
      continue;
    }
    out += text.slice(copied, start) + text[start] + '***' + separator + text.slice(at + separator.length, matchEnd);
    copied = i = matchEnd;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * The end of `[A-Za-z0-9.-]+\.[A-Za-z]{2,}` matched greedily at `from`, or -1: the last dot of the run of
 * domain characters that has another domain character before it and two letters after it, then every
 * letter that follows.
 */
function domainEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && is(DOMAIN, text, end)) end++;
  for (let dot = end - 3; dot > from; dot--) {
    if (text.charCodeAt(dot) !== 46 || !is(LETTER, text, dot + 1) || !is(LETTER, text, dot + 2)) continue;
    let last = dot + 3;
    while (last < end && is(LETTER, text, last)) last++;
    return last;
  }
  return -1;
}
