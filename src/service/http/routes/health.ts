import Type from 'typebox';
import { SERVICE_VERSION, type App, type RouteContext } from '../context.ts';
import { errors, OPEN } from '../docs.ts';
import { ERROR_MEANINGS, STATUS_OF } from '../errors.ts';

export function healthRoutes(app: App, _context: RouteContext): void {
  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      tags: ['meta'], security: OPEN, summary: 'Liveness of the service (no auth)',
      response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }), ...errors(400, 429) },
    },
  }, async () => ({ status: 'ok' as const, version: SERVICE_VERSION }));

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
