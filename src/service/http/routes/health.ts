import Type from 'typebox';
import { SERVICE_VERSION, type App, type RouteContext } from '../context.ts';
import { errors, OPEN } from '../docs.ts';
import { ErrorBody } from '#shared/schemas.ts';
import { ApiError } from '../../domain/errors.ts';
import { ERROR_MEANINGS, errorBody, STATUS_OF } from '../errors.ts';

export function healthRoutes(app: App, { readiness, config }: RouteContext): void {
  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      tags: ['meta'], security: OPEN, summary: 'Liveness of the service (no auth)',
      response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }), ...errors(400, 429) },
    },
  }, async () => ({ status: 'ok' as const, version: SERVICE_VERSION }));

  app.get('/ready', {
    schema: {
      operationId: 'getReadiness',
      tags: ['meta'], security: OPEN,
      summary: 'Readiness: the store (and Redis when configured) answer; 503 SERVICE_UNAVAILABLE with details.failing otherwise (no auth)',
      response: {
        200: Type.Object({ status: Type.Literal('ready'), version: Type.String(), checks: Type.Record(Type.String(), Type.Literal('ok')) }),
        ...errors(400, 429), 503: ErrorBody,
      },
    },
  }, async (request, reply) => {
    const parts = Object.entries(readiness);
    const outcomes = await Promise.allSettled(parts.map(([, check]) => check()));
    const failing = parts.flatMap(([part], i) => {
      const outcome = outcomes[i]!;
      return outcome.status === 'rejected' ? [{ part, error: outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason) }] : [];
    });
    if (failing.length) {
      // The causes go to the log; the answer names the parts only.
      request.log.warn({ failing }, 'not ready');
      const error = new ApiError('SERVICE_UNAVAILABLE', `Not ready: ${failing.map((f) => f.part).join(', ')} not answering`, { failing: failing.map((f) => f.part) });
      return reply.code(503).header('Retry-After', '5').send(errorBody(error, String(request.id), config.documentationUrl));
    }
    return { status: 'ready' as const, version: SERVICE_VERSION, checks: Object.fromEntries(parts.map(([part]) => [part, 'ok' as const])) };
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/errors', {
    schema: {
      operationId: 'listErrorCodes',
      tags: ['meta'], security: OPEN, summary: 'The error codes of the API, their HTTP status and meaning (documentation_url of every error points here)',
      response: { 200: Type.Object({ data: Type.Array(Type.Object({ code: Type.String(), status: Type.Integer(), meaning: Type.String() })) }), ...errors(400, 429) },
    },
  }, async () => ({
    data: Object.entries(ERROR_MEANINGS).map(([code, meaning]) => ({ code, status: STATUS_OF[code as keyof typeof STATUS_OF], meaning })),
  }));
}
