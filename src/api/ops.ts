/** `/metrics` (Prometheus text), `/healthz` (the process runs) and `/readyz` (it takes new calls). */
import type { FastifyPluginAsync } from 'fastify';
import type { ServeMetrics } from './metrics.js';

export interface OpsOptions {
  metrics: ServeMetrics;
  ready: () => boolean;
}

export const opsRoutes: FastifyPluginAsync<OpsOptions> = async (app, options) => {
  app.get('/metrics', async (_request, reply) => {
    const text = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(text);
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => (options.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'draining' })));
};
