import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiErrorBody, ErrorCode } from '#shared/consent.ts';
import { ApiError, type FieldError } from '../domain/errors.ts';

/** What each code means, served at GET /api/v1/errors, where every error's documentation_url points. */
export const ERROR_MEANINGS: Record<ErrorCode, string> = {
  AUTHENTICATION_ERROR: 'No API key, an unknown or revoked key, or a key of the wrong kind for the route.',
  AUTHORIZATION_ERROR: 'The key may not do this: a public key on a secret route, a site that is not the public key\'s, an address outside the IP allowlist, or a plan limit.',
  VALIDATION_ERROR: 'The request is not valid; details.fields lists each field and what is wrong with it. Nothing was changed.',
  DOMAIN_MISMATCH: 'A visitor write whose page is not on the site of its public key: the heartbeat\'s page_url or the consent\'s pageUrl must be on the site\'s domain or a subdomain of it (any port); details name the field and the domain. Nothing was recorded.',
  BAD_REQUEST: 'The body is not valid JSON, or the API version asked for is not supported.',
  PAYLOAD_TOO_LARGE: 'The body is larger than 1 MiB.',
  RATE_LIMIT_ERROR: 'Too many requests: wait the Retry-After seconds. X-RateLimit-* headers show the tightest window.',
  RESOURCE_NOT_FOUND: 'No such resource for this key (another account\'s resources are not found either), or no such route.',
  CONFLICT_ERROR: 'The request conflicts with the current state: a duplicate category key, a required category, or an Idempotency-Key still in use.',
  INTERNAL_ERROR: 'Something failed on the service side; the request_id finds it in the logs.',
  SERVICE_UNAVAILABLE: 'The service cannot serve now: a part it needs (details.failing: the store, Redis) does not answer, or it is shutting down.',
};

export const STATUS_OF: Record<ErrorCode, number> = {
  AUTHENTICATION_ERROR: 401,
  AUTHORIZATION_ERROR: 403,
  VALIDATION_ERROR: 422,
  DOMAIN_MISMATCH: 422,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMIT_ERROR: 429,
  RESOURCE_NOT_FOUND: 404,
  CONFLICT_ERROR: 409,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

interface AjvError { instancePath: string; keyword: string; message?: string; params: Record<string, unknown>; propertyName?: string }

/** ajv's errors as `{field, message}` pairs; `field` is a JSON-pointer-like path without the leading slash. */
export function fieldErrors(errors: AjvError[], part: string): FieldError[] {
  // A key outside a map's key pattern: its own error names the key; the map's summary of it adds nothing.
  return errors.filter((e) => e.keyword !== 'propertyNames').map((e) => {
    let field = e.instancePath.replace(/^\//, '');
    if (e.propertyName !== undefined) return { field: [field, e.propertyName].filter(Boolean).join('/'), message: `is not a valid key (${e.message ?? 'pattern'})` };
    if (e.keyword === 'required') field = [field, String(e.params.missingProperty)].filter(Boolean).join('/');
    if (e.keyword === 'additionalProperties') {
      field = [field, String(e.params.additionalProperty)].filter(Boolean).join('/');
      return { field, message: 'is not a known field' };
    }
    if (e.keyword === 'minProperties' && !field) return { field: part, message: 'must contain at least one field' };
    return { field: field || part, message: e.message ?? 'is not valid' };
  });
}

/** Turns anything thrown into the API's error object, with the request id and no internals on 5xx. */
export function toApiError(error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e.validation) return ApiError.validation(fieldErrors(e.validation, e.validationContext ?? 'body'));
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('PAYLOAD_TOO_LARGE', 'The request body is larger than 1 MiB');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError('BAD_REQUEST', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError('BAD_REQUEST', 'Send the body as application/json');
  }
  if (error instanceof SyntaxError || e.statusCode === 400) return new ApiError('BAD_REQUEST', 'The request body is not valid JSON');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new ApiError('BAD_REQUEST', e.message);
  return new ApiError('INTERNAL_ERROR', 'Something went wrong on our side; the request id helps us find it');
}

export function errorBody(error: ApiError, requestId: string, documentationUrl: string): ApiErrorBody {
  return {
    success: false,
    error: { code: error.code, message: error.message, details: error.details, request_id: requestId, documentation_url: `${documentationUrl}#${error.code}` },
  };
}

/**
 * Errors the router raises before any route or hook runs (an overlong or
 * malformed path segment): the same error object, with its request id.
 */
export function frameworkErrors(documentationUrl: string) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const apiError = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? ApiError.validation([{ field: 'params', message: 'is longer than any id or key' }])
      : toApiError(error);
    reply.header('X-Request-ID', request.id).code(STATUS_OF[apiError.code]).send(errorBody(apiError, String(request.id), documentationUrl));
  };
}

export function registerErrorHandling(app: FastifyInstance, documentationUrl: string): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    const status = STATUS_OF[apiError.code];
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    reply.headers(apiError.headers).code(status).send(errorBody(apiError, String(request.id), documentationUrl));
  });
  app.setNotFoundHandler((request, reply) => {
    const apiError = new ApiError('RESOURCE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`);
    reply.code(404).send(errorBody(apiError, String(request.id), documentationUrl));
  });
}
