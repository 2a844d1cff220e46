import { BlockList, isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anonymizeIp, rateAddress } from '../../../../src/service/domain/ip.ts';

/** Whether `address` lies in `network/prefix`: Node's own reading of both, independent of ip.ts. */
function within(network: string, prefix: number, address: string): boolean {
  const family = isIPv4(network) ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return list.check(address, family);
}

describe('anonymizeIp', () => {
  it('keeps the /24 of an IPv4 address and the /48 of an IPv6 one', () => {
    expect(anonymizeIp('203.0.113.77')).toBe('203.0.113.0');
    expect(anonymizeIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::');
    expect(anonymizeIp('2001:0db8:0001::1')).toBe('2001:db8:1::');
    expect(anonymizeIp('2001:db8::1')).toBe('2001:db8:0::');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(anonymizeIp('::ffff:198.51.100.7')).toBe('198.51.100.0');
  });

  it('counts an embedded IPv4 tail as the two groups it is', () => {
    expect(anonymizeIp('::1:0:0:0:0.0.0.0')).toBe('0:0:1::');
    expect(anonymizeIp('2001:db8::a:b:c:192.0.2.1')).toBe('2001:db8:0::');
    expect(anonymizeIp('2001:db8:1::c0a8:1')).toBe('2001:db8:1::');
  });

  it('stores nothing for a missing or malformed address', () => {
    for (const value of [undefined, null, '', 'not-an-ip', '999.1.1.1', '2001:db8:::1']) expect(anonymizeIp(value), String(value)).toBeNull();
  });

  it('answers an address of the same network for every IPv4 address, with the host byte zeroed', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => {
      const anonymized = anonymizeIp(ip)!;
      expect(isIPv4(anonymized)).toBe(true);
      expect(anonymized.endsWith('.0')).toBe(true);
      expect(within(anonymized, 24, ip)).toBe(true);
    }), { numRuns: 500 });
  });

  it('answers the /48 network of every IPv6 address, and nothing of its last 80 bits', () => {
    fc.assert(fc.property(fc.ipV6(), (ip) => {
      const anonymized = anonymizeIp(ip)!;
      if (isIPv4(anonymized)) return; // an IPv4-mapped address, read as IPv4 (above)
      expect(isIPv6(anonymized), `${ip} -> ${anonymized}`).toBe(true);
      expect(anonymized.endsWith('::'), anonymized).toBe(true);
      expect(anonymized.split(':').filter(Boolean).length).toBeLessThanOrEqual(3);
      expect(within(anonymized, 48, ip), `${ip} -> ${anonymized}`).toBe(true);
    }), { numRuns: 500 });
  });

  it('gives the same answer to every address of one network (a visitor cannot be told apart within it)', () => {
    fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 0, max: 255 }), (ip, host) => {
      const sibling = ip.replace(/\d+$/, String(host));
      expect(anonymizeIp(sibling)).toBe(anonymizeIp(ip));
    }));
  });
});

describe('rateAddress', () => {
  it('counts an IPv4 address (mapped or not) alone, and an IPv6 address by its network of the prefix', () => {
    expect(rateAddress('198.51.100.7', 64)).toBe('198.51.100.7');
    expect(rateAddress('::ffff:198.51.100.7', 64)).toBe('198.51.100.7');
    expect(rateAddress('2001:DB8:1:2:ffff:ffff:ffff:ffff', 64)).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(rateAddress('fe80::1%eth0', 64)).toBe('fe80:0:0:0:0:0:0:0/64');
    expect(rateAddress('2001:db8:0:1f::', 60)).toBe('2001:db8:0:10:0:0:0:0/60');
    expect(rateAddress('2001:db8::1', 128)).toBe('2001:db8:0:0:0:0:0:1/128');
    expect(rateAddress('not-an-ip', 64)).toBe('not-an-ip');
  });

  it('gives two IPv6 addresses the same bucket exactly when they share the network of the prefix', () => {
    fc.assert(fc.property(fc.ipV6(), fc.ipV6(), fc.integer({ min: 1, max: 128 }), (a, b, prefix) => {
      const bucket = rateAddress(a, prefix);
      if (isIPv4(bucket)) return; // IPv4-mapped: counted as IPv4
      const network = bucket.slice(0, bucket.indexOf('/'));
      expect(within(network, prefix, a), `${a} /${prefix}`).toBe(true);
      if (isIPv4(rateAddress(b, prefix))) return;
      expect(rateAddress(b, prefix) === bucket, `${a} ${b} /${prefix}`).toBe(within(network, prefix, b));
      // An address made to share the network always shares the bucket.
      expect(rateAddress(network, prefix)).toBe(bucket);
    }), { numRuns: 1000 });
  });
});
