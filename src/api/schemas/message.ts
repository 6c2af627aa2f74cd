import { Type } from '@sinclair/typebox';
import { ApplicationIn } from './application.js';
import { endpointOutFields } from './endpoint.js';
import { Channel, DateTime, EventTypeName, ListResponse, Nullable, ref } from './common.js';

export const Payload = Type.Object(
  {},
  {
    additionalProperties: true,
    description: 'Any JSON object, delivered as given.',
    examples: [{ email: 'test@example.com', username: 'test_user' }],
  },
);
const Channels = Nullable(
  Type.Array(Channel, {
    minItems: 1,
    maxItems: 5,
    uniqueItems: true,
    description: 'Free-form identifiers endpoints can filter by.',
  }),
);
const Tags = Nullable(Type.Array(Channel, { minItems: 1, maxItems: 5, uniqueItems: true }));
const EventId = Nullable(
  Type.String({
    minLength: 1,
    maxLength: 256,
    pattern: '^[a-zA-Z0-9\\-_.]+$',
    description: 'Unique per application: a second message with the same eventId is refused with 409.',
  }),
);

export const MessageIn = Type.Object(
  {
    eventType: EventTypeName,
    payload: Payload,
    eventId: Type.Optional(EventId),
    orderingKey: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 256,
          description:
            'Hookrelay extension: an ordered endpoint delivers the messages of one key one after another, in the order ' +
            'they were accepted (Default: none — one sequence per ordered endpoint). At most 256 bytes.',
        }),
      ),
    ),
    channels: Type.Optional(Channels),
    tags: Type.Optional(Tags),
    deliverAt: Type.Optional(
      Nullable(Type.String({ format: 'date-time', description: 'Deliver no earlier than this time.' })),
    ),
    payloadRetentionPeriod: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 5,
          maximum: 90,
          description: "Days the payload is kept (Default: the server's retention, 90).",
        }),
      ),
    ),
    payloadRetentionHours: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 1,
          maximum: 2160,
          description: 'Hours the payload is kept; overrides payloadRetentionPeriod.',
        }),
      ),
    ),
    application: Type.Optional(Nullable(ref(ApplicationIn))),
    transformationsParams: Type.Optional(
      Nullable(Type.Unknown({ description: 'Accepted for SDK compatibility; ignored.' })),
    ),
  },
  { $id: 'MessageIn' },
);

const messageOutFields = {
  id: Type.String({ examples: ['msg_1srOrx2ZWZBpBUvZwXKQmoEYga2'] }),
  eventType: Type.String(),
  eventId: Nullable(Type.String()),
  channels: Nullable(Type.Array(Type.String())),
  tags: Nullable(Type.Array(Type.String())),
  payload: Type.Object(
    {},
    { additionalProperties: true, description: '`{}` when with_content=false or the payload has expired.' },
  ),
  timestamp: DateTime,
  deliverAt: Nullable(DateTime),
};

export const MessageOut = Type.Object(messageOutFields, { $id: 'MessageOut' });
export const ListResponseMessageOut = ListResponse(MessageOut, 'MessageOut');

export const MessageStatus = Type.Integer({
  enum: [0, 1, 2, 3, 4],
  description: '0 success, 1 pending, 2 fail, 3 sending, 4 canceled.',
});
export const MessageStatusText = Type.Union([
  Type.Literal('success'),
  Type.Literal('pending'),
  Type.Literal('fail'),
  Type.Literal('sending'),
  Type.Literal('canceled'),
]);

export const EndpointMessageOut = Type.Object(
  {
    ...messageOutFields,
    status: MessageStatus,
    statusText: MessageStatusText,
    nextAttempt: Nullable(DateTime),
  },
  { $id: 'EndpointMessageOut' },
);
export const ListResponseEndpointMessageOut = ListResponse(EndpointMessageOut, 'EndpointMessageOut');

export const MessageEndpointOut = Type.Object(
  {
    id: Type.String(),
    ...endpointOutFields,
    createdAt: DateTime,
    updatedAt: DateTime,
    status: MessageStatus,
    statusText: MessageStatusText,
    nextAttempt: Nullable(DateTime),
  },
  { $id: 'MessageEndpointOut' },
);
export const ListResponseMessageEndpointOut = ListResponse(MessageEndpointOut, 'MessageEndpointOut');

export const MessageAttemptOut = Type.Object(
  {
    id: Type.String({ examples: ['atmpt_1srOrx2ZWZBpBUvZwXKQmoEYga2'] }),
    msgId: Type.String(),
    endpointId: Type.String(),
    url: Type.String(),
    response: Type.String({
      description:
        "The receiver's response body (truncated), or why the attempt failed; empty when with_content=false.",
    }),
    responseStatusCode: Type.Integer({ description: '0 when no HTTP response was received.' }),
    responseDurationMs: Type.Integer(),
    status: MessageStatus,
    statusText: MessageStatusText,
    triggerType: Type.Integer({ enum: [0, 1], description: '0 scheduled, 1 manual.' }),
    timestamp: DateTime,
    msg: Type.Optional(Nullable(ref(MessageOut))),
  },
  { $id: 'MessageAttemptOut' },
);
export const ListResponseMessageAttemptOut = ListResponse(MessageAttemptOut, 'MessageAttemptOut');
