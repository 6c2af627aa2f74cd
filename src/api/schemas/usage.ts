import { Type } from '@sinclair/typebox';
import { AGGREGATIONS } from '../../domain/usage.js';
import { REPORT_EVERY } from '../../domain/usage-period.js';
import { DateTime, ListResponse, Nullable, ref } from './common.js';

/** Usage metering (Hookrelay extension, admin only): usage events in, meters, their queries. */

const Name = Type.String({ minLength: 1, maxLength: 256 });
const Path = Type.String({
  minLength: 3,
  maxLength: 600,
  description: 'A path into the event `data`: `$.name` or `$.a.b` (letters, digits, `_`, `-`).',
  examples: ['$.tokens'],
});

/** One CloudEvent 1.0 as Hookrelay reads it; the route checks each event itself (a batch is not all-or-nothing). */
export const UsageEventIn = Type.Object(
  {
    specversion: Type.Optional(Type.String()),
    id: Name,
    source: Name,
    type: Name,
    subject: Type.String({ minLength: 1, maxLength: 256, description: 'The customer: an application ID or uid.' }),
    time: Type.Optional(Type.String({ maxLength: 64, description: 'RFC 3339 (Default: when it arrives).' })),
    data: Type.Optional(Type.Unknown()),
  },
  { $id: 'UsageEventIn', additionalProperties: true },
);

export const UsageIngestOut = Type.Object(
  {
    accepted: Type.Integer({ description: 'Events stored now.' }),
    duplicates: Type.Integer({ description: 'Events stored before (same source and id): not counted again.' }),
    rejected: Type.Array(
      Type.Object({
        index: Type.Integer({ description: "The event's position in the batch (0 for a single event)." }),
        id: Nullable(Type.String()),
        reason: Type.String(),
      }),
    ),
  },
  { $id: 'UsageIngestOut' },
);

export const Aggregation = Type.Union(
  AGGREGATIONS.map((a) => Type.Literal(a)),
  { $id: 'MeterAggregation' },
);

const GroupBy = Type.Record(Type.String(), Path, {
  description: 'Group name (letters, digits, `_`, `-`; up to 64) → path of the value to group by.',
  maxProperties: 16,
});
const Filter = Type.Record(
  Type.String({ maxLength: 600 }),
  Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
  {
    description: 'Path → the value `data` must hold there for an event to count.',
    maxProperties: 16,
  },
);

const Every = Type.Union(
  REPORT_EVERY.map((e) => Type.Literal(e)),
  { description: 'Calendar periods in `timezone`.' },
);

export const MeterReportIn = Type.Object(
  {
    every: Every,
    timezone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the periods (Default: UTC).' }),
    ),
    graceSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 604_800,
        description: 'How long after a period ends its reports wait for late events (Default: 300).',
      }),
    ),
    deliverTo: Type.String({
      minLength: 1,
      maxLength: 256,
      description:
        '`subject`: each report goes to its subject’s own application (the subject is an application ID or uid); ' +
        'otherwise the ID or uid of the one application every report goes to (e.g. the SaaS’s billing handler).',
    }),
    allSubjects: Type.Optional(
      Type.Boolean({
        description:
          'Report every application (by uid, else ID) each period, those without usage too (Default: false).',
      }),
    ),
    startAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'The first period reported is the one holding this instant; earlier ones are reported at once (Default: now).',
      }),
    ),
  },
  { $id: 'MeterReportIn' },
);

export const ThresholdIn = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.-]+$' }),
    value: Type.Number({ exclusiveMinimum: 0 }),
    recurring: Type.Optional(
      Type.Boolean({ description: 'Fire at each multiple of `value`, not only the first (Default: false).' }),
    ),
  },
  { $id: 'ThresholdIn' },
);

const Thresholds = Type.Array(ref(ThresholdIn), {
  maxItems: 32,
  description:
    'Each crossing, per subject and period (the report’s, or calendar months in UTC), sends one `usage.threshold.crossed`.',
});

