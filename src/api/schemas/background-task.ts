import { Type } from '@sinclair/typebox';
import { DateTime, ListResponse, ref } from './common.js';

/** Svix's background task shapes (hosted API), field for field. */

export const BackgroundTaskStatus = Type.Union(
  [Type.Literal('running'), Type.Literal('finished'), Type.Literal('failed')],
  {
    $id: 'BackgroundTaskStatus',
  },
);

/** Svix's task types; Hookrelay runs `endpoint.recover` so far, and accepts every value as a filter. */
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
