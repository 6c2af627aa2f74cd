import { Type } from '@sinclair/typebox';
import { CAPABILITIES } from '../../domain/capabilities.js';
import { ApplicationIn } from './application.js';
import { NAME_PATTERN, Nullable, ref } from './common.js';

/** Portal access, one-time login keys, sessions: Svix's hosted shapes, field for field, plus ours marked as extensions. */

export const AppPortalCapability = Type.Union(
  CAPABILITIES.map((c) => Type.Literal(c)),
  {
    $id: 'AppPortalCapability',
    description:
      "ViewBase: read the app's endpoints, messages and attempts (not secrets). ViewEndpointSecret: also read endpoint secrets. " +
      'ManageEndpointSecret: rotate (and read) secrets. ManageTransformations: accepted, nothing to manage yet. ' +
      'CreateAttempts: resend, recover, send examples. ManageEndpoint: create, change and delete endpoints (secrets included).',
  },
);

const sessionId = (description?: string) =>
  Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9@_-]+$', examples: ['user_1FB8'], description });
const dateTime = (description: string) => Type.String({ format: 'date-time', description });

export const AppPortalAccessIn = Type.Object(
  {
    application: Type.Optional(Nullable(ref(ApplicationIn))),
    capabilities: Type.Optional(
      Nullable(
        Type.Array(ref(AppPortalCapability), {
          uniqueItems: true,
          description:
            'What the token and the portal session may do; must include ViewBase. Omitted: every capability, and also message create, content expunge and application update.',
        }),
      ),
    ),
    expiry: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 3600,
          maximum: 604800,
          description: 'Lifetime of the token and of the portal session, in seconds (Default: 604800, 7 days).',
        }),
      ),
    ),
    sessionId: Type.Optional(
      Nullable(sessionId('A label for this login; `expire-all` can end only the sessions with given labels.')),
    ),
    featureFlags: Type.Optional(
      Nullable(
        Type.Array(Type.String({ maxLength: 256, pattern: NAME_PATTERN }), {
          maxItems: 25,
          uniqueItems: true,
          description: 'Accepted for Svix compatibility; Hookrelay has no feature flags.',
        }),
      ),
    ),
    readOnly: Type.Optional(
      Nullable(Type.Boolean({ deprecated: true, description: 'Deprecated: true is capabilities [ViewBase].' })),
    ),
  },
  { $id: 'AppPortalAccessIn' },
);

export const AppPortalAccessOut = Type.Object(
  {
    url: Type.String({
      description:
        'The consumer portal with a one-time login key in its fragment (`/portal/?app=<id>#key=<key>`); the key works once, for at most HOOKRELAY_PORTAL_LINK_TTL_SECONDS.',
    }),
    token: Type.String({
      description:
        'An app-scoped bearer token with the same capabilities, session label and expiry, for calling the API directly.',
    }),
  },
  { $id: 'AppPortalAccessOut' },
);

export const OneTimeTokenIn = Type.Object(
  {
    oneTimeToken: Type.String({
      minLength: 1,
      maxLength: 512,
      description: "The `key` from a portal link's fragment.",
    }),
  },
  { $id: 'OneTimeTokenIn' },
);

export const OneTimeTokenOut = Type.Object(
  {
    token: Type.String({ description: 'A new app-scoped bearer token: the portal session.' }),
    capabilities: Type.Array(ref(AppPortalCapability)),
    appId: Type.String({ description: 'Hookrelay extension: the application the session is limited to.' }),
    expiresAt: Nullable(dateTime('Hookrelay extension: when the session ends.')),
  },
  { $id: 'OneTimeTokenOut' },
);

export const ApplicationTokenExpireIn = Type.Object(
  {
    expiry: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 0,
          maximum: 259200,
          description: 'Seconds until the tokens expire (Default: 0, at once).',
        }),
      ),
    ),
    sessionIds: Type.Optional(
      Type.Array(sessionId(), {
        maxItems: 1000,
        description:
          "Only tokens, sessions and links with one of these session labels (empty or omitted: all of the app's).",
      }),
    ),
  },
  { $id: 'ApplicationTokenExpireIn' },
);

export const AuthenticationSource = Type.Union(
  ['OidcJwt', 'SvixJwt', 'RegionalAuthToken', 'GlobalAuthToken', 'Unknown'].map((s) => Type.Literal(s)),
  {
    $id: 'AuthenticationSource',
    description:
      'GlobalAuthToken: an admin token. SvixJwt: an app-scoped token (portal token or session, `hookrelay token --app`).',
  },
);

export const WhoamiOut = Type.Object(
  {
    envId: Nullable(Type.String({ description: 'Always null: one Hookrelay is one environment.' })),
    appId: Nullable(Type.String({ description: 'The application the token is limited to; null for admin tokens.' })),
    permissionSource: ref(AuthenticationSource),
    sessionId: Nullable(Type.String()),
    capabilities: Type.Array(ref(AppPortalCapability), {
      description:
        'Hookrelay extension: what the token may do (every capability for admin tokens and tokens minted without a list).',
    }),
    expiresAt: Nullable(dateTime('Hookrelay extension: when the token stops working; null = never.')),
    admin: Type.Boolean({ description: 'Hookrelay extension: an admin token.' }),
  },
  { $id: 'WhoamiOut' },
);
