import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TaskRunner } from '../../src/delivery/task-runner.js';
import { newId } from '../../src/ids.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../api/api-harness.js';
import {
  FAIL,
  PENDING,
  attemptIn,
  deliveryOf,
  mkApp,
  mkEndpoint,
  mkMessages,
  msgIn,
} from '../store/contract/fixtures.js';
import { memoryLogger, waitFor } from './worker-harness.js';

/** The runner that advances background tasks: it takes over a task whose holder died, and resumes at its cursor. */
describe('TaskRunner', () => {
  let store: Store;
  let cleanup: () => void;
  before(async () => {
    ({ store, cleanup } = await openSqliteStore());
  });
  after(async () => {
    await store.close();
    cleanup();
  });

  it('takes over a recovery whose holder stopped mid-way and finishes it, re-queuing each row once', async () => {
    const now = Date.now();
    const app = await mkApp(store);
    const ep = await mkEndpoint(store, app.id);
    const msgs = await mkMessages(
      store,
      Array.from({ length: 7 }, (_, i) => msgIn(app.id, { now: now - 10_000 + i, deliverAt: now - 10_000 + i })),
    );
    const claimed = await store.claimDeliveries({
      owner: 'w',
      limit: 100,
      leaseMs: 60_000,
      now,
      perEndpointLimit: 100,
    });
    await store.completeDeliveries(
      claimed.map((c) => ({
        deliveryId: c.delivery.id,
        owner: 'w',
        attempt: attemptIn(FAIL, now),
        next: { kind: 'fail' as const },
      })),
    );
    const task = await store.createBackgroundTask({
      id: newId('task'),
      kind: 'endpoint.recover',
      appId: app.id,
      endpointId: ep.id,
      params: { since: now - 60_000, until: null },
      now,
    });

    // A holder that ran one chunk of three and died: its lease (300 ms) runs out unrenewed.
    await store.claimBackgroundTask('dead-runner', Date.now(), 300);
    const partial = await store.advanceBackgroundTask(task.id, 'dead-runner', Date.now(), 3, 300);
    assert.deepEqual(partial?.data, { matched: 3, sent: 3, skipped: 0 });

    const logger = memoryLogger();
    const runner = new TaskRunner({ store, logger, chunk: 3, leaseMs: 300, idleMs: 20 });
    runner.start();
    try {
      await waitFor(async () => (await store.getBackgroundTask(task.id))?.status === 'finished', 5000, 'task finished');
    } finally {
      await runner.stop();
    }
    const done = await store.getBackgroundTask(task.id);
    assert.deepEqual(done?.data, { matched: 7, sent: 7, skipped: 0 });
    const statuses = await Promise.all(msgs.map(async (m) => (await deliveryOf(store, app.id, m.id, ep.id)).status));
    assert.deepEqual(statuses, Array(7).fill(PENDING));
    const finished = logger.lines.find((l) => l.msg === 'background task finished');
    assert.deepEqual((finished?.obj as { taskId?: string }).taskId, task.id);
    assert.deepEqual(logger.errors(), []);
  });
});
