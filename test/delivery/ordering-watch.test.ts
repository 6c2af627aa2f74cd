import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testConfig } from '../../src/config.js';
import { OperationalWebhooks } from '../../src/domain/operational-webhooks.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { orderingWatchJob } from '../../src/server/ordering-watch-job.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../api/api-harness.js';
import { attemptIn, mkApp, mkEndpoint, mkMessages, msgIn, pq } from '../store/contract/fixtures.js';
import { memoryLogger } from './worker-harness.js';

/** The watch over ordered keys: a head failing longer than the threshold is reported once by `message.ordering.blocked`. */
describe('ordering watch job', () => {
  let store: Store;
  let cleanup: () => void;
  before(async () => {
    ({ store, cleanup } = await openSqliteStore());
  });
  after(async () => {
    await store.close();
    cleanup();
  });

  it('reports a key whose head has failed for longer than blockedAfterMs, once; a younger failure not at all', async () => {
    const now = Date.now();
    const ops = await mkApp(store, { uid: 'ops-watch' });
    const config = testConfig({ operationalApp: 'ops-watch' });
    const logger = memoryLogger();
    const outbox = new Outbox(store);
    const operational = new OperationalWebhooks(store, outbox, config, logger);
    const app = await mkApp(store);
    const ep = await mkEndpoint(store, app.id, { ordered: true });
    const at = now - 3_600_000;
    const msgs = await mkMessages(store, [
      msgIn(app.id, { now: at, deliverAt: at, orderingKey: 'old' }),
      msgIn(app.id, { now: at + 1, deliverAt: at + 1, orderingKey: 'old' }),
      msgIn(app.id, { now: at + 2, deliverAt: at + 2, orderingKey: 'young' }),
    ]);
    const heads = await store.claimDeliveries({ owner: 'w', limit: 10, leaseMs: 60_000, now, perEndpointLimit: 10 });
    assert.equal(heads.length, 2, 'the head of each key');
    // 'old' failed for good an hour ago; 'young' failed a minute ago and will retry.
    await store.completeDeliveries(
      heads.map((c) => {
        const old = c.message.id === msgs[0].id;
        return {
          deliveryId: c.delivery.id,
          owner: 'w',
          attempt: attemptIn(2, old ? at + 10 : now - 60_000),
          next: old
            ? { kind: 'fail' as const, reason: 'http_status' as const }
            : { kind: 'retry' as const, at: now + 60_000 },
          ordered: true,
        };
      }),
    );

    let clockNow = now;
    const job = orderingWatchJob(store, operational, logger as never, 900_000, { now: () => clockNow });
    assert.equal(await job.tick(), true);
    await outbox.drain();
    clockNow += 60_000; // the next period: the same head again is not reported twice
    assert.equal(await job.tick(), true);
    await outbox.drain();

    const sent = await store.listMessages(ops.id, pq(50), {});
    const payloads = sent.data.map((m) => JSON.parse(m.payload!));
    assert.deepEqual(
      payloads.map((p) => [p.type, p.data.orderingKey, p.data.msgId, p.data.endpointId, p.data.failed]),
      [['message.ordering.blocked', 'old', msgs[0].id, ep.id, true]],
    );
    assert.equal(payloads[0].data.blockedSince, new Date(at + 10).toISOString());
    assert.deepEqual(
      logger.lines.filter((l) => l.level === 'warn'),
      [],
    );
  });
});
