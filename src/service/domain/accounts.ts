import { ApiError } from './errors.ts';
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

export class Accounts {
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Creates an account with its first secret key; the key is returned here and never again. */
  async create(name: string, plan: Plan): Promise<{ account: Account; secretKey: string }> {
    const now = this.clock.now();
    const account: Account = { id: newId('acct', now.getTime()), name, plan, createdAt: now.toISOString() };
    await this.store.createAccount(account);
    const { secretKey } = await this.createKey(account.id, 'default', 'live');
    return { account, secretKey };
  }

  async setPlan(accountId: string, plan: Plan): Promise<void> {
    if (!(await this.store.setAccountPlan(accountId, plan))) throw ApiError.notFound('Account');
  }

  async get(accountId: string): Promise<Account> {
    const account = await this.store.getAccount(accountId);
    if (!account) throw ApiError.notFound('Account');
    return account;
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
