import type { FastifyInstance } from 'fastify';
import { metricsRegistry } from '../delivery/metrics.js';
import type { Store } from '../store/store.js';
import { withTimeout } from '../with-timeout.js';

/** How long /readyz waits for the store before it answers not ready. */
export const READY_PING_TIMEOUT_MS = 2000;

export interface OpsState {
  store: Store;
  /** True once shutdown began: the orchestrator should stop routing here. */
  closing(): boolean;
}

/**
 * What orchestrators and Prometheus call, on the API port and on the ops port
 * (HOOKRELAY_METRICS_PORT): `/metrics`; `/livez`, 200 while the event loop answers; `/readyz`,
 * 200 while the store answers and the process is not shutting down, else 503. No token; kept out
 * of the OpenAPI document (`hide`, from @fastify/swagger).
 */
export function registerOpsRoutes(app: FastifyInstance, state: OpsState): void {
  const hidden = { schema: { hide: true } as Record<string, unknown>, config: { access: 'public' as const } };
  app.get('/metrics', hidden, async (_req, reply) => {
    reply.header('content-type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
  app.get('/livez', hidden, async (_req, reply) => reply.code(200).send({ status: 'ok' }));
  app.get('/readyz', hidden, async (_req, reply) => {
    if (state.closing())
      return reply.code(503).send({ status: 'error', code: 'shutting_down', detail: 'This process is shutting down.' });
    try {
      await withTimeout(state.store.ping(), READY_PING_TIMEOUT_MS);
    } catch (err) {
      return reply.code(503).send({
        status: 'error',
        code: 'store_unavailable',
        detail: `The store does not answer: ${(err as Error).message}`,
      });
    }
    return reply.code(200).send({ status: 'ok' });
  });
}
