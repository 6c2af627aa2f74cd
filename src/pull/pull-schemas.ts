import { Type } from '@sinclair/typebox';

/**
 * Request and response shapes of the pull routes (Svix's MessagePoller models where Svix has
 * the route; our extensions marked as such). Inline schemas: they validate, serialise and
 * appear in the OpenAPI document.
 */

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

export const PollerParams = Type.Object({
  app_id: Id('The application ID or uid.'),
  sink_id: Id('The poll endpoint ID or uid.'),
});

export const ConsumerParams = Type.Object({
  app_id: Id('The application ID or uid.'),
  sink_id: Id('The poll endpoint ID or uid.'),
  consumer_id: Type.String({
    minLength: 1,
    maxLength: 128,
    pattern: '^[a-zA-Z0-9\\-_.]+$',
    description: 'Any name; each consumer keeps its own position.',
  }),
});

const Limit = Type.Integer({
  minimum: 1,
  maximum: 250,
  default: 50,
  description: 'Messages per page, 1–250 (Default: 50).',
});
const Iterator = Type.String({ maxLength: 300, description: 'The `iterator` a previous poll returned.' });
const Wait = Type.Integer({
  minimum: 0,
  maximum: 30,
  default: 0,
  description:
    'Extension: long-poll. When nothing is available, wait up to this many seconds for a message (Default: 0).',
});

export const PollQuery = Type.Object({
  limit: Type.Optional(Limit),
  iterator: Type.Optional(Iterator),
  event_type: Type.Optional(Type.String({ maxLength: 256, description: 'Only this event type.' })),
  channel: Type.Optional(Type.String({ maxLength: 128, description: 'Only messages on this channel.' })),
  after: Type.Optional(Type.String({ format: 'date-time', description: 'Only messages created after this time.' })),
  wait: Type.Optional(Wait),
});

export const ConsumerPollQuery = Type.Object({
  limit: Type.Optional(Limit),
  iterator: Type.Optional(
    Type.String({
      maxLength: 300,
      description:
        'The iterator the previous poll returned: commits that position (acknowledges the previous page), then reads after it.',
    }),
  ),
  wait: Type.Optional(Wait),
});

export const StreamQuery = Type.Object({
  iterator: Type.Optional(
    Type.String({ maxLength: 300, description: 'Start after this position (same as the Last-Event-ID header).' }),
  ),
});

export const PollingEndpointMessageOut = Type.Object({
  id: Type.String(),
  eventType: Type.String(),
  eventId: Type.Union([Type.String(), Type.Null()]),
  channels: Type.Union([Type.Array(Type.String()), Type.Null()]),
  tags: Type.Union([Type.Array(Type.String()), Type.Null()]),
  payload: Type.Unknown(),
  timestamp: Type.String({ format: 'date-time' }),
  deliverAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const PollingEndpointOut = Type.Object({
  data: Type.Array(PollingEndpointMessageOut),
  iterator: Type.String(),
  done: Type.Boolean(),
});

export const ConsumerSeekIn = Type.Object({
  after: Type.String({
    format: 'date-time',
    description: 'The consumer continues with the first message created after this time.',
  }),
});

export const ConsumerCommitIn = Type.Object({
  iterator: Iterator,
});

export const IteratorOut = Type.Object({ iterator: Type.String() });

export const ListenIn = Type.Object({
  uid: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      pattern: '^[a-zA-Z0-9\\-_.]+$',
      description: 'Reuse the channel of this name (the same name gives the same channel, also after a restart).',
    }),
  ),
});

export const ListenOut = Type.Object({
  id: Type.String(),
  uid: Type.Union([Type.String(), Type.Null()]),
  url: Type.String({ description: 'Where to send webhooks: anything sent here is published to the stream.' }),
  streamUrl: Type.String({
    description: 'The SSE stream `hookrelay listen` reads (smee.io format at `url`, raw format here).',
  }),
});

export const ChannelParams = Type.Object({
  channel_id: Type.String({ minLength: 1, maxLength: 128 }),
});

export const ConsumerPageQuery = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 250, default: 50, description: 'Consumers per page, 1–250 (Default: 50).' }),
  ),
  iterator: Type.Optional(
    Type.Union([
      Type.String({ maxLength: 300, description: 'The `iterator` (or `prevIterator`) of a previous page.' }),
      Type.Null(),
    ]),
  ),
  order: Type.Optional(
    Type.Union([Type.Literal('ascending'), Type.Literal('descending')], {
      description: 'By consumer ID (Default: ascending).',
    }),
  ),
});

export const ConsumerOut = Type.Object({
  consumerId: Type.String(),
  position: Type.String({ description: 'The committed position, as the iterator the poller takes.' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const ListResponseConsumerOut = Type.Object({
  data: Type.Array(ConsumerOut),
  iterator: Type.Union([Type.String(), Type.Null()]),
  prevIterator: Type.Union([Type.String(), Type.Null()]),
  done: Type.Boolean(),
});
