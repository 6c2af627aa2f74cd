import { Type } from '@sinclair/typebox';
import { withTimeout } from '../../with-timeout.js';
import type { Store } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';

/** How long each dependency may take to answer before it is reported as failing. */
const CHECK_TIMEOUT_MS = 2000;

const HealthStatus = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  /** What the check found, or why it failed. */
  information: Type.Optional(Type.String()),
  latencyMs: Type.Optional(Type.Number()),
});

/** svix-server's report (database, queue, cache as `{status: ok|error, information}`), without `cache`: Hookrelay has none. */
const HealthReport = Type.Object({
  database: HealthStatus,
  queue: HealthStatus,
  code: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
});

type Check = { status: 'ok' | 'error'; information?: string; latencyMs?: number };

async function check(run: () => Promise<string | undefined>): Promise<Check> {
  const started = performance.now();
  try {
    const information = await withTimeout(run(), CHECK_TIMEOUT_MS);
    return {
      status: 'ok',
      latencyMs: Math.round(performance.now() - started),
      ...(information ? { information } : {}),
    };
  } catch (err) {
    return { status: 'error', information: (err as Error).message, latencyMs: Math.round(performance.now() - started) };
  }
}

async function report(store: Store) {
  const [database, queue] = await Promise.all([
    check(async () => {
      await store.ping();
      return store.dialect;
    }),
    check(async () => {
      const now = Date.now();
      const stats = await store.queueStats(now);
      const late = stats.oldestDueAt === null ? 0 : Math.round((now - stats.oldestDueAt) / 1000);
      return `${stats.depth} deliveries queued; the oldest due one waits ${late} s; ${stats.expiredLeases} expired leases`;
    }),
  ]);
  return { database, queue };
}

/**
 * Each dependency's state, for load balancers and people: 200 when all answer, 503
 * `store_unavailable` (with the same report) when one does not. No token. /livez and /readyz
 * (ops-routes.ts) are the orchestrator's cheaper probes.
 */
export function healthRoutes(api: Api, { store }: ApiContext): void {
  api.get(
    '/api/v1/health',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'v1.health.get',
        tags: ['Health'],
        summary: 'Health check',
        description:
          "Each dependency of this process: `database` (a round trip to the store) and `queue` (its delivery queue). 503 `store_unavailable` with the same report when one fails. Hookrelay extension of Svix's 204: the body follows svix-server's report.",
        security: [],
        response: { 200: HealthReport, 503: HealthReport },
      },
    },
    async (req, reply) => {
      const checks = await report(store);
      if (checks.database.status === 'ok' && checks.queue.status === 'ok') return reply.code(200).send(checks);
      req.log.warn({ checks }, 'health check: a dependency does not answer');
      const failing = checks.database.status === 'error' ? checks.database : checks.queue;
      return reply
        .code(503)
        .send({ ...checks, code: 'store_unavailable', detail: `The store does not answer: ${failing.information}` });
    },
  );
}
