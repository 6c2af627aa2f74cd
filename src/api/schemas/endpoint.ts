import { Type, type TSchema } from '@sinclair/typebox';
import { Channel, DateTime, EventTypeName, ListResponse, Metadata, Nullable, RateLimit, Uid } from './common.js';

const EXT = '(Hookrelay extension.)';

const Url = Type.String({
  maxLength: 65536,
  examples: ['https://example.com/webhook/'],
  description: 'http(s) URL deliveries are POSTed to. Not needed for `kind: "poll"` endpoints.',
});
const FilterTypes = Nullable(
  Type.Array(EventTypeName, {
    minItems: 1,
    uniqueItems: true,
    description: 'Only these event types are delivered (null = all).',
  }),
);
const Channels = Nullable(
  Type.Array(Channel, {
    minItems: 1,
    maxItems: 10,
    uniqueItems: true,
    description: 'Only messages carrying one of these channels are delivered (null = all).',
  }),
);
const Secret = Nullable(
  Type.String({
    maxLength: 128,
    description:
      '`whsec_<base64>` (or bare base64, 32–100 chars) for HMAC-SHA256, or `whsk_<base64>` (ed25519 seed). Generated when absent.',
  }),
);
const Headers = Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 4096 }), {
  description: 'Custom headers sent with every delivery.',
});
const Kind = Type.Union([Type.Literal('url'), Type.Literal('poll')], {
  description: `\`url\` (default) receives pushes; \`poll\` endpoints are read through the pull API and need no URL. ${EXT}`,
});
const Format = Type.Union(
  [Type.Literal('standard'), Type.Literal('cloudevents-binary'), Type.Literal('cloudevents-structured')],
  { description: `Delivery format (Default: standard = Standard Webhooks). ${EXT}` },
);
const SigningAlgorithm = Type.Union([Type.Literal('hmac-sha256'), Type.Literal('ed25519')], {
  description: `Algorithm of the generated secret when no \`secret\` is given (Default: hmac-sha256). ${EXT}`,
});

/** Fields that EndpointIn, EndpointUpdate and EndpointPatch share, all optional here. */
const common = {
  uid: Type.Optional(Nullable(Uid)),
  description: Type.Optional(Type.String({ maxLength: 8192 })),
  version: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10000, default: 1 }))),
  filterTypes: Type.Optional(FilterTypes),
  eventTypes: Type.Optional(
    Nullable(Type.Array(EventTypeName, { description: 'Alias of `filterTypes` (older Svix SDKs).' })),
  ),
  channels: Type.Optional(Channels),
  rateLimit: Type.Optional(Nullable(RateLimit)),
  throttleRate: Type.Optional(
    Nullable(Type.Integer({ minimum: 1, maximum: 65535, description: 'Alias of `rateLimit`.' })),
  ),
  disabled: Type.Optional(Type.Boolean({ default: false })),
  metadata: Type.Optional(Metadata),
  format: Type.Optional(Format),
  cloudEventsHandshake: Type.Optional(
    Type.Boolean({
      description: `Send the CloudEvents webhook OPTIONS handshake before the first delivery (Default: false). ${EXT}`,
    }),
  ),
  svixHeaders: Type.Optional(
    Nullable(Type.Boolean({ description: `Also send svix-* headers (null = server default). ${EXT}` })),
  ),
  ordered: Type.Optional(
    Type.Boolean({
      description:
        "Deliver each ordering key's messages one after another: the next only once the previous succeeded or was " +
        `skipped (Default: false; docs/recovery.md). Turned off, waiting messages go at once. ${EXT}`,
    }),
  ),
};

export const EndpointIn = Type.Object(
  {
    url: Type.Optional(Url),
    ...common,
    headers: Type.Optional(Nullable(Headers)),
    secret: Type.Optional(Secret),
    kind: Type.Optional(Kind),
    signingAlgorithm: Type.Optional(SigningAlgorithm),
  },
  { $id: 'EndpointIn' },
);

