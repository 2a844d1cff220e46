import type { ErrorCode } from '#shared/consent.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** The one error type of the service; the HTTP layer maps `code` to a status. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | null;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> | null = null, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  static notFound(what: string): ApiError {
    return new ApiError('RESOURCE_NOT_FOUND', `${what} not found`);
  }

  static conflict(message: string, details: Record<string, unknown> | null = null): ApiError {
    return new ApiError('CONFLICT_ERROR', message, details);
  }

  static validation(fields: FieldError[], message = 'The request is not valid'): ApiError {
    return new ApiError('VALIDATION_ERROR', message, { fields });
  }

  static unauthenticated(message = 'A valid API key is required'): ApiError {
    return new ApiError('AUTHENTICATION_ERROR', message);
  }

  static forbidden(message: string): ApiError {
    return new ApiError('AUTHORIZATION_ERROR', message);
  }
}

/** Thrown by stores when a unique constraint is violated; the domain turns it into a 409. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint ${constraint}`);
    this.name = 'UniqueViolation';
  }
}
