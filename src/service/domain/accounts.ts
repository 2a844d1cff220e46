import { BlockList, isIP } from 'node:net';
import { keysetPage } from './cursor.ts';
import { ApiError } from './errors.ts';
import type { AuditListInput } from '#shared/schemas.ts';
import type { Clock } from './clock.ts';
import { hashKey, keyHint, newId, newSecretKey } from './ids.ts';
import type { Account, ApiKey, KeyMode, Plan, Store } from './store.ts';

/** Who is calling: an account through a secret key. */
export interface AccountPrincipal {
  kind: 'secret';
  accountId: string;
  keyId: string;
  mode: KeyMode;
}

export const MAX_ALLOWLIST = 50;

export function parseCidr(entry: string): { address: string; prefix: number; family: 4 | 6 } | null {
  const [address = '', prefixText] = entry.trim().split('/');
  const family = isIP(address);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix < 0 || prefix > max) return null;
  return { address: address.toLowerCase(), prefix, family: family as 4 | 6 };
}

function blockList(entries: string[]): BlockList | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

export class Accounts {
  private readonly allowlists = new Map<string, { expires: number; list: BlockList | null; plan: Plan }>();

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Creates an account with its first secret key; the key is returned here and never again. */
  async create(name: string, plan: Plan, email: string | null = null): Promise<{ account: Account; secretKey: string }> {
    const now = this.clock.now();
    const account: Account = { id: newId('acct', now.getTime()), name, plan, planExpiresAt: null, email, ipAllowlist: [], createdAt: now.toISOString() };
    await this.store.createAccount(account);
    const { secretKey } = await this.createKey(account.id, 'default', 'live');
    return { account, secretKey };
  }

  /**
   * Sets the plan, with the time it ends (null: no end). Operator-only (the CLI): no route calls it. A time already
   * past is kept: the service's next expiry check (at start, then every minute) moves the account to the fallback plan.
   */
  async setPlan(accountId: string, plan: Plan, until: Date | null = null): Promise<void> {
    if (!(await this.store.setAccountPlan(accountId, plan, until ? until.toISOString() : null))) throw ApiError.notFound('Account');
    this.forget(accountId);
  }

  /** Drops the cached allowlist and plan of an account, after they changed. */
  forget(accountId: string): void {
    this.allowlists.delete(accountId);
  }

  async get(accountId: string): Promise<Account> {
    const account = await this.store.getAccount(accountId);
    if (!account) throw ApiError.notFound('Account');
    return account;
  }

  /** Replaces the account's IP allowlist; every entry must be an IPv4 or IPv6 address or CIDR range. */
  async setAllowlist(accountId: string, entries: string[]): Promise<string[]> {
    await this.get(accountId);
    const fields = entries.flatMap((entry, i) => (parseCidr(entry) ? [] : [{ field: `entries/${i}`, message: 'is not an IP address or CIDR range' }]));
    if (entries.length > MAX_ALLOWLIST) fields.push({ field: 'entries', message: `can hold at most ${MAX_ALLOWLIST} ranges` });
    if (fields.length) throw ApiError.validation(fields);
    const normalized = [...new Set(entries.map((e) => { const c = parseCidr(e)!; return `${c.address}/${c.prefix}`; }))];
    await this.store.setAccountAllowlist(accountId, normalized);
    this.allowlists.delete(accountId);
    return normalized;
  }

  /** True when the account has no allowlist or the address is inside it. Cached for two seconds. */
  async allows(accountId: string, ip: string): Promise<boolean> {
    const now = performance.now();
    let cached = this.allowlists.get(accountId);
    if (!cached || cached.expires <= now) {
      const account = await this.store.getAccount(accountId);
      cached = { expires: now + 2000, list: account ? blockList(account.ipAllowlist) : null, plan: account?.plan ?? 'self_hosted' };
      this.allowlists.set(accountId, cached);
    }
    if (!cached.list) return true;
    const mapped = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const family = isIP(mapped);
    return family !== 0 && cached.list.check(mapped, family === 4 ? 'ipv4' : 'ipv6');
  }

  /** The account's plan, cached like the allowlist. */
  async plan(accountId: string): Promise<Plan> {
    await this.allows(accountId, '127.0.0.1');
    return this.allowlists.get(accountId)?.plan ?? 'self_hosted';
  }

  /** The account's audit log, newest first. */
  audit(accountId: string, query: AuditListInput) {
    const { limit = 20, offset = 0, cursor, ...filters } = query;
    return keysetPage({ limit, offset, cursor }, async (page) => {
      const { entries, total } = await this.store.listAudit(accountId, { ...page, ...filters });
      return { rows: entries, total };
    });
  }

  async createKey(accountId: string, name: string, mode: KeyMode): Promise<{ key: ApiKey; secretKey: string }> {
    await this.get(accountId);
    const secretKey = newSecretKey(mode);
    const now = this.clock.now();
    const key: ApiKey = { id: newId('key', now.getTime()), accountId, name, hint: keyHint(secretKey), mode, createdAt: now.toISOString(), revokedAt: null };
    await this.store.createApiKey(key, hashKey(secretKey));
    return { key, secretKey };
  }

  listKeys(accountId: string): Promise<ApiKey[]> {
    return this.store.listApiKeys(accountId);
  }

  async revokeKey(accountId: string, keyId: string): Promise<void> {
    if (!(await this.store.revokeApiKey(accountId, keyId, this.clock.now().toISOString()))) throw ApiError.notFound('Active API key');
  }

  /** Resolves a presented secret key; null for unknown or revoked keys. */
  async authenticate(secretKey: string): Promise<AccountPrincipal | null> {
    const key = await this.store.findApiKeyByHash(hashKey(secretKey));
    if (!key || key.revokedAt) return null;
    return { kind: 'secret', accountId: key.accountId, keyId: key.id, mode: key.mode };
  }
}
