import type { FastifyReply } from 'fastify';
import { newId } from '../ids.js';
import type { Store, TaskQuery } from '../store/store.js';
import { iso } from '../domain/iso-time.js';

/** Rows a dry run reads per statement. */
const DRY_RUN_CHUNK = 1000;

/**
 * The answer of every route that starts a background task: 202 with the task (Svix's ReplayOut),
 * or, with `dryRun`, 200 with the counts the task would have now, starting nothing.
 */
export async function startTask(
  store: Pick<Store, 'previewBackgroundTask' | 'createBackgroundTask'>,
  reply: FastifyReply,
  query: TaskQuery,
  dryRun: boolean | undefined,
): Promise<FastifyReply> {
  const now = Date.now();
  if (dryRun) {
    const data = await store.previewBackgroundTask(query, now, DRY_RUN_CHUNK);
    return reply.code(200).send({ task: query.kind, dryRun: true, data });
  }
  const task = await store.createBackgroundTask({ id: newId('task', now), ...query, now });
  return reply.code(202).send({ id: task.id, status: task.status, task: query.kind, updatedAt: iso(task.updatedAt) });
}
