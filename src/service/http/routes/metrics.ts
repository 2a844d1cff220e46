import { timingSafeEqual } from 'node:crypto';
import type { App, RouteContext } from '../context.ts';
import { ApiError } from '../../domain/errors.ts';

/**
 * GET /metrics (outside /api/v1, where Prometheus looks): only when
 * CONSENTRY_METRICS_TOKEN is set, and then only with that token as a bearer;
 * anything else is the ordinary 404 of an unknown route.
 */
export function metricsRoutes(app: App, { config, renderMetrics }: RouteContext): void {
  const token = config.metricsToken === null ? null : Buffer.from(`Bearer ${config.metricsToken}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const presented = Buffer.from(request.headers.authorization ?? '');
    if (!token || presented.length !== token.length || !timingSafeEqual(presented, token)) {
      throw new ApiError('RESOURCE_NOT_FOUND', 'No route GET /metrics');
    }
    return reply.type('text/plain; version=0.0.4; charset=utf-8').header('Cache-Control', 'no-store').send(await renderMetrics());
  });
}
