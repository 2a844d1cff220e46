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

/**
 * What the per-address limit counts: an IPv4 address itself (IPv4-mapped IPv6 too), and for IPv6 the network of
 * the address's first `v6Prefix` bits (`2001:db8:1:2::/64` is written `2001:db8:1:2:0:0:0:0/64`). One subscriber
 * usually holds a whole /64: counted one by one, its addresses would be 2^64 buckets.
 */
export function rateAddress(ip: string, v6Prefix: number): string {
  if (ip.indexOf(':') === -1) return ip;
  const zone = ip.indexOf('%');
  const bare = (zone === -1 ? ip : ip.slice(0, zone)).toLowerCase();
  if (bare.startsWith('::ffff:') && isIPv4(bare.slice(7))) return bare.slice(7);
  if (!isIPv6(bare)) return ip;
  const words = expandIPv6(bare).map((group) => parseInt(group, 16));
  let network = '';
  for (let i = 0; i < 8; i++) {
    const kept = Math.max(0, Math.min(16, v6Prefix - i * 16));
    const word = kept === 0 ? 0 : words[i]! & ((0xffff << (16 - kept)) & 0xffff);
    network += (i ? ':' : '') + word.toString(16);
  }
  return `${network}/${v6Prefix}`;
}
