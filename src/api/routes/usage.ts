import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConflictError, HookrelayError, NotFoundError, ValidationError } from '../../errors.js';
import { needsValue, WINDOWS, type Meter, type UsageEvent, type WindowSize } from '../../domain/usage.js';
import { isReservedUsageType, isTrafficType, TRAFFIC_FEEDS } from '../../domain/traffic-usage.js';
import { ensureUsageEventTypes } from '../usage-event-types.js';
import { UsageIngest } from '../../usage/usage-ingest.js';
import { usageKey } from '../../store/catalog/usage.js';
import type { Api, ApiContext } from '../context.js';
import { pageQuery } from '../pagination.js';
import { ERROR_RESPONSES, PageQuerySchema, ref } from '../schemas/common.js';
import {
  ListResponseMeterOut,
  ListResponseUsageReportOut,
  MeterIn,
  MeterOut,
  MeterPatchIn,
  MeterQueryOut,
  UsageEventIn,
  UsageIngestOut,
} from '../schemas/usage.js';
import { iso } from '../../domain/iso-time.js';
import { checkPaths, meterOut, reportOf, reportOut, thresholdsOf } from '../meter-input.js';
import { queryTime } from '../time-range.js';

const tags = ['Usage'];
/** Events one request may carry. */
export const MAX_USAGE_BATCH = 1000;
/** How far in the future an event's time may be (producers' clocks drift). */
const FUTURE_MS = 5 * 60_000;
/** Windows one query may return at most (from/to over windowSize). */
const MAX_WINDOWS = 10_000;

const DAY = 86_400_000;

/**
 * Usage metering, Hookrelay's extension (admin only; docs/usage.md): usage events in as
 * CloudEvents, deduplicated by (source, id), each bad event refused on its own; meters that
 * aggregate them; exact queries per subject and window.
 */
