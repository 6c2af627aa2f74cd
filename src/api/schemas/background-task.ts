import { Type } from '@sinclair/typebox';
import { Channel, DateTime, EventTypeName, ListResponse, Nullable, ref } from './common.js';

/** Svix's background task shapes (hosted API), field for field. */

export const BackgroundTaskStatus = Type.Union(
  [Type.Literal('running'), Type.Literal('finished'), Type.Literal('failed')],
  {
    $id: 'BackgroundTaskStatus',
  },
);

/** Svix's task types, and Hookrelay's `dead-letter.resend`; Hookrelay runs the endpoint ones and its own, and accepts every value as a filter. */
export const BackgroundTaskType = Type.Union(
  [
    'endpoint.replay',
    'endpoint.recover',
    'application.stats',
    'message.broadcast',
    'sdk.generate',
    'event-type.aggregate',
    'application.purge_content',
    'endpoint.bulk-replay',
    'dead-letter.resend',
  ].map((t) => Type.Literal(t)),
  { $id: 'BackgroundTaskType' },
);

export const TaskId = Type.String({
  minLength: 33,
  maxLength: 33,
  pattern: '^qtask_[A-Za-z0-9]{27}$',
  description: "The QueueBackgroundTask's ID.",
  examples: ['qtask_1srOrx2ZWZBpBUvZwXKQmoEYga2'],
});

export const BackgroundTaskOut = Type.Object(
  {
    id: TaskId,
    status: ref(BackgroundTaskStatus),
    task: ref(BackgroundTaskType),
    data: Type.Record(Type.String(), Type.Unknown(), {
      description: 'Progress: `matched` (rows the task selected), `sent` (re-queued), `skipped` (left alone).',
    }),
    updatedAt: DateTime,
  },
  { $id: 'BackgroundTaskOut' },
);

export const ListResponseBackgroundTaskOut = ListResponse(BackgroundTaskOut, 'BackgroundTaskOut');

/** Svix's ReplayOut / RecoverOut: the task a replay route started. */
function taskStarted<K extends string>(task: K, id: string) {
  return Type.Object(
    { id: TaskId, status: ref(BackgroundTaskStatus), task: Type.Literal(task), updatedAt: DateTime },
    { $id: id },
  );
}
export const ReplayOut = Type.Object(
  { id: TaskId, status: ref(BackgroundTaskStatus), task: ref(BackgroundTaskType), updatedAt: DateTime },
  { $id: 'ReplayOut' },
);
export const RecoverOut = taskStarted('endpoint.recover', 'RecoverOut');

const DryRun = Type.Optional(
  Type.Boolean({
    description:
      'Hookrelay extension: answer 200 with the counts the task would have (`TaskDryRunOut`) and start nothing.',
  }),
);

export const RecoverIn = Type.Object(
  {
    since: DateTime,
    until: Type.Optional(Nullable(DateTime)),
    dryRun: DryRun,
  },
  { $id: 'RecoverIn' },
);

export const ReplayIn = Type.Object(
  {
    since: DateTime,
    until: Type.Optional(Nullable(DateTime)),
    dryRun: DryRun,
  },
  { $id: 'ReplayIn' },
);

export const BulkReplayIn = Type.Object(
  {
    since: DateTime,
    until: Type.Optional(Nullable(DateTime)),
    eventTypes: Type.Optional(Nullable(Type.Array(EventTypeName, { uniqueItems: true, maxItems: 100 }))),
    channel: Type.Optional(Nullable(Channel)),
    tag: Type.Optional(Nullable(Channel)),
    status: Type.Optional(
      Nullable(
        Type.Integer({
          enum: [0, 1, 2, 3, 4],
          description: 'Deliveries in this status are re-sent: 0 success, 2 fail (Default: 2). 1, 3 and 4 are refused.',
        }),
      ),
    ),
    statusCodeClass: Type.Optional(
      Nullable(
        Type.Integer({
          enum: [0, 100, 200, 300, 400, 500],
          description: "The class of the delivery's latest response; 0 = no response.",
        }),
      ),
    ),
    dryRun: DryRun,
  },
  { $id: 'BulkReplayIn' },
);

/** Hookrelay extension: a replay route's answer to `dryRun`, what the task would do now. */
export const TaskDryRunOut = Type.Object(
  {
    task: ref(BackgroundTaskType),
    dryRun: Type.Literal(true),
    data: Type.Object({
      matched: Type.Integer({ description: 'Rows the task would select.' }),
      sent: Type.Integer({ description: 'Deliveries it would send.' }),
      skipped: Type.Integer({ description: 'Rows it would leave alone.' }),
    }),
  },
  { $id: 'TaskDryRunOut' },
);
