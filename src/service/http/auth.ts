import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { AccountPrincipal, Accounts } from '../domain/accounts.ts';
import { ApiError } from '../domain/errors.ts';
import { PUBLIC_KEY_PREFIX, SECRET_KEY_PREFIX } from '../domain/ids.ts';
import type { VisitorView } from '../domain/sites.ts';

/** The key presented in `Authorization: Bearer …` or `x-api-key`, if any. */
export function presentedKey(request: { headers: IncomingHttpHeaders }): string | null {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw ApiError.unauthenticated('The Authorization header must be "Bearer <key>"');
    return match[1] ?? null;
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header ? header : null;
}

/** Resolves the account behind a secret key; public keys and unknown keys are refused. */
export async function requireAccount(request: FastifyRequest, accounts: Accounts): Promise<AccountPrincipal> {
  const key = presentedKey(request);
  if (!key) throw ApiError.unauthenticated();
  if (key.startsWith(PUBLIC_KEY_PREFIX)) {
    throw ApiError.forbidden('A public key (pk_) can only use the visitor endpoints; use a secret key (ck_)');
  }
  const principal = key.startsWith(SECRET_KEY_PREFIX) ? await accounts.authenticate(key) : null;
  if (!principal) throw ApiError.unauthenticated('The API key is not valid or has been revoked');
  return principal;
}

type VisitorBody = { api_key?: string | undefined; siteId?: string | undefined };

/** The public key of a visitor request: the header, or `api_key` in the body (sendBeacon cannot set headers). */
export function visitorKey(request: { headers: IncomingHttpHeaders }, body: VisitorBody = {}): string {
  const key = presentedKey(request) ?? body.api_key ?? null;
  if (!key) throw ApiError.unauthenticated('The site\'s public key is required (header or api_key)');
  if (!key.startsWith(PUBLIC_KEY_PREFIX)) {
    throw ApiError.unauthenticated('Visitor endpoints take the site\'s public key (pk_); secret keys belong on server-side routes');
  }
  return key;
}

/** The site of a public key must exist; a `siteId` in the body, when given, must be the key's own site. */
export function checkVisitorSite(view: VisitorView | null, body: VisitorBody = {}): VisitorView {
  if (!view) throw ApiError.unauthenticated('The public key is not valid');
  if (body.siteId !== undefined && body.siteId !== view.site.id) throw ApiError.forbidden('The public key does not belong to that site');
  return view;
}