export const EndpointUpdate = Type.Object(
  { url: Type.Optional(Url), ...common },
  {
    $id: 'EndpointUpdate',
    description: "Replaces the endpoint's settings; omitted fields take their defaults (uid is kept when omitted).",
  },
);

/** A patch leaves what it omits alone, so its fields carry no defaults (the validator would fill them in). */
const patchFields = {
  ...common,
  version: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10000 }))),
  disabled: Type.Optional(Type.Boolean()),
};

export const EndpointPatch = Type.Object(
  { url: Type.Optional(Url), ...patchFields },
  { $id: 'EndpointPatch', description: 'Changes only the fields given; null clears a nullable field.' },
);

/** The Svix endpoint fields every endpoint view shares (EndpointOut, MessageEndpointOut). */
export const endpointOutFields = {
  uid: Nullable(Type.String()),
  url: Type.String(),
  description: Type.String(),
  version: Type.Integer(),
  filterTypes: Nullable(Type.Array(Type.String())),
  channels: Nullable(Type.Array(Type.String())),
  rateLimit: Nullable(Type.Integer()),
  throttleRate: Nullable(Type.Integer()),
  disabled: Type.Boolean(),
  metadata: Metadata,
};

export const EndpointOut = Type.Object(
  {
    id: Type.String({ examples: ['ep_1srOrx2ZWZBpBUvZwXKQmoEYga2'] }),
    ...endpointOutFields,
    kind: Kind,
    format: Format,
    cloudEventsHandshake: Type.Boolean(),
    svixHeaders: Nullable(Type.Boolean()),
    ordered: Type.Boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'EndpointOut' },
);

export const ListResponseEndpointOut = ListResponse(EndpointOut, 'EndpointOut');

export const EndpointHeadersIn = Type.Object({ headers: Headers }, { $id: 'EndpointHeadersIn' });
export const EndpointHeadersPatchIn = Type.Object(
  {
    headers: Type.Record(Type.String({ maxLength: 256 }), Nullable(Type.String({ maxLength: 4096 })), {
      description: 'Headers to set; a null value removes the header.',
    }),
  },
  { $id: 'EndpointHeadersPatchIn' },
);
/** An endpoint's custom headers (schema `headers`) as Svix answers them, under the schema name `$id`. */
export const headersOut = <H extends TSchema>($id: string, headers: H) =>
  Type.Object(
    {
      headers,
      sensitive: Type.Array(Type.String(), {
        description: 'Names of headers whose values are redacted (Hookrelay returns all values; always empty).',
      }),
    },
    { $id },
  );
export const EndpointHeadersOut = headersOut('EndpointHeadersOut', Headers);

export const EndpointSecretOut = Type.Object(
  {
    key: Type.String({
      description:
        'The HMAC secret (`whsec_...`), or for ed25519 endpoints the public key (`whpk_...`) receivers verify with.',
    }),
  },
  { $id: 'EndpointSecretOut' },
);

export const GracePeriodSeconds = Type.Optional(
  Nullable(
    Type.Integer({
      minimum: 0,
      maximum: 604800,
      default: 86400,
      description: 'How long the old secret keeps signing, 0–7 days (Default: 86400).',
    }),
  ),
);

export const EndpointSecretRotateIn = Type.Object(
  {
    key: Type.Optional(Secret),
    gracePeriodSeconds: GracePeriodSeconds,
  },
  { $id: 'EndpointSecretRotateIn' },
);

export const EndpointStats = Type.Object(
  {
    success: Type.Integer(),
    fail: Type.Integer(),
    pending: Type.Integer(),
    sending: Type.Integer(),
    canceled: Type.Integer(),
  },
  { $id: 'EndpointStats' },
);

export const EventExampleIn = Type.Object(
  {
    eventType: EventTypeName,
    exampleIndex: Type.Optional(
      Type.Integer({ minimum: 0, default: 0, description: "Which of the schema's `examples` to send (Default: 0)." }),
    ),
  },
  { $id: 'EventExampleIn' },
);
