import { Type } from '@sinclair/typebox';
import { OPERATIONAL_EVENT_TYPES } from '../../domain/operational-webhooks.js';
import { DateTime, ListResponse, Metadata, Nullable, Uid } from './common.js';
import { GracePeriodSeconds, headersOut } from './endpoint.js';

/**
 * Svix's operational webhook endpoints (hosted API): the endpoints of the operational
 * application, in Svix's shapes. `eventTypes` is the endpoint's filterTypes, `throttleRate`
 * its rateLimit; the svix SDK 1.x sends and reads those under the endpoint's own names, so
 * both spellings are taken (the hosted API's first) and both are answered.
 */

const Url = Type.String({ minLength: 1, maxLength: 65536, examples: ['https://example.com/webhook/'] });
const EventTypes = Nullable(
  Type.Array(Type.Union(OPERATIONAL_EVENT_TYPES.map((t) => Type.Literal(t))), {
    minItems: 1,
    uniqueItems: true,
    description: 'Only these operational events are sent (null = all).',
    examples: [['message.attempt.failing']],
  }),
);
const ThrottleRate = Nullable(
  Type.Integer({ minimum: 1, maximum: 65535, description: 'Maximum messages per second sent to this endpoint.' }),
);
const Secret = Nullable(
  Type.String({
    maxLength: 128,
    description: '`whsec_<base64>` (or bare base64, 32–100 chars). Generated when absent.',
  }),
);
const Headers = Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 4096 }), {
  examples: [{ 'X-Example': '123' }],
});

const upsertFields = {
  url: Url,
  description: Type.Optional(Type.String({ maxLength: 8192, default: '' })),
  throttleRate: Type.Optional(ThrottleRate),
  rateLimit: Type.Optional(ThrottleRate),
  uid: Type.Optional(Nullable(Uid)),
  disabled: Type.Optional(Type.Boolean({ default: false })),
  eventTypes: Type.Optional(EventTypes),
  filterTypes: Type.Optional(EventTypes),
  metadata: Type.Optional(Metadata),
};

export const OperationalWebhookEndpointIn = Type.Object(
  {
    ...upsertFields,
    secret: Type.Optional(Secret),
    headers: Type.Optional(Nullable(Headers)),
  },
  { $id: 'OperationalWebhookEndpointIn' },
);

export const OperationalWebhookEndpointUpsertIn = Type.Object(upsertFields, {
  $id: 'OperationalWebhookEndpointUpsertIn',
});

export const OperationalWebhookEndpointOut = Type.Object(
  {
    id: Type.String({ examples: ['ep_1srOrx2ZWZBpBUvZwXKQmoEYga2'] }),
    url: Type.String(),
    description: Type.String(),
    throttleRate: Nullable(Type.Integer()),
    rateLimit: Nullable(Type.Integer({ description: 'The same as throttleRate.' })),
    uid: Nullable(Type.String()),
    disabled: Type.Boolean(),
    eventTypes: Nullable(Type.Array(Type.String())),
    filterTypes: Nullable(Type.Array(Type.String(), { description: 'The same as eventTypes.' })),
    createdAt: DateTime,
    updatedAt: DateTime,
    metadata: Metadata,
  },
  { $id: 'OperationalWebhookEndpointOut' },
);

export const ListResponseOperationalWebhookEndpointOut = ListResponse(
  OperationalWebhookEndpointOut,
  'OperationalWebhookEndpointOut',
);

export const OperationalWebhookEndpointSecretOut = Type.Object(
  { key: Type.String() },
  { $id: 'OperationalWebhookEndpointSecretOut' },
);

export const OperationalWebhookEndpointSecretIn = Type.Object(
  {
    key: Type.Optional(Secret),
    gracePeriodSeconds: GracePeriodSeconds,
  },
  { $id: 'OperationalWebhookEndpointSecretIn' },
);

export const OperationalWebhookEndpointHeadersIn = Type.Object(
  { headers: Headers },
  { $id: 'OperationalWebhookEndpointHeadersIn' },
);

export const OperationalWebhookEndpointHeadersOut = headersOut('OperationalWebhookEndpointHeadersOut', Headers);
