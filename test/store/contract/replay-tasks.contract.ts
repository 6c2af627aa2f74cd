import type { AppId, EndpointId, MessageId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId } from '../../../src/ids.js';
import type { BackgroundTask, BackgroundTaskKind, BulkReplayParams, Store } from '../../../src/store/store.js';
import {
  FAIL,
  PENDING,
  SUCCESS,
  T0,
  attemptIn,
  claim,
  deliveryOf,
  mkApp,
  mkEndpoint,
  mkMessages,
  msgIn,
} from './fixtures.js';

/** The replay tasks: bulk-replay (by filters and status) and replay-missing (rows that were never written). */
export function replayTasksContract(s: () => Store): void {
  /**
   * Create a task and run it to the end in chunks of `limit`, as one runner would; its dry run,
   * asked first, foretold exactly the progress it ends with.
   */
  async function runTask(
    kind: BackgroundTaskKind,
    appId: AppId,
    endpointId: EndpointId,
    params: BulkReplayParams,
    now: number,
    limit = 2,
  ): Promise<BackgroundTask> {
    const dryRun = await s().previewBackgroundTask({ kind, appId, endpointId, params }, now, limit);
    const task = await s().createBackgroundTask({ id: newId('task', now), kind, appId, endpointId, params, now });
    let t: BackgroundTask | null = await s().claimBackgroundTask('runner', now, 60_000);
    assert.equal(t?.id, task.id);
    for (let i = 0; t?.status === 'running' && i < 100; i++)
      t = (await s().advanceBackgroundTask(task.id, 'runner', now, limit, 60_000))?.task ?? null;
    assert.equal(t?.status, 'finished');
    assert.deepEqual(t?.data, dryRun, 'the dry run counted what the task did');
    return t!;
  }

  it('bulk-replays the failed deliveries matching event types, channel, tag or status code class; successes only when asked', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const msgs = await mkMessages(
      s(),
      Array.from({ length: 6 }, (_, i) =>
        msgIn(app.id, {
          now: T0 + i,
          eventType: i % 2 === 0 ? 'a.happened' : 'b.happened',
          channels: i < 3 ? ['eu'] : ['us'],
          tags: i === 5 ? ['vip'] : null,
        }),
      ),
    );
    // 0–3 fail (0 and 1 with a 500, 2 and 3 with a 404), 4–5 succeed.
    const claimed = await claim(s(), { now: T0 + 1000 });
    const byMsg = new Map(msgs.map((m, i) => [m.id, i]));
    await s().completeDeliveries(
      claimed.map((c) => {
        const i = byMsg.get(c.message.id)!;
        const ok = i >= 4;
        return {
          deliveryId: c.delivery.id,
          owner: 'worker-1',
          attempt: attemptIn(ok ? 0 : 2, T0 + 1001, ok ? {} : { responseStatusCode: i < 2 ? 500 : 404 }),
          next: ok ? { kind: 'success' as const } : { kind: 'fail' as const },
        };
      }),
    );
    const status = () => Promise.all(msgs.map(async (m) => (await deliveryOf(s(), app.id, m.id, ep.id)).status));
    const fresh = T0 + 5000;
    const range = { since: T0, until: null };

    const byType = await runTask(
      'endpoint.bulk-replay',
      app.id,
      ep.id,
      { ...range, eventTypes: ['a.happened'] },
      fresh,
    );
    assert.deepEqual(byType.data, { matched: 2, sent: 2, skipped: 0 }, 'messages 0 and 2: failed and of type a');
    assert.deepEqual(await status(), [PENDING, FAIL, PENDING, FAIL, SUCCESS, SUCCESS]);
    assert.equal((await deliveryOf(s(), app.id, msgs[0].id, ep.id)).nextAttemptAt, fresh);

    const byChannel = await runTask('endpoint.bulk-replay', app.id, ep.id, { ...range, channel: 'us' }, fresh);
    assert.deepEqual(byChannel.data, { matched: 1, sent: 1, skipped: 0 }, 'message 3: failed, channel us');
    const byClass = await runTask('endpoint.bulk-replay', app.id, ep.id, { ...range, statusCodeClass: 500 }, fresh);
    assert.deepEqual(byClass.data, { matched: 1, sent: 1, skipped: 0 }, 'message 1: its last attempt a 500');
    assert.deepEqual(await status(), [PENDING, PENDING, PENDING, PENDING, SUCCESS, SUCCESS]);

    const noSuccesses = await runTask('endpoint.bulk-replay', app.id, ep.id, { ...range, tag: 'vip' }, fresh);
    assert.deepEqual(noSuccesses.data, { matched: 0, sent: 0, skipped: 0 }, 'a success is not re-sent by default');
    const successes = await runTask(
      'endpoint.bulk-replay',
      app.id,
      ep.id,
      { ...range, status: SUCCESS, tag: 'vip' },
      fresh,
    );
    assert.deepEqual(successes.data, { matched: 1, sent: 1, skipped: 0 });
    assert.deepEqual(await status(), [PENDING, PENDING, PENDING, PENDING, SUCCESS, PENDING]);
  });

  it('replays only what is missing: not what the endpoint has, filtered out, or sent before it existed', async () => {
    const app = await mkApp(s());
    const [older] = await mkMessages(s(), [msgIn(app.id, { now: T0 - 10_000, eventType: 'a.happened' })]);
    const ep = await mkEndpoint(s(), app.id, { now: T0, filterTypes: ['a.happened'], disabled: true });
    const send = (i: number, eventType = 'a.happened') =>
      mkMessages(s(), [msgIn(app.id, { now: T0 + 1 + i, eventType })]);
    // While the endpoint is disabled, ingest writes no rows for it: these two are missing.
    const [m0] = await send(0);
    const [m1] = await send(1);
    await s().updateEndpoint(app.id, ep.id, { disabled: false }, T0 + 10);
    const [m2] = await send(2);
    const [m3] = await send(3);
    const [filtered] = await send(4, 'b.happened');
    const destinations = async (msgId: MessageId) =>
      (await s().listMessageDestinations(app.id, msgId, { limit: 10, iterator: null, order: 'ascending' })).data.length;
    assert.deepEqual(
      await Promise.all([older, m0, m1, m2, m3, filtered].map((m) => destinations(m.id))),
      [0, 0, 0, 1, 1, 0],
    );

    const replay = await runTask('endpoint.replay', app.id, ep.id, { since: T0 - 60_000, until: null }, T0 + 100);
    assert.deepEqual(
      replay.data,
      { matched: 5, sent: 2, skipped: 3 },
      'walked m0..m4 (not the older one), wrote m0 and m1',
    );
    assert.deepEqual(
      await Promise.all([older, m0, m1, m2, m3, filtered].map((m) => destinations(m.id))),
      [0, 1, 1, 1, 1, 0],
    );
    assert.equal((await deliveryOf(s(), app.id, m0.id, ep.id)).status, PENDING);
    assert.equal((await deliveryOf(s(), app.id, m1.id, ep.id)).nextAttemptAt, T0 + 100);

    const again = await runTask('endpoint.replay', app.id, ep.id, { since: T0 - 60_000, until: null }, T0 + 200);
    assert.deepEqual(again.data, { matched: 5, sent: 0, skipped: 5 }, 'nothing is missing any more');
    const bounded = await runTask('endpoint.replay', app.id, ep.id, { since: T0, until: T0 + 3 }, T0 + 300);
    assert.equal(bounded.data.matched, 2, '[since, until) bounds the walk: m0 and m1');
  });
}
