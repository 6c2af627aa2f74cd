import type { AppId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { FailureReason } from '../../../src/domain/failure-reason.js';
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

/** Dead letters: failed deliveries keep the reason of their last attempt, are listed and counted by class, and resent by a task. */
export function deadLettersContract(s: () => Store): void {
  /** One message per reason to each endpoint given, every delivery failed for good with that reason. */
  async function failWith(appId: AppId, reasons: FailureReason[], at: number, eventType = 'invoice.paid') {
    const msgs = await mkMessages(
      s(),
      reasons.map((_, i) => msgIn(appId, { now: at + i, deliverAt: at + i, eventType })),
    );
    const claimed = await claim(s(), { now: at + 1000, limit: 1000 });
    const reasonOf = new Map(msgs.map((m, i) => [m.id, reasons[i]]));
    await s().completeDeliveries(
      claimed.map((c) => ({
        deliveryId: c.delivery.id,
        owner: 'worker-1',
        attempt: attemptIn(FAIL, at + 1001, {
          responseStatusCode: reasonOf.get(c.message.id) === 'http_status' ? 502 : 0,
        }),
        next: { kind: 'fail' as const, reason: reasonOf.get(c.message.id)! },
      })),
    );
    return msgs;
  }

  it('lists failed deliveries with their reason, class and last attempt; filters by app, endpoint, class, event type and time', async () => {
    const app = await mkApp(s());
    const other = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const ep2 = await mkEndpoint(s(), other.id);
    const at = T0 + 50_000_000;
    const msgs = await failWith(app.id, ['http_status', 'blocked', 'timeout'], at);
    await failWith(other.id, ['payload_expired'], at + 10_000, 'user.created');

    const page = await s().listDeadLetters(pq(50, null, 'descending'), { appId: app.id });
    assert.deepEqual(
      page.data.map((d) => [d.msgId, d.endpointId, d.reason, d.reasonClass, d.attempts, d.lastStatusCode]),
      [
        [msgs[2].id, ep.id, 'timeout', 'endpoint', 1, 0],
        [msgs[1].id, ep.id, 'blocked', 'platform', 1, 0],
        [msgs[0].id, ep.id, 'http_status', 'endpoint', 1, 502],
      ],
    );
    const attempts = await s().listAttemptsByMessage(app.id, msgs[0].id, pq(), {});
    assert.equal(page.data[2].lastAttemptId, attempts.data[0].id, 'each row names its last attempt');

    const ids = async (sel: Parameters<Store['listDeadLetters']>[1]) =>
      (await s().listDeadLetters(pq(), sel)).data.map((d) => d.msgId);
    assert.deepEqual(await ids({ appId: app.id, reasonClass: 'platform' }), [msgs[1].id]);
    assert.equal((await ids({ reasonClass: 'platform', since: at })).length, 2, 'across apps');
    assert.deepEqual((await s().listDeadLetters(pq(), { endpointId: ep2.id })).data[0].eventType, 'user.created');
    assert.equal((await ids({ eventType: 'user.created', since: at })).length, 1);
    assert.deepEqual(await ids({ appId: app.id, since: at + 2000 }), [], 'failed before since');
  });

  it('counts dead letters per endpoint by class, with what a disabled endpoint holds', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const at = T0 + 60_000_000;
    await failWith(app.id, ['http_status', 'dns', 'blocked'], at);
    const off = await mkEndpoint(s(), app.id);
    // Two messages queued for `off` (and `ep`), then `off` is disabled: it holds them, pending.
    await mkMessages(s(), [msgIn(app.id, { now: at + 5000 }), msgIn(app.id, { now: at + 5001 })]);
    await s().updateEndpoint(app.id, off.id, { disabled: true }, at + 6000);
    const counts = await s().countDeadLetters({ appId: app.id });
    assert.deepEqual(counts, [
      { appId: app.id, endpointId: ep.id, endpoint: 2, platform: 1, unclassified: 0, held: 0 },
      { appId: app.id, endpointId: off.id, endpoint: 0, platform: 0, unclassified: 0, held: 2 },
    ]);
    assert.deepEqual(
      (await s().countDeadLetters({ appId: app.id, reasonClass: 'platform' })).map((c) => [c.endpointId, c.platform]),
      [[ep.id, 1]],
    );
  });

  it('resends a selection as one task: its dry run and its progress agree, each row once', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    const at = T0 + 70_000_000;
    const msgs = await failWith(app.id, ['http_status', 'blocked', 'timeout', 'connection', 'blocked'], at);
    const params = { appId: app.id, reasonClass: 'endpoint' as const, since: at, until: null };
    const query = { kind: 'dead-letter.resend' as const, appId: app.id, endpointId: null, params };
    const now = at + 10_000;
    const dry = await s().previewBackgroundTask(query, now, 2);
    assert.deepEqual(dry, { matched: 3, sent: 3, skipped: 0 });
    const task = await s().createBackgroundTask({ id: newId('task', now), ...query, now });
    let t: BackgroundTask | null = await s().claimBackgroundTask('runner', now, 60_000);
    assert.equal(t?.id, task.id);
    for (let i = 0; t?.status === 'running' && i < 10; i++)
      t = (await s().advanceBackgroundTask(task.id, 'runner', now, 2, 60_000))?.task ?? null;
    assert.deepEqual([t?.status, t?.data], ['finished', dry]);
    const statuses = await Promise.all(msgs.map(async (m) => (await deliveryOf(s(), app.id, m.id, ep.id)).status));
    assert.deepEqual(
      statuses,
      [PENDING, FAIL, PENDING, PENDING, FAIL],
      'endpoint faults re-queued, platform faults left',
    );
  });
}
