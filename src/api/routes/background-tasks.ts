import { Type } from '@sinclair/typebox';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { BackgroundTaskKind } from '../../store/store.js';
import type { Api, ApiContext } from '../context.js';
import { idIterator, mapPage, pageQuery } from '../pagination.js';
import {
  BackgroundTaskOut,
  BackgroundTaskStatus,
  BackgroundTaskType,
  ListResponseBackgroundTaskOut,
  TaskId,
} from '../schemas/background-task.js';
import { ERROR_RESPONSES, OrderedPageQuery, ref } from '../schemas/common.js';
import { backgroundTaskOut } from '../serializers.js';

const tags = ['Background Task'];

/** Svix's background task routes: the tasks of the whole instance (recoveries, replays), newest first. */
export function backgroundTaskRoutes(api: Api, { store }: ApiContext): void {
  api.get(
    '/api/v1/background-task',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.background-task.list',
        tags,
        summary: 'List background tasks',
        querystring: Type.Composite([
          OrderedPageQuery,
          Type.Object({
            status: Type.Optional(ref(BackgroundTaskStatus)),
            task: Type.Optional(ref(BackgroundTaskType)),
          }),
        ]),
        response: { 200: ref(ListResponseBackgroundTaskOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const page = await store.listBackgroundTasks(pageQuery(req.query, idIterator('task'), 'descending'), {
        status: req.query.status,
        // Kinds Hookrelay does not run match nothing (every value is a valid filter, as at Svix).
        kind: req.query.task as BackgroundTaskKind | undefined,
      });
      return mapPage(page, backgroundTaskOut);
    },
  );

  api.post(
    '/api/v1/background-task/:task_id/cancel',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.background-task.cancel',
        tags,
        summary: 'Cancel a running background task (Hookrelay extension)',
        description:
          'The task stops after the chunk in progress and ends `failed` with `data.cancelled: true`; deliveries it ' +
          're-queued already stay queued. A task that is no longer running is a 409.',
        params: Type.Object({ task_id: TaskId }),
        response: { 200: ref(BackgroundTaskOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const r = await store.cancelBackgroundTask(req.params.task_id, Date.now());
      if (r.ok) return backgroundTaskOut(r.task);
      if (r.reason === 'not_found') throw new NotFoundError(`Background task '${req.params.task_id}' not found.`);
      throw new ConflictError(`Background task '${req.params.task_id}' is no longer running.`);
    },
  );

  api.get(
    '/api/v1/background-task/:task_id',
    {
      config: { access: 'admin' },
      schema: {
        operationId: 'v1.background-task.get',
        tags,
        summary: 'Get a background task',
        params: Type.Object({ task_id: TaskId }),
        response: { 200: ref(BackgroundTaskOut), ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const task = await store.getBackgroundTask(req.params.task_id);
      if (!task) throw new NotFoundError(`Background task '${req.params.task_id}' not found.`);
      return backgroundTaskOut(task);
    },
  );
}
