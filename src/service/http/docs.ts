import Type from 'typebox';
import { ErrorBody } from '../domain/schemas.ts';

/** Security requirement of the secret-key routes, for the OpenAPI document. */
export const SECRET: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];
export const PUBLIC: Array<Record<string, string[]>> = [{ publicKey: [] }];

/** The error responses a route documents, by status. */
export function errors(...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody]));
}

export const NoContent = Type.Null({ description: 'No content' });
