import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Building blocks shared by every resource schema. Named models carry a `$id`: they are
 * registered once on the Fastify instance (`MODELS` in schemas/index.ts), referenced from
 * routes with `ref()`, and become `components.schemas` in the OpenAPI document. The same
 * objects validate requests, shape responses and describe the API.
 */

/** A `$ref` to a named model that keeps the model's static type. */
export function ref<T extends TSchema>(schema: T) {
  if (!schema.$id) throw new Error('ref() needs a schema with $id');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}

/** `T | null` — Svix's nullable fields (OpenAPI 3.1 renders it as anyOf). */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** Svix's identifier pattern for uids, event type names, channels and eventIds. */
export const NAME_PATTERN = '^[a-zA-Z0-9\\-_.]+$';

export const Uid = Type.String({
  minLength: 1,
  maxLength: 256,
  pattern: NAME_PATTERN,
  description: 'Optional unique identifier, usable instead of the ID in paths.',
  examples: ['unique-identifier'],
});
export const EventTypeName = Type.String({
  minLength: 1,
  maxLength: 256,
  pattern: NAME_PATTERN,
  examples: ['user.signup'],
});
export const Channel = Type.String({ minLength: 1, maxLength: 128, pattern: NAME_PATTERN, examples: ['project_123'] });
export const Metadata = Type.Record(Type.String(), Type.String());
export const DateTime = Type.String({ format: 'date-time' });
export const RateLimit = Type.Integer({
  minimum: 1,
  maximum: 65535,
  description: 'Maximum messages per second delivered (null = unlimited).',
});

export const HttpErrorOut = Type.Object(
  {
    code: Type.String({ examples: ['not_found'] }),
    detail: Type.String(),
  },
  {
    $id: 'HttpErrorOut',
    description: 'Every error except validation errors. `code` is stable (docs/errors.md lists them all).',
  },
);

export const ValidationErrorItem = Type.Object(
  {
    loc: Type.Array(Type.Union([Type.String(), Type.Integer()]), {
      description: 'Where the bad value is: ["body", "url"], ["query", "limit"], ["path", "app_id"].',
    }),
    msg: Type.String(),
    type: Type.String({ examples: ['value_error.missing', 'type_error.string', 'value_error'] }),
  },
  { $id: 'ValidationErrorItem' },
);

export const HttpValidationError = Type.Object(
  {
    detail: Type.Array(ref(ValidationErrorItem)),
  },
  { $id: 'HTTPValidationError', description: '422: a well-formed request whose values are not acceptable.' },
);

function errorRef(description: string, model: TSchema = HttpErrorOut) {
  return Type.Unsafe<Static<typeof HttpErrorOut>>(Type.Ref(model.$id!, { description }));
}

/** Error responses every authenticated route may give; merged into each route's `response`. */
export const ERROR_RESPONSES = {
  400: errorRef('Bad Request (invalid_json, invalid_iterator, bad_request)'),
  401: errorRef('Unauthorized (authentication_failed)'),
  403: errorRef('Forbidden (insufficient_access)'),
  404: errorRef('Not Found (not_found)'),
  409: errorRef('Conflict (conflict)'),
  413: errorRef('Payload Too Large (payload_too_large)'),
  415: errorRef('Unsupported Media Type (unsupported_media_type)'),
  422: Type.Unsafe<Static<typeof HttpValidationError>>(
    Type.Ref('HTTPValidationError', { description: 'Validation Error' }),
  ),
  429: errorRef('Too Many Requests (rate_limited)'),
  503: errorRef('Service Unavailable (store_unavailable)'),
} as const;

export const Ordering = Type.Union([Type.Literal('ascending'), Type.Literal('descending')], {
  description: 'The order of the returned items.',
});

export const PageQuerySchema = Type.Object({
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 250, default: 50, description: 'Items per page, 1–250 (Default: 50).' }),
  ),
  iterator: Type.Optional(
    Nullable(Type.String({ maxLength: 300, description: 'The `iterator` (or `prevIterator`) from a previous page.' })),
  ),
});

export const OrderedPageQuery = Type.Composite([PageQuerySchema, Type.Object({ order: Type.Optional(Ordering) })]);

/** `{data, iterator, prevIterator, done}`, Svix's ListResponse_<T>_. */
export function ListResponse<T extends TSchema>(item: T, name: string) {
  return Type.Object(
    {
      data: Type.Array(ref(item)),
      iterator: Nullable(Type.String()),
      prevIterator: Type.Optional(Nullable(Type.String())),
      done: Type.Boolean(),
    },
    { $id: `ListResponse_${name}_` },
  );
}

export const EmptyResponse = Type.Object({}, { $id: 'EmptyResponse' });

/** `event_types` may repeat (`?event_types=a&event_types=b`) or be comma-separated (what the SDK sends). */
export const EventTypesQuery = Type.Optional(
  Type.Array(Type.String({ maxLength: 4096 }), {
    description: 'Only these event types; repeat the parameter or separate with commas.',
  }),
);

export const AppIdParams = Type.Object({
  app_id: Type.String({ minLength: 1, maxLength: 256, description: 'The application ID or uid.' }),
});
export const EndpointParams = Type.Composite([
  AppIdParams,
  Type.Object({ endpoint_id: Type.String({ minLength: 1, maxLength: 256, description: 'The endpoint ID or uid.' }) }),
]);
export const MsgParams = Type.Composite([
  AppIdParams,
  Type.Object({ msg_id: Type.String({ minLength: 1, maxLength: 256, description: 'The message ID or eventId.' }) }),
]);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      maxLength: 256,
      description: 'Replays the first response to a POST with the same key for 24 hours.',
    }),
  ),
});
