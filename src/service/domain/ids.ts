import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Random bytes are drawn in blocks: one call to the CSPRNG per block, not per id.
const POOL_SIZE = 8192;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

/** Random base62 string of `length` characters (rejection sampling keeps it unbiased). */
export function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    if (poolOffset === POOL_SIZE) {
      pool = randomBytes(POOL_SIZE);
      poolOffset = 0;
    }
    const byte = pool[poolOffset++]!;
    if (byte < 248) text += ALPHABET[byte % 62];
  }
  return text;
}

let lastTime = 0;
let lastTimePart = '';
let sequence = 0;

/**
 * Prefixed, time-ordered id: `<prefix>_<10 chars of milliseconds><4 of sequence><8 random>`.
 * Ids made by one process sort in the order they were made, even within one
 * millisecond, which keyset pagination relies on.
 */
export function newId(prefix: string, now = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    lastTimePart = now.toString(36).padStart(10, '0');
    sequence = 0;
  } else {
    sequence += 1;
  }
  return `${prefix}_${lastTimePart}${sequence.toString(36).padStart(4, '0')}${randomBase62(8)}`;
}

export const SECRET_KEY_PREFIX = 'ck_';
export const TEST_SECRET_KEY_PREFIX = 'ck_test_';
export const PUBLIC_KEY_PREFIX = 'pk_';

export function newSecretKey(mode: 'live' | 'test'): string {
  return (mode === 'test' ? TEST_SECRET_KEY_PREFIX : SECRET_KEY_PREFIX) + randomBase62(40);
}

export function newPublicKey(): string {
  return PUBLIC_KEY_PREFIX + randomBase62(32);
}

/** API keys carry 238 bits of entropy, so one SHA-256 is the right hash: fast lookups, nothing to brute-force. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What a listing shows of a secret key: its prefix and last four characters. */
export function keyHint(key: string): string {
  return `${key.startsWith(TEST_SECRET_KEY_PREFIX) ? TEST_SECRET_KEY_PREFIX : key.slice(0, 3)}…${key.slice(-4)}`;
}
