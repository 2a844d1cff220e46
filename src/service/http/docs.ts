import Type from 'typebox';
import { ErrorBody } from '#shared/schemas.ts';

/** Security requirement of the secret-key routes, for the OpenAPI document. */
export const SECRET: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];
/** Route options of the secret-key routes. */
export const SECRET_ROUTE = { auth: 'secret' } as const;
/** Route options of the visitor writes: the public key, and CORS from any origin. */
export const VISITOR_ROUTE = { auth: 'visitor', cors: true } as const;

export const PUBLIC: Array<Record<string, string[]>> = [{ publicKey: [] }];

/** The error responses a route documents, by status. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody]));
}

export const NoContent = Type.Null({ description: 'No content' });
