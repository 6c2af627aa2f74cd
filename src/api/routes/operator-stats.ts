import type { AppId } from '../../ids.js';
import { Type } from '@sinclair/typebox';
import { ValidationError } from '../../errors.js';
import type { Api, ApiContext } from '../context.js';
import { requireApp } from '../lookup.js';
import { idIterator, pageQuery } from '../pagination.js';
import { DateTime, ERROR_RESPONSES, PageQuerySchema, ref } from '../schemas/common.js';
import { AppHealthListOut, ListResponseFailingEndpointOut, StatsOverviewOut } from '../schemas/operator.js';
import { iso } from '../../domain/iso-time.js';
import { checkedRange, queryTime } from '../time-range.js';

const tags = ['Operator'];
const MINUTE = 60_000;
const DAY = 86_400_000;
/** app-health names at most this many apps. */
const MAX_APP_IDS = 100;

/**
 * The operator dashboard's views across every application (Hookrelay extensions, admin only).
 * Their attempt counts read the attempts made in the window by ID range (src/store/id-range.ts):
 * their cost follows the traffic of the window, not the size of the tables.
 */
export function operatorStatsRoutes(api: Api, { store }: ApiContext): void {
  api.get(
    '/api/v1/stats/overview',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.stats.overview',
        tags,
        summary: 'Deliveries per minute, latency, queue and endpoint totals (extension)',
        description: 'Hookrelay extension. The window is the last `minutes` whole minutes, the current one included.',
        querystring: Type.Object({
          minutes: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 1440,
              default: 60,
              description: 'Length of the window in minutes, 1–1440 (Default: 60).',
            }),
          ),
        }),
        response: { 200: ref(StatsOverviewOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const now = Date.now();
      const minutes = req.query.minutes ?? 60;
      const since = (Math.floor(now / MINUTE) - (minutes - 1)) * MINUTE;
      const range = { since, until: now + 1 };
      const [perMinute, latency, totals, depth, nextDue] = await Promise.all([
        store.deliveryMinutes(range),
        store.deliveryLatency(range),
        store.catalogTotals(),
        store.queueDepth(),
        store.nextDueAt(),
      ]);
      const byMinute = new Map(perMinute.map((m) => [m.minute, m]));
      return {
        since: iso(since),
        until: iso(now),
        perMinute: Array.from({ length: minutes }, (_, i) => {
          const minute = since + i * MINUTE;
          const m = byMinute.get(minute);
          return {
            minute: iso(minute),
            succeeded: m?.succeeded ?? 0,
            failed: m?.failed ?? 0,
            retrying: m?.retrying ?? 0,
          };
        }),
        latencyMs: { p50: latency.p50, p99: latency.p99, count: latency.count },
        queue: { depth, oldestPendingAgeMs: nextDue !== null && nextDue <= now ? now - nextDue : 0 },
        endpoints: { total: totals.endpoints, disabled: totals.disabledEndpoints, failing: totals.failingEndpoints },
        apps: { total: totals.apps },
      };
    },
  );

  api.get(
    '/api/v1/stats/app-health',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.stats.app-health',
        tags,
        summary: 'Attempt success and endpoint health per application (extension)',
        description:
          "Hookrelay extension. Attempts made in [since, until) and the endpoints' state now, per application: " +
          `those of \`appIds\` (IDs or uids, at most ${MAX_APP_IDS}), or without it every application with attempts in the ` +
          'window or a failing or disabled endpoint. Defaults: `until` now, `since` 24 hours before `until`.',
        querystring: Type.Object({
          appIds: Type.Optional(
            Type.Array(Type.String({ maxLength: 4096 }), {
              description: 'Applications to report on; repeat the parameter or separate with commas.',
            }),
          ),
          since: Type.Optional(DateTime),
          until: Type.Optional(DateTime),
        }),
        response: { 200: ref(AppHealthListOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const until = q.until === undefined ? Date.now() : queryTime(q.until, 'until');
      const range = checkedRange(q.since === undefined ? until - DAY : queryTime(q.since, 'since'), until, {
        since: 'since',
        until: 'until',
      });
      let appIds: AppId[] | null = null;
      if (q.appIds !== undefined) {
        const named = [
          ...new Set(
            q.appIds
              .flatMap((v) => v.split(','))
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ];
        if (named.length > MAX_APP_IDS)
          throw ValidationError.single(
            ['query', 'appIds'],
            `at most ${MAX_APP_IDS} applications`,
            'value_error.list.max_items',
          );
        appIds = [...new Set(await Promise.all(named.map(async (idOrUid) => (await requireApp(store, idOrUid)).id)))];
      }
      const rows = await store.appHealth(appIds, range);
      return {
        data: rows.map((r) => ({
          appId: r.appId,
          success: r.success,
          failure: r.failure,
          successRate: r.success + r.failure === 0 ? null : r.success / (r.success + r.failure),
          failingEndpoints: r.failingEndpoints,
          disabledEndpoints: r.disabledEndpoints,
        })),
      };
    },
  );

  api.get(
    '/api/v1/stats/failing-endpoints',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.stats.failing-endpoints',
        tags,
        summary: 'Endpoints whose last attempt failed (extension)',
        description:
          'Hookrelay extension. Endpoints with `failingSince` set, disabled or not, by endpoint ID; each with its ' +
          "application, its latest attempt, and whether that attempt's delivery is out of retries.",
        querystring: Type.Composite([
          PageQuerySchema,
          Type.Object({
            appId: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 256,
                description: "Only this application's endpoints (ID or uid).",
              }),
            ),
          }),
        ]),
        response: { 200: ref(ListResponseFailingEndpointOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const appId = q.appId === undefined ? null : (await requireApp(store, q.appId)).id;
      const page = await store.listFailingEndpoints(pageQuery(q, idIterator('endpoint'), 'ascending'), appId);
      return {
        ...page,
        data: page.data.map(({ app, endpoint, lastAttempt, exhausted }) => ({
          appId: app.id,
          appUid: app.uid,
          appName: app.name,
          endpointId: endpoint.id,
          endpointUid: endpoint.uid,
          url: endpoint.url,
          disabled: endpoint.disabled,
          failingSince: iso(endpoint.failingSince!),
          exhausted,
          lastAttempt: lastAttempt && {
            id: lastAttempt.id,
            msgId: lastAttempt.msgId,
            responseStatusCode: lastAttempt.responseStatusCode,
            response: lastAttempt.response,
            timestamp: iso(lastAttempt.createdAt),
          },
        })),
      };
    },
  );
}
