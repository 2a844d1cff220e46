import { isIPv4, isIPv6 } from 'node:net';

/**
 * The visitor's address with its host part zeroed: IPv4 keeps /24, IPv6 keeps /48.
 * The raw address is never stored.
 */
export function anonymizeIp(ip: string | undefined | null): string | null {
  if (!ip) return null;
  // A visitor's address comes back for every call (banner, consent, heartbeat, audit): remember recent answers.
  const known = recent.get(ip);
  if (known !== undefined) return known;
  const anonymized = anonymize(ip);
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(ip, anonymized);
  return anonymized;
}

const RECENT_MAX = 4096;
const recent = new Map<string, string | null>();

function anonymize(ip: string): string | null {
  const mapped = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(mapped)) {
    const parts = mapped.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0`;
  }
  if (isIPv6(ip)) {
    const groups = expandIPv6(ip).slice(0, 3).map((g) => g.replace(/^0+(?=.)/, ''));
    return `${groups.join(':')}::`;
  }
  return null;
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const left = head ? groupsOf(head) : [];
  const right = tail ? groupsOf(tail) : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right];
}

/** Hex groups of one side of `::`; an embedded IPv4 tail (`…:192.0.2.1`) is two groups. */
function groupsOf(part: string): string[] {
  const groups = part.split(':');
  const last = groups[groups.length - 1]!;
  if (!last.includes('.')) return groups;
  const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
  return [...groups.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
