import { Type } from '@sinclair/typebox';
import { DateTime, EventTypeName, ListResponse, Nullable } from './common.js';

const Schemas = Nullable(
  Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }), {
    description:
      'JSON Schema of the payload per version, e.g. `{"1": {...}}`. A schema may carry `examples` (used by send-example).',
  }),
);
const FeatureFlag = Nullable(Type.String({ maxLength: 256, pattern: '^[a-zA-Z0-9\\-_.]+$' }));

export const EventTypeIn = Type.Object(
  {
    name: EventTypeName,
    description: Type.String({ maxLength: 8192, examples: ['A user has signed up'] }),
    schemas: Type.Optional(Schemas),
    archived: Type.Optional(Type.Boolean({ default: false })),
    deprecated: Type.Optional(Type.Boolean({ default: false })),
    featureFlag: Type.Optional(FeatureFlag),
  },
  { $id: 'EventTypeIn' },
);

export const EventTypeUpdate = Type.Object(
  {
    description: Type.String({ maxLength: 8192 }),
    schemas: Type.Optional(Schemas),
    archived: Type.Optional(Type.Boolean({ default: false })),
    deprecated: Type.Optional(Type.Boolean({ default: false })),
    featureFlag: Type.Optional(FeatureFlag),
  },
  { $id: 'EventTypeUpdate' },
);

export const EventTypePatch = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 8192 })),
    schemas: Type.Optional(Schemas),
    archived: Type.Optional(Type.Boolean()),
    deprecated: Type.Optional(Type.Boolean()),
    featureFlag: Type.Optional(FeatureFlag),
  },
  { $id: 'EventTypePatch' },
);

export const EventTypeOut = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    schemas: Schemas,
    archived: Type.Boolean(),
    deprecated: Type.Boolean(),
    featureFlag: Nullable(Type.String()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'EventTypeOut' },
);

export const ListResponseEventTypeOut = ListResponse(EventTypeOut, 'EventTypeOut');
