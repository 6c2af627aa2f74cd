import { Type } from '@sinclair/typebox';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Api, ApiContext } from '../context.js';
import { requireApp } from '../lookup.js';
import { AppIdParams, DateTime, ERROR_RESPONSES, EventTypesQuery, ref } from '../schemas/common.js';
import { AppAttemptStatsOut, AttemptStatisticsResponse, StatisticsPeriod } from '../schemas/stats.js';
import { iso } from '../../domain/iso-time.js';
import { checkedRange, queryTime } from '../time-range.js';
import { eventTypesOf } from './messages.js';
import type { EndpointId } from '../../ids.js';

const tags = ['Statistics'];

const PERIOD_MS = { OneDay: 86_400_000, OneHour: 3_600_000, FiveMinutes: 300_000 } as const;
type Period = keyof typeof PERIOD_MS;

/** Without startDate: this long before endDate (6 hours of five-minute points, else a day). */
const DEFAULT_SPAN_MS: Record<Period, number> = { OneDay: 86_400_000, OneHour: 86_400_000, FiveMinutes: 6 * 3_600_000 };

/** The most points one answer holds: a year of days is 366, a month of hours 744; five-minute points cover ~3.5 days. */
export const MAX_POINTS = 1000;

/** Svix's attempt statistics of one application: a series per period, and totals by event type. */
export function statsRoutes(api: Api, { store }: ApiContext): void {
  api.get(
    '/api/v1/stats/app/:app_id/attempt',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.stats.app-attempts',
        tags,
        summary: 'Attempt counts of an application per period',
        description:
          'One point per period from `startDate` (rounded down to the period, in UTC) to `endDate` (exclusive): ' +
          'successful, failed and canceled attempts (Hookrelay cancels none). Defaults: `period` OneHour, `endDate` now, ' +
          '`startDate` 24 hours before `endDate` (6 hours for FiveMinutes). At most 1000 points. ' +
          "Extension: `endpointId` counts one endpoint's attempts only.",
        params: AppIdParams,
        querystring: Type.Object({
          startDate: Type.Optional(DateTime),
          endDate: Type.Optional(DateTime),
          period: Type.Optional(ref(StatisticsPeriod)),
          event_types: EventTypesQuery,
          endpointId: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 256,
              description: "Only this endpoint's attempts (ID or uid). (Hookrelay extension.)",
            }),
          ),
        }),
        response: { 200: ref(AttemptStatisticsResponse), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const app = await requireApp(store, req.params.app_id);
      const period: Period = q.period ?? 'OneHour';
      const bucketMs = PERIOD_MS[period];
      const endDate = q.endDate === undefined ? Date.now() : queryTime(q.endDate, 'endDate');
      const startDate =
        q.startDate === undefined ? endDate - DEFAULT_SPAN_MS[period] : queryTime(q.startDate, 'startDate');
      checkedRange(startDate, endDate, { since: 'startDate', until: 'endDate' });
      const range = { since: Math.floor(startDate / bucketMs) * bucketMs, until: endDate };
      const points = Math.max(1, Math.ceil((range.until - range.since) / bucketMs));
      if (points > MAX_POINTS) {
        throw ValidationError.single(
          ['query', 'startDate'],
          `the range holds ${points} ${period} periods; at most ${MAX_POINTS} are returned: shorten it or choose a longer period`,
        );
      }
      let endpointId: EndpointId | undefined;
      if (q.endpointId !== undefined) {
        const endpoint = await store.getEndpoint(app.id, q.endpointId);
        if (!endpoint) throw new NotFoundError('Endpoint', q.endpointId);
        endpointId = endpoint.id;
      }
      const rows = await store.attemptHistogram(app.id, {
        ...range,
        bucketMs,
        endpointId,
        eventTypes: eventTypesOf(q.event_types),
      });
      const successCount = new Array<number>(points).fill(0);
      const failureCount = new Array<number>(points).fill(0);
      for (const r of rows) {
        successCount[r.bucket] = r.success;
        failureCount[r.bucket] = r.failure;
      }
      return {
        startDate: iso(range.since),
        endDate: iso(range.until),
        period,
        data: { successCount, failureCount, canceledCount: new Array<number>(points).fill(0) },
      };
    },
  );

  api.get(
    '/api/v1/app/:app_id/stats/attempts',
    {
      config: { capability: 'ViewBase' },
      schema: {
        operationId: 'v1.application.stats.attempts',
        tags,
        summary: 'Attempt counts of an application by event type',
        description:
          'Attempts made in [since, until), by the event type of their message. Hookrelay cancels no attempt: `canceled` is 0.',
        params: AppIdParams,
        querystring: Type.Object({ since: DateTime, until: DateTime, event_types: EventTypesQuery }),
        response: { 200: ref(AppAttemptStatsOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const app = await requireApp(store, req.params.app_id);
      const range = checkedRange(queryTime(q.since, 'since'), queryTime(q.until, 'until'), {
        since: 'since',
        until: 'until',
      });
      const rows = await store.attemptCountsByEventType(app.id, { ...range, eventTypes: eventTypesOf(q.event_types) });
      const byEventType: Record<string, { success: number; failure: number; canceled: number }> = {};
      let success = 0;
      let failure = 0;
      for (const r of rows) {
        byEventType[r.eventType] = { success: r.success, failure: r.failure, canceled: 0 };
        success += r.success;
        failure += r.failure;
      }
      return {
        by_event_type: byEventType,
        total_success: success,
        total_failure: failure,
        total_canceled: 0,
        since: iso(range.since),
        until: iso(range.until),
      };
    },
  );
}
