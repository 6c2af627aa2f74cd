import { Type } from '@sinclair/typebox';
import { StoreUnavailableError } from '../../errors.js';
import type { Api, ApiContext } from '../context.js';
import { HttpErrorOut, ref } from '../schemas/common.js';

/** Liveness for load balancers: 204 when the store answers, 503 otherwise. No token needed. */
export function healthRoutes(api: Api, { store }: ApiContext): void {
  api.get('/api/v1/health', {
    config: { access: 'public' },
    schema: {
      operationId: 'v1.health.get', tags: ['Health'], summary: 'Health check',
      security: [],
      response: { 204: Type.Null(), 503: ref(HttpErrorOut) },
    },
  }, async (req, reply) => {
    try {
      await store.ping();
    } catch (err) {
      req.log.warn({ err }, 'health check: store unavailable');
      throw new StoreUnavailableError(`The store does not answer: ${(err as Error).message}`, { cause: err });
    }
    return reply.code(204).send(null);
  });
}
