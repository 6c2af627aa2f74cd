import { Type } from '@sinclair/typebox';
import { AGGREGATIONS } from '../../domain/usage.js';
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

export const MeterIn = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.-]+$' }),
    name: Name,
    eventType: Name,
    aggregation: ref(Aggregation),
    valueProperty: Type.Optional(Nullable(Path)),
    groupBy: Type.Optional(GroupBy),
    filter: Type.Optional(Filter),
  },
  { $id: 'MeterIn' },
);

export const MeterPatchIn = Type.Object(
  { name: Type.Optional(Name), groupBy: Type.Optional(GroupBy), filter: Type.Optional(Filter) },
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
