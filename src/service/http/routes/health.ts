import Type from 'typebox';
import { SERVICE_VERSION, type App, type RouteContext } from '../app.ts';

export function healthRoutes(app: App, _context: RouteContext): void {
  app.get('/health', {
    schema: {
      tags: ['meta'], summary: 'Liveness of the service (no auth)',
      response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String() }) },
    },
  }, async () => ({ status: 'ok' as const, version: SERVICE_VERSION }));

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
