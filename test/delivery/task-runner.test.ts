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

  /** `n` failed deliveries to a new endpoint and a recovery task over them (not yet leased). */
  async function failedRecovery(n: number) {
    const now = Date.now();
    const app = await mkApp(store);
    const ep = await mkEndpoint(store, app.id);
    const msgs = await mkMessages(
      store,
      Array.from({ length: n }, (_, i) => msgIn(app.id, { now: now - 10_000 + i, deliverAt: now - 10_000 + i })),
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
    return { app, ep, msgs, task };
  }

  const finished = (id: string) => async () => (await store.getBackgroundTask(id))?.status === 'finished';

  it('takes over a recovery whose holder stopped mid-way and finishes it, re-queuing each row once', async () => {
    const { app, ep, msgs, task } = await failedRecovery(7);
    // A holder that ran one chunk of three and died: its lease (300 ms) runs out unrenewed.
    await store.claimBackgroundTask('dead-runner', Date.now(), 300);
    const partial = (await store.advanceBackgroundTask(task.id, 'dead-runner', Date.now(), 3, 300))?.task;
    assert.deepEqual(partial?.data, { matched: 3, sent: 3, skipped: 0 });

    const logger = memoryLogger();
    // No worker drains the rows here: holdAt above them, so the lane never holds the task.
    const runner = new TaskRunner({ store, logger, chunk: 3, holdAt: 100, leaseMs: 300, idleMs: 20 });
    runner.start();
    try {
      await waitFor(finished(task.id), 5000, 'task finished');
    } finally {
      await runner.stop();
    }
    const done = await store.getBackgroundTask(task.id);
    assert.deepEqual(done?.data, { matched: 7, sent: 7, skipped: 0 });
    const statuses = await Promise.all(msgs.map(async (m) => (await deliveryOf(store, app.id, m.id, ep.id)).status));
    assert.deepEqual(statuses, Array(7).fill(PENDING));
    const line = logger.lines.find((l) => l.msg === 'background task finished');
    assert.deepEqual((line?.obj as { taskId?: string }).taskId, task.id);
    assert.deepEqual(logger.errors(), []);
  });

  it('makes at most ratePerSecond deliveries due a second per task', async () => {
    const { task } = await failedRecovery(12);
    // 20/s: chunks of 1 (a fiftieth of a second of the rate), each followed by 50 ms; the thirteenth (empty) finishes it.
    const runner = new TaskRunner({
      store,
      logger: memoryLogger(),
      chunk: 4,
      ratePerSecond: 20,
      holdAt: 100,
      idleMs: 20,
    });
    const started = performance.now();
    runner.start();
    try {
      await waitFor(finished(task.id), 5000, 'task finished');
    } finally {
      await runner.stop();
    }
    assert.ok(performance.now() - started >= 590, `12 rows at 20/s took ${performance.now() - started} ms`);
    assert.deepEqual((await store.getBackgroundTask(task.id))?.data, { matched: 12, sent: 12, skipped: 0 });
  });

  it('holds a task while its endpoint has holdAt deliveries due, and goes on as the worker takes them', async () => {
    const { ep, task } = await failedRecovery(6);
    const runner = new TaskRunner({ store, logger: memoryLogger(), chunk: 3, holdAt: 3, idleMs: 20 });
    const sent = async () => (await store.getBackgroundTask(task.id))?.data.sent;
    runner.start();
    try {
      await waitFor(async () => (await sent()) === 3, 5000, 'first chunk');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await sent(), 3, 'three due and nobody took them: held');
      const take = () =>
        store.claimDeliveries({ owner: 'w2', limit: 10, leaseMs: 60_000, now: Date.now(), perEndpointLimit: 10 });
      const taken = await take();
      assert.deepEqual([taken.length, taken[0]?.endpoint.id], [3, ep.id]);
      await waitFor(async () => (await sent()) === 6, 5000, 'second chunk once the first was taken');
      assert.equal((await store.getBackgroundTask(task.id))?.status, 'running', 'its last (empty) chunk waits too');
      assert.equal((await take()).length, 3);
      await waitFor(finished(task.id), 5000, 'task finished once the rows were taken');
    } finally {
      await runner.stop();
    }
    assert.deepEqual((await store.getBackgroundTask(task.id))?.data, { matched: 6, sent: 6, skipped: 0 });
  });
});
