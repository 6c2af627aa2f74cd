import { Type } from '@sinclair/typebox';
import { DateTime, ListResponse, Nullable, ref } from './common.js';

/** The operator's views (Hookrelay extensions, admin only): the overview, health per app, failing endpoints. */

export const StatsOverviewOut = Type.Object(
  {
    since: DateTime,
    until: DateTime,
    perMinute: Type.Array(
      Type.Object({
        minute: DateTime,
        succeeded: Type.Integer({ description: 'Successful attempts.' }),
        failed: Type.Integer({ description: 'Failed attempts after which the delivery gave up (no retry left).' }),
        retrying: Type.Integer({ description: 'Failed attempts followed by a retry.' }),
      }),
      { description: 'Every minute of the window, oldest first (the last one is the current, partial minute).' },
    ),
    latencyMs: Type.Object(
      {
        p50: Nullable(Type.Integer()),
        p99: Nullable(Type.Integer()),
        count: Type.Integer({ description: 'First attempts measured.' }),
      },
      {
        description:
          'First attempt minus the time the message was due, over the deliveries first attempted in the window (null: none).',
      },
    ),
    queue: Type.Object({
      depth: Type.Integer({ description: 'Deliveries pending or being sent.' }),
      oldestPendingAgeMs: Type.Integer({
        description: 'How long the oldest due delivery has waited (0: none is due).',
      }),
    }),
    endpoints: Type.Object({
      total: Type.Integer(),
      disabled: Type.Integer(),
      failing: Type.Integer({ description: 'Endpoints whose last attempt failed (failingSince set).' }),
    }),
    apps: Type.Object({ total: Type.Integer() }),
  },
  { $id: 'StatsOverviewOut' },
);

export const AppHealthOut = Type.Object(
  {
    appId: Type.String(),
    success: Type.Integer({ description: 'Successful attempts in the window.' }),
    failure: Type.Integer({ description: 'Failed attempts in the window.' }),
    successRate: Nullable(
      Type.Number({ minimum: 0, maximum: 1, description: 'success ÷ (success + failure); null without attempts.' }),
    ),
    failingEndpoints: Type.Integer(),
    disabledEndpoints: Type.Integer(),
  },
  { $id: 'AppHealthOut' },
);

export const AppHealthListOut = Type.Object({ data: Type.Array(ref(AppHealthOut)) }, { $id: 'AppHealthListOut' });

export const FailingEndpointOut = Type.Object(
  {
    appId: Type.String(),
    appUid: Nullable(Type.String()),
    appName: Type.String(),
    endpointId: Type.String(),
    endpointUid: Nullable(Type.String()),
    url: Type.String(),
    disabled: Type.Boolean(),
    failingSince: DateTime,
    exhausted: Type.Boolean({ description: "The latest attempt's delivery has no retry left." }),
    lastAttempt: Nullable(
      Type.Object({
        id: Type.String(),
        msgId: Type.String(),
        responseStatusCode: Type.Integer(),
        response: Type.String(),
        timestamp: DateTime,
      }),
    ),
  },
  { $id: 'FailingEndpointOut' },
);

export const ListResponseFailingEndpointOut = ListResponse(FailingEndpointOut, 'FailingEndpointOut');
