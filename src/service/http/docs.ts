import Type from 'typebox';
import { ErrorBody } from '#shared/schemas.ts';

/** Security requirement of the secret-key routes, for the OpenAPI document. */
export const SECRET: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];
/** Route options of the secret-key routes. */
export const SECRET_ROUTE = { auth: 'secret' } as const;
/**
 * Secret-key routes a test key (`ck_test_`) may not call: keys, the IP allowlist, erasure, and what takes a
 * live site offline (deletion, public-key rotation). A test key is for building against the API, not for running it.
 */
export const LIVE_KEY_ROUTE = { auth: 'secret', liveKeyOnly: true } as const;
/** Route options of the visitor writes: the public key, and CORS from any origin. */
export const VISITOR_ROUTE = { auth: 'visitor', cors: true } as const;

/**
 * A route whose answer holds a secret in these top-level fields. An idempotent replay never holds it: the stored
 * answer leaves the fields out and says `secretShownOnce: true` (the secret was in the first answer only).
 */
export const secretAnswer = (...fields: string[]) => ({ secretFields: fields });

/** Present only on an idempotent replay of an answer that held a secret (see secretAnswer). */
export const SecretShownOnce = Type.Optional(Type.Literal(true, { description: 'Only on an idempotent replay: the secret was in the first answer only and is not stored' }));

export const PUBLIC: Array<Record<string, string[]>> = [{ publicKey: [] }];

/** The error responses a route documents, by status. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody]));
}

export const NoContent = Type.Null({ description: 'No content' });