export const MeterReportOut = Type.Object(
  {
    every: Every,
    timezone: Type.String(),
    graceSeconds: Type.Integer(),
    deliverTo: Type.String(),
    allSubjects: Type.Boolean(),
    startAt: DateTime,
  },
  { $id: 'MeterReportOut' },
);

export const MeterIn = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.-]+$' }),
    name: Name,
    eventType: Name,
    aggregation: ref(Aggregation),
    valueProperty: Type.Optional(Nullable(Path)),
    groupBy: Type.Optional(GroupBy),
    filter: Type.Optional(Filter),
    report: Type.Optional(Nullable(ref(MeterReportIn))),
    thresholds: Type.Optional(Thresholds),
  },
  { $id: 'MeterIn' },
);

export const MeterPatchIn = Type.Object(
  {
    name: Type.Optional(Name),
    groupBy: Type.Optional(GroupBy),
    filter: Type.Optional(Filter),
    report: Type.Optional(Nullable(ref(MeterReportIn))),
    thresholds: Type.Optional(Thresholds),
  },
  { $id: 'MeterPatchIn' },
);

export const MeterOut = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    eventType: Type.String(),
    aggregation: ref(Aggregation),
    valueProperty: Nullable(Type.String()),
    groupBy: Type.Record(Type.String(), Type.String()),
    filter: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    report: Nullable(ref(MeterReportOut)),
    thresholds: Type.Array(Type.Object({ code: Type.String(), value: Type.Number(), recurring: Type.Boolean() })),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'MeterOut' },
);

export const ListResponseMeterOut = ListResponse(MeterOut, 'MeterOut');

export const MeterQueryOut = Type.Object(
  {
    from: DateTime,
    to: DateTime,
    windowSize: Nullable(Type.String()),
    data: Type.Array(
      Type.Object({
        windowStart: DateTime,
        windowEnd: DateTime,
        subject: Type.String(),
        groupBy: Type.Record(Type.String(), Nullable(Type.String())),
        value: Nullable(Type.Number()),
      }),
    ),
  },
  { $id: 'MeterQueryOut' },
);

const GroupValues = Type.Array(
  Type.Object({ groupBy: Type.Record(Type.String(), Nullable(Type.String())), value: Nullable(Type.Number()) }),
);

/** The `data` of a `usage.report` message, and a row of a meter's report list. */
export const UsageReportData = Type.Object(
  {
    reportId: Type.String({
      description: 'Derived from (meter, subject, period, version): the same report has the same ID.',
    }),
    meter: Type.String(),
    subject: Type.String(),
    periodStart: DateTime,
    periodEnd: DateTime,
    value: Nullable(Type.Number()),
    groups: GroupValues,
    version: Type.Integer({ minimum: 1, description: 'Above 1: late events changed a period reported before.' }),
  },
  { $id: 'UsageReportData' },
);

export const UsageReportOut = Type.Object(
  {
    ...UsageReportData.properties,
    status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('no_app')], {
      description: '`pending` until its message is written; `no_app`: the application it goes to does not exist.',
    }),
    msgId: Nullable(Type.String()),
    createdAt: DateTime,
  },
  { $id: 'UsageReportOut' },
);

export const ListResponseUsageReportOut = ListResponse(UsageReportOut, 'UsageReportOut');

/** The `data` of a `usage.threshold.crossed` message. */
export const ThresholdCrossedData = Type.Object(
  {
    code: Type.String(),
    meter: Type.String(),
    subject: Type.String(),
    value: Type.Number({ description: 'The subject’s usage in the period when the crossing was seen.' }),
    threshold: Type.Number({ description: 'The level crossed: the threshold × multiple.' }),
    multiple: Type.Integer({ minimum: 1 }),
    periodStart: DateTime,
  },
  { $id: 'ThresholdCrossedData' },
);
