import type { AppId, EndpointId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId } from '../../../src/ids.js';
import type { BackgroundTask, Store } from '../../../src/store/store.js';
import {
  FAIL,
  PENDING,
  T0,
  attemptIn,
  claim,
  deliveryOf,
  mkApp,
  mkEndpoint,
  mkMessages,
  msgIn,
  pq,
} from './fixtures.js';

/** Background tasks: rows any worker leases and advances chunk by chunk, exactly once per row. */
export function backgroundTasksContract(s: () => Store): void {
  const recoverTask = (appId: AppId, endpointId: EndpointId, since: number, until: number | null, now = T0) =>
    s().createBackgroundTask({
      id: newId('task', now),
      kind: 'endpoint.recover',
      appId,
      endpointId,
      params: { since, until },
      now,
    });

  /** Run a recovery task to its end (chunks of 2); how many deliveries it re-queued. */
  async function recovered(appId: AppId, endpointId: EndpointId, since: number, until: number | null, now: number) {
    const task = await recoverTask(appId, endpointId, since, until, now);
    let t: BackgroundTask | null = await s().claimBackgroundTask('runner', now, 60_000);
    assert.equal(t?.id, task.id);
    while (t?.status === 'running')
      t = (await s().advanceBackgroundTask(task.id, 'runner', now, 2, 60_000))?.task ?? null;
    return t!.data.sent;
  }

  /** `n` messages to `ep` (created T0, T0+100, ...), each delivery failed for good. */
  async function failedDeliveries(appId: AppId, n: number) {
    const msgs = await mkMessages(
      s(),
      Array.from({ length: n }, (_, i) => msgIn(appId, { now: T0 + i * 100, deliverAt: T0 + i * 100 })),
    );
    const claimed = await claim(s(), { now: T0 + 100_000, limit: 1000, perEndpointLimit: 1000 });
    await s().completeDeliveries(
      claimed.map((c) => ({
        deliveryId: c.delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(FAIL, T0 + 100_001),
        next: { kind: 'fail' as const },
      })),
    );
    return msgs;
  }

  it('creates, reads and lists tasks by status and kind, newest first', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const a = await recoverTask(app.id, ep.id, T0, null, T0);
    const b = await recoverTask(app.id, ep.id, T0, T0 + 5, T0 + 1000);
    assert.deepEqual(await s().getBackgroundTask(a.id), a);
    assert.equal(a.status, 'running');
    assert.deepEqual(a.data, { matched: 0, sent: 0, skipped: 0 });
    assert.deepEqual(b.params, { since: T0, until: T0 + 5 });
    assert.equal(await s().getBackgroundTask('qtask_missing'), null);
    const newest = await s().listBackgroundTasks(pq(1, null, 'descending'), {});
    assert.deepEqual(
      newest.data.map((t) => t.id),
      [b.id],
    );
    const next = await s().listBackgroundTasks(pq(1, newest.iterator, 'descending'), {});
    assert.deepEqual(
      next.data.map((t) => t.id),
      [a.id],
    );
    assert.equal((await s().listBackgroundTasks(pq(), { status: 'finished' })).data.length, 0);
    assert.equal((await s().listBackgroundTasks(pq(), { status: 'running', kind: 'endpoint.recover' })).data.length, 2);
  });

  it('leases a running task to one owner at a time, and to another once the lease ran out', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const task = await recoverTask(app.id, ep.id, T0, null);
    const [first, second] = await Promise.all([
      s().claimBackgroundTask('runner-a', T0, 1000),
      s().claimBackgroundTask('runner-b', T0, 1000),
    ]);
    assert.deepEqual([first?.id ?? null, second?.id ?? null].filter(Boolean), [task.id], 'exactly one claim wins');
    const winner = first ? 'runner-a' : 'runner-b';
    assert.equal(await s().claimBackgroundTask('runner-c', T0 + 999, 1000), null, 'held while the lease lasts');
    assert.equal((await s().claimBackgroundTask('runner-c', T0 + 1000, 1000))?.id, task.id, 'taken over after it');
    assert.equal(
      (await s().advanceBackgroundTask(task.id, winner, T0 + 1001, 10, 1000))?.task ?? null,
      null,
      'the old holder is out',
    );
  });

  it('recovers failed deliveries created in [since, until)', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const other = await mkEndpoint(s(), app.id);
    const msgs = await mkMessages(
      s(),
      [0, 100, 200, 300].map((t) => msgIn(app.id, { now: T0 + t, deliverAt: T0 + t })),
    );
    const claimed = await claim(s(), { now: T0 + 1000 });
    await s().completeDeliveries(
      claimed.map((c) => ({
        deliveryId: c.delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(FAIL, T0 + 1001),
        next: { kind: 'fail' as const },
      })),
    );
    assert.equal(await s().queueDepth(), 0);
    assert.equal(await recovered(app.id, ep.id, T0 + 100, T0 + 300, T0 + 2000), 2);
    const status = async (i: number, e = ep.id) => (await deliveryOf(s(), app.id, msgs[i].id, e)).status;
    assert.deepEqual(
      [await status(0), await status(1), await status(2), await status(3)],
      [FAIL, PENDING, PENDING, FAIL],
    );
    assert.equal(await status(1, other.id), FAIL);
    assert.equal((await deliveryOf(s(), app.id, msgs[1].id, ep.id)).nextAttemptAt, T0 + 2000);
    // Open-ended, and rows that are not failed are left alone.
    assert.equal(await recovered(app.id, ep.id, T0, null, T0 + 2001), 2);
    assert.equal(await s().queueDepth(), 4);
    assert.equal(await recovered((await mkApp(s())).id, other.id, T0, null, T0), 0);
    assert.equal((await claim(s(), { now: T0 + 2001 })).length, 4);
  });

  it('recovers chunk by chunk: each failed delivery in [since, until) re-queued once, progress counted, then finished', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const other = await mkEndpoint(s(), app.id);
    const msgs = await failedDeliveries(app.id, 8);
    // [T0+100, T0+700): messages 1..6 on `ep`; `other` and messages 0 and 7 stay failed.
    const task = await recoverTask(app.id, ep.id, T0 + 100, T0 + 700);
    const held = await s().claimBackgroundTask('runner-a', T0 + 200_000, 10_000);
    assert.equal(held?.id, task.id);

    const progress = [];
    let now = T0 + 200_001;
    for (let t: BackgroundTask | null = held; t?.status === 'running'; now++) {
      t = (await s().advanceBackgroundTask(task.id, 'runner-a', now, 4, 10_000))?.task ?? null;
      progress.push(t && { status: t.status, ...t.data });
    }
    assert.deepEqual(progress, [
      { status: 'running', matched: 4, sent: 4, skipped: 0 },
      { status: 'finished', matched: 6, sent: 6, skipped: 0 },
    ]);
    const status = async (i: number, e = ep.id) => (await deliveryOf(s(), app.id, msgs[i].id, e)).status;
    assert.deepEqual(await Promise.all(msgs.map((_, i) => status(i))), [
      FAIL,
      PENDING,
      PENDING,
      PENDING,
      PENDING,
      PENDING,
      PENDING,
      FAIL,
    ]);
    assert.equal(await status(3, other.id), FAIL, "another endpoint's rows are not touched");
    assert.equal((await s().getBackgroundTask(task.id))?.status, 'finished');
    assert.equal(
      await s().claimBackgroundTask('runner-b', now + 100_000, 1000),
      null,
      'a finished task is never leased',
    );
    assert.equal((await s().advanceBackgroundTask(task.id, 'runner-a', now, 4, 1000))?.task ?? null, null);
  });

  it('cancels a running task: it ends failed with cancelled progress, is never leased again; others are not running', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    await failedDeliveries(app.id, 3);
    const task = await recoverTask(app.id, ep.id, T0, null);
    await s().claimBackgroundTask('runner-a', T0 + 200_000, 10_000);
    (await s().advanceBackgroundTask(task.id, 'runner-a', T0 + 200_001, 2, 10_000))?.task ?? null;
    const cancelled = await s().cancelBackgroundTask(task.id, T0 + 200_002);
    assert.ok(cancelled.ok);
    assert.equal(cancelled.task.status, 'failed');
    assert.deepEqual(cancelled.task.data, { matched: 2, sent: 2, skipped: 0, cancelled: true });
    assert.equal(cancelled.task.updatedAt, T0 + 200_002);
    assert.equal(
      (await s().advanceBackgroundTask(task.id, 'runner-a', T0 + 200_003, 2, 10_000))?.task ?? null,
      null,
      'its runner stops',
    );
    assert.equal(await s().claimBackgroundTask('runner-b', T0 + 900_000, 1000), null);
    assert.deepEqual(await s().cancelBackgroundTask(task.id, T0 + 200_004), { ok: false, reason: 'not_running' });
    assert.deepEqual(await s().cancelBackgroundTask('qtask_missing', T0), { ok: false, reason: 'not_found' });
  });

  it('never re-queues a row twice for one task, even when it failed again behind the cursor', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const msgs = await failedDeliveries(app.id, 4);
    const task = await recoverTask(app.id, ep.id, T0, null);
    await s().claimBackgroundTask('runner-a', T0 + 200_000, 10_000);
    const first = (await s().advanceBackgroundTask(task.id, 'runner-a', T0 + 200_001, 2, 10_000))?.task ?? null;
    assert.equal(first?.data.sent, 2);
    // The two re-queued rows are sent and fail again before the next chunk.
    const again = await claim(s(), { now: T0 + 200_002 });
    assert.equal(again.length, 2);
    await s().completeDeliveries(
      again.map((c) => ({
        deliveryId: c.delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(FAIL, T0 + 200_003),
        next: { kind: 'fail' as const },
      })),
    );
    const rest = (await s().advanceBackgroundTask(task.id, 'runner-a', T0 + 200_004, 2, 10_000))?.task ?? null;
    const last = (await s().advanceBackgroundTask(task.id, 'runner-a', T0 + 200_005, 2, 10_000))?.task ?? null;
    assert.deepEqual([rest?.data.sent, last?.status, last?.data], [4, 'finished', { matched: 4, sent: 4, skipped: 0 }]);
    // Chunks go in message-ID order: the first two failed again and stay failed; the last two are due.
    const byId = msgs.map((m) => m.id).sort();
    const statuses = await Promise.all(byId.map(async (id) => (await deliveryOf(s(), app.id, id, ep.id)).status));
    assert.deepEqual(statuses, [FAIL, FAIL, PENDING, PENDING]);
  });

  it('holds a task while its endpoint has holdAt deliveries due, and goes on once they are taken', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const msgs = await failedDeliveries(app.id, 5);
    const task = await recoverTask(app.id, ep.id, T0, null);
    const dry = await s().previewBackgroundTask(
      { kind: 'endpoint.recover', appId: app.id, endpointId: ep.id, params: { since: T0, until: null } },
      T0 + 200_000,
      2,
    );
    assert.deepEqual(dry, { matched: 5, sent: 5, skipped: 0 }, 'a dry run counts all five');
    const statuses = () => Promise.all(msgs.map(async (m) => (await deliveryOf(s(), app.id, m.id, ep.id)).status));
    assert.deepEqual(await statuses(), Array(5).fill(FAIL), 'and changed nothing');
    await s().claimBackgroundTask('runner-a', T0 + 200_000, 10_000);
    const step = (now: number) => s().advanceBackgroundTask(task.id, 'runner-a', now, 2, 10_000, 2);
    const first = await step(T0 + 200_001);
    assert.deepEqual([first?.held, first?.sent, first?.task.data.sent], [false, 2, 2]);
    const held = await step(T0 + 200_002);
    assert.deepEqual([held?.held, held?.sent, held?.task.data.sent], [true, 0, 2], 'two due: held');
    assert.ok(held!.task.updatedAt <= T0 + 200_001, 'a hold only renews the lease');
    assert.equal((await claim(s(), { now: T0 + 200_003 })).length, 2, 'the worker takes the two');
    const next = await step(T0 + 200_004);
    assert.deepEqual([next?.held, next?.sent, next?.task.data.sent], [false, 2, 4]);
  });
}
