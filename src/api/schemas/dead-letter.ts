import { Type } from '@sinclair/typebox';
import { DateTime, EventTypeName, ListResponse, Nullable, ref } from './common.js';
import { FAILURE_REASONS, REASON_CLASSES } from '../../domain/failure-reason.js';

/** Dead letters (Hookrelay extension, admin only): failed deliveries with why, by whose fault. */

export const ReasonClass = Type.Union(
  REASON_CLASSES.map((c) => Type.Literal(c)),
  {
    $id: 'ReasonClass',
    description:
      "Whose fault: `endpoint` (the receiver's answer, timeout, connection, DNS, TLS, disabled) or `platform` (blocked by the SSRF guard, payload expired).",
  },
);

export const FailureReason = Type.Union(
  Object.keys(FAILURE_REASONS).map((r) => Type.Literal(r)),
  { $id: 'FailureReason' },
);

const Selection = {
  appId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 256, description: 'Only this application (ID or uid).' }),
  ),
  endpointId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 256, description: 'Only this endpoint (ID or uid; needs `appId`).' }),
  ),
  reasonClass: Type.Optional(ref(ReasonClass)),
  eventType: Type.Optional(EventTypeName),
};

export const DeadLetterQuery = Type.Object({
  ...Selection,
  since: Type.Optional(DateTime),
  until: Type.Optional(DateTime),
});

export const DeadLetterOut = Type.Object(
  {
    id: Type.String({ description: "The delivery's ID." }),
    appId: Type.String(),
    endpointId: Type.String(),
    msgId: Type.String(),
    eventType: Type.String(),
    reason: Nullable(ref(FailureReason)),
    reasonClass: Nullable(ref(ReasonClass)),
    attempts: Type.Integer(),
    failedAt: DateTime,
    lastAttempt: Nullable(
      Type.Object({
        id: Type.String(),
        responseStatusCode: Type.Integer({ description: '0: no response.' }),
        url: Type.String({ description: 'The attempt in the API: GET it (Svix route).' }),
      }),
    ),
  },
  { $id: 'DeadLetterOut' },
);

export const ListResponseDeadLetterOut = ListResponse(DeadLetterOut, 'DeadLetterOut');

export const DeadLetterCountsOut = Type.Object(
  {
    data: Type.Array(
      Type.Object({
        appId: Type.String(),
        endpointId: Type.String(),
        endpoint: Type.Integer({ description: 'Dead letters by endpoint fault.' }),
        platform: Type.Integer({ description: 'Dead letters by platform fault.' }),
        unclassified: Type.Integer({ description: 'Dead letters that failed before reasons were kept.' }),
        held: Type.Integer({
          description: 'Pending deliveries the endpoint holds while disabled (sent once enabled).',
        }),
      }),
      { description: 'Per endpoint with any, most first.' },
    ),
  },
  { $id: 'DeadLetterCountsOut' },
);

export const DeadLetterResendIn = Type.Object(
  {
    ...Selection,
    since: DateTime,
    until: Type.Optional(Nullable(DateTime)),
    dryRun: Type.Optional(
      Type.Boolean({ description: 'Answer 200 with the counts the task would have; start nothing.' }),
    ),
  },
  { $id: 'DeadLetterResendIn' },
);