export function usageRoutes(api: Api, { store, config }: ApiContext): void {
  const ingest = new UsageIngest(store);
  api.post(
    '/api/v1/usage/events',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.usage.ingest',
        tags,
        summary: 'Report usage events (CloudEvents 1.0, one or a batch)',
        description:
          'One event (`application/cloudevents+json`) or a batch (`application/cloudevents-batch+json`, or JSON ' +
          `arrays), at most ${MAX_USAGE_BATCH}. Each event is stored once per (source, id) — a retried batch counts ` +
          'nothing twice — and is durable before the answer. An event whose shape is wrong, or whose time is older ' +
          'than the usage window or more than 5 minutes ahead, or whose type is under `hookrelay.` (Hookrelay’s own ' +
          'traffic), is rejected on its own and listed; the rest are stored.',
        body: Type.Unknown(),
        response: { 200: ref(UsageIngestOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const body = req.body;
      const batch = Array.isArray(body);
      const items: unknown[] = batch ? body : [body];
      if (!batch && (body === null || typeof body !== 'object'))
        throw ValidationError.single(['body'], 'a CloudEvent object or an array of them', 'type_error');
      if (items.length > MAX_USAGE_BATCH)
        throw new HookrelayError(
          'payload_too_large',
          413,
          `A batch holds at most ${MAX_USAGE_BATCH} events; this one has ${items.length}.`,
        );
      const now = Date.now();
      const oldest = now - config.usageWindowDays * DAY;
      const rejected: Array<{ index: number; id: string | null; reason: string }> = [];
      const events: UsageEvent[] = [];
      const seen = new Set<string>();
      items.forEach((item, index) => {
        const id = typeof (item as { id?: unknown })?.id === 'string' ? (item as { id: string }).id : null;
        if (!Value.Check(UsageEventIn, item)) {
          const e = Value.Errors(UsageEventIn, item).First();
          rejected.push({ index, id, reason: e ? `${e.path || '/'}: ${e.message}` : 'not a CloudEvent' });
          return;
        }
        const ev = item as {
          specversion?: unknown;
          id: string;
          source: string;
          type: string;
          subject: string;
          time?: string;
          data?: unknown;
        };
        if (ev.specversion !== undefined && ev.specversion !== '1.0') {
          rejected.push({ index, id, reason: `specversion ${String(ev.specversion)}: only 1.0 is read` });
          return;
        }
        const time = ev.time === undefined ? now : Date.parse(ev.time);
        if (Number.isNaN(time)) rejected.push({ index, id, reason: 'time is not a date-time' });
        else if (time < oldest)
          rejected.push({ index, id, reason: `older than the usage window (${config.usageWindowDays} days)` });
        else if (time > now + FUTURE_MS) rejected.push({ index, id, reason: 'more than 5 minutes in the future' });
        else if (isReservedUsageType(ev.type))
          rejected.push({ index, id, reason: `type ${ev.type}: hookrelay.* types are Hookrelay's own traffic` });
        else if (!seen.has(usageKey(ev.source, ev.id))) {
          seen.add(usageKey(ev.source, ev.id));
          events.push({ source: ev.source, id: ev.id, type: ev.type, subject: ev.subject, time, data: ev.data });
        }
      });
      const fresh = events.length === 0 ? 0 : await ingest.record(events, now);
      return { accepted: fresh, duplicates: items.length - rejected.length - fresh, rejected };
    },
  );

  api.post(
    '/api/v1/meter',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.meter.create',
        tags,
        summary: 'Create a meter',
        description:
          'A meter aggregates the usage events of `eventType` per subject: `count`, or `sum`/`max`/`last`/' +
          '`unique_count` of the value at `valueProperty`; optionally split by `groupBy` and narrowed by `filter`. ' +
          'With `report`, each period’s value per subject is sent as a `usage.report` message; with `thresholds`, ' +
          'each crossing as `usage.threshold.crossed` (both event types are registered in the catalog). ' +
          '`eventType` `hookrelay.message.accepted` or `hookrelay.delivery.succeeded` meters Hookrelay’s own ' +
          'traffic per application (docs/usage.md).',
        body: ref(MeterIn),
        response: { 201: ref(MeterOut), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const valueProperty = b.valueProperty ?? null;
      if (needsValue(b.aggregation) && valueProperty === null)
        throw ValidationError.single(
          ['body', 'valueProperty'],
          `${b.aggregation} needs a valueProperty`,
          'value_error',
        );
      if (isReservedUsageType(b.eventType) && !isTrafficType(b.eventType))
        throw ValidationError.single(
          ['body', 'eventType'],
          `${b.eventType} is not one of Hookrelay's own usage types (${Object.keys(TRAFFIC_FEEDS).join(', ')})`,
          'value_error',
        );
      const groupBy = b.groupBy ?? {};
      const filter = b.filter ?? {};
      checkPaths(
        [
          ...(valueProperty === null ? [] : [[['valueProperty'], valueProperty] as [string[], string]]),
          ...Object.entries(groupBy).map(([k, p]): [string[], string] => [['groupBy', k], p]),
          ...Object.keys(filter).map((p): [string[], string] => [['filter', p], p]),
        ],
        Object.keys(groupBy),
      );
      const now = Date.now();
      const report = (await reportOf(b.report, now, store)) ?? null;
      const thresholds = thresholdsOf(b.thresholds) ?? [];
      const m: Meter = {
        key: b.key,
        name: b.name,
        eventType: b.eventType,
        aggregation: b.aggregation,
        valueProperty,
        groupBy,
        filter,
        report,
        thresholds,
        createdAt: now,
        updatedAt: now,
      };
      if (report !== null || thresholds.length > 0) await ensureUsageEventTypes(store);
      const created = await store.createMeter(m);
      if (!created) throw new ConflictError(`A meter with key ${b.key} exists already.`);
      return reply.code(201).send(meterOut(created));
    },
  );

  api.get(
    '/api/v1/meter',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.meter.list',
        tags,
        summary: 'List meters',
        querystring: PageQuerySchema,
        response: { 200: ref(ListResponseMeterOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const page = await store.listMeters(pageQuery(req.query, (c) => /^[A-Za-z0-9_.-]{1,128}$/.test(c), 'ascending'));
      return { ...page, data: page.data.map(meterOut) };
    },
  );

  const KeyParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 128 }) });
  const requireMeter = async (key: string) => {
    const m = await store.getMeter(key);
    if (!m) throw new NotFoundError('Meter', key);
    return m;
  };

  api.get(
    '/api/v1/meter/:key',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.meter.get',
        tags,
        summary: 'Get a meter',
        params: KeyParams,
        response: { 200: ref(MeterOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => meterOut(await requireMeter(req.params.key)),
  );

  api.patch(
    '/api/v1/meter/:key',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.meter.patch',
        tags,
        summary: "Change a meter's name, groups, filter, report or thresholds",
        description:
          'What a meter counts (event type, aggregation, value) does not change: create another meter. A new ' +
          '`report` starts over at its `startAt` (a period reported before is not reported twice); `null` stops reports.',
        params: KeyParams,
        body: ref(MeterPatchIn),
        response: { 200: ref(MeterOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const b = req.body;
      checkPaths(
        [
          ...Object.entries(b.groupBy ?? {}).map(([k, p]): [string[], string] => [['groupBy', k], p]),
          ...Object.keys(b.filter ?? {}).map((p): [string[], string] => [['filter', p], p]),
        ],
        Object.keys(b.groupBy ?? {}),
      );
      const now = Date.now();
      const report = await reportOf(b.report, now, store);
      const thresholds = thresholdsOf(b.thresholds);
      if (report || (thresholds && thresholds.length > 0)) await ensureUsageEventTypes(store);
      const m = await store.updateMeter(
        req.params.key,
        {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.groupBy !== undefined ? { groupBy: b.groupBy } : {}),
          ...(b.filter !== undefined ? { filter: b.filter } : {}),
          ...(report !== undefined ? { report } : {}),
          ...(thresholds !== undefined ? { thresholds } : {}),
        },
        now,
      );
      if (!m) throw new NotFoundError('Meter', req.params.key);
      return meterOut(m);
    },
  );

  api.delete(
    '/api/v1/meter/:key',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.meter.delete',
        tags,
        summary: 'Delete a meter (its events stay)',
        params: KeyParams,
        response: { 204: Type.Null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      if (!(await store.deleteMeter(req.params.key))) throw new NotFoundError('Meter', req.params.key);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/api/v1/meter/:key/query',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.meter.query',
        tags,
        summary: "A meter's exact aggregates over [from, to)",
        description:
          'Per subject (all, or `subject`), per window of `windowSize` aligned on `from` (none: one window), per ' +
          'group named in `groupBy` (comma-separated names of the meter’s groups). Computed from the stored events.',
        params: KeyParams,
        querystring: Type.Object({
          from: Type.String({ format: 'date-time' }),
          to: Type.String({ format: 'date-time' }),
          subject: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          windowSize: Type.Optional(Type.Union(Object.keys(WINDOWS).map((w) => Type.Literal(w)))),
          groupBy: Type.Optional(Type.String({ maxLength: 1100 })),
        }),
        response: { 200: ref(MeterQueryOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const q = req.query;
      const meter = await requireMeter(req.params.key);
      const from = queryTime(q.from, 'from');
      const to = queryTime(q.to, 'to');
      if (from > to) throw ValidationError.single(['query', 'to'], 'to must not be before from', 'value_error');
      const windowSize = (q.windowSize ?? null) as WindowSize | null;
      if (windowSize !== null && (to - from) / WINDOWS[windowSize] > MAX_WINDOWS)
        throw ValidationError.single(['query', 'windowSize'], `more than ${MAX_WINDOWS} windows`, 'value_error');
      const groupBy = q.groupBy ? q.groupBy.split(',').map((g) => g.trim()) : [];
      const unknown = groupBy.filter((g) => !(g in meter.groupBy));
      if (unknown.length > 0)
        throw ValidationError.single(
          ['query', 'groupBy'],
          `not a group of this meter: ${unknown.join(', ')}`,
          'value_error',
        );
      const rows = await store.queryMeter(meter, { from, to, subject: q.subject ?? null, windowSize, groupBy });
      return {
        from: iso(from),
        to: iso(to),
        windowSize,
        data: rows.map((r) => ({ ...r, windowStart: iso(r.windowStart), windowEnd: iso(r.windowEnd) })),
      };
    },
  );

  api.get(
    '/api/v1/meter/:key/report',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.meter.report.list',
        tags,
        summary: "A meter's reports: what was sent, with versions",
        description:
          'Newest period first by default (`iterator`/`limit`/`order` as everywhere). Each report is one ' +
          '`usage.report` message (`msgId`) unless its application does not exist (`no_app`).',
        params: KeyParams,
        querystring: Type.Composite([
          PageQuerySchema,
          Type.Object({ subject: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) }),
        ]),
        response: { 200: ref(ListResponseUsageReportOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      await requireMeter(req.params.key);
      const page = await store.listUsageReports(
        req.params.key,
        req.query.subject ?? null,
        pageQuery(req.query, (c) => /^rpt_[0-9a-z]{9}[0-9a-f]{24}$/.test(c), 'descending'),
      );
      return { ...page, data: page.data.map(reportOut) };
    },
  );
}
