import type { FastifyInstance } from 'fastify';
import { mayReadMetrics, type Metrics } from '../lib/metrics.ts';
import { sendProblem } from './errors.ts';

/**
 * Request durations by route pattern (`/v1/orders/:id`, never the raw URL, so ids do not explode
 * the series) and status, and GET /metrics for Prometheus — to loopback, or with the bearer
 * METRICS_TOKEN; anyone else gets the same 404 as for a route that does not exist.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    // An unmatched URL is one series ("unmatched"), whatever was asked for.
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!mayReadMetrics(request.ip, request.headers.authorization, app.ctx.config.metricsToken)) {
      return sendProblem(reply, 404, 'not_found', `No route for GET /metrics.`, undefined, request);
    }
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
