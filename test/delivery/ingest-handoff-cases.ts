import type { AppId } from '../../src/ids.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox } from '../../src/outbox/outbox.js';
import { newId } from '../../src/ids.js';
import type { NewMessage, Store } from '../../src/store/store.js';
import {
  mkApp,
  mkEndpoint,
  sleep,
  startWorker,
  suiteFixture,
  waitFor,
  workerConfig,
  type OpenStore,
} from './worker-harness.js';

function messageIn(appId: AppId): NewMessage {
  const now = Date.now();
  return {
    id: newId('message', now),
    appId,
    eventType: 'user.created',
    eventId: null,
    channels: null,
    tags: null,
    payload: '{}',
    now,
    deliverAt: now,
    payloadExpiresAt: now + 86_400_000,
  };
}

/** Ingest's hand-off to the worker of its process (Outbox → createMessagesAndClaim → takeClaimed), on a store that has it (PostgreSQL). */
export function ingestHandoffSuite(
  dialect: string,
  open: OpenStore,
  available: () => Promise<boolean> = async () => true,
): void {
  describe(`ingest hand-off to the delivery worker on ${dialect}`, () => {
    const fx = suiteFixture(open, available);

    it('sends what ingest claimed for it with the batch, without a claim of its own; stopped, it gives such rows back', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const r = await fx.receiver();
      const app = await mkApp(fx.store);
      const ep = await mkEndpoint(fx.store, app.id, r.url);
      let claims = 0;
      const counted = Object.create(fx.store, {
        claimDeliveries: {
          value: (...args: Parameters<Store['claimDeliveries']>) => {
            claims++;
            return fx.store.claimDeliveries(...args);
          },
        },
      }) as Store;
      const w = startWorker(counted, workerConfig({ pollIntervalMs: 60_000 }));
      fx.workers.push(w.worker);
      await waitFor(() => claims === 1, 2000, "the loop's first claim");
      await sleep(50);
      const outbox = new Outbox(counted, { worker: w.worker });
      const sent = await outbox.submit(messageIn(app.id));
      assert.ok(sent.ok);
      await waitFor(() => r.requests.length === 1, 5000, 'the delivery');
      assert.equal(r.requests[0].headers['webhook-id'], sent.message.id);
      assert.equal(claims, 1, 'no claim between the message and its delivery');

      await w.worker.stop();
      // The claim's clock is the message's, so the row is due when it is written (a later ms would not be).
      const message = messageIn(app.id);
      const request = { owner: w.worker.owner, limit: 10, leaseMs: 60_000, now: message.now, perEndpointLimit: 80 };
      const late = await fx.store.createMessagesAndClaim!([message], request);
      assert.equal(late.claimed.length, 1);
      w.worker.takeClaimed(late.claimed, request);
      await waitFor(
        async () =>
          (await fx.store.claimDeliveries({ ...request, owner: 'someone-else', now: Date.now() })).length === 1,
        2000,
        'the row released',
      );
      assert.equal(late.claimed[0].endpoint.id, ep.id);
    });

    it('a hanging endpoint does not keep new messages for the others waiting for an outcome commit', async (t) => {
      if (fx.skip) return t.skip('PostgreSQL unavailable');
      const hanging = await fx.receiver(() => new Promise(() => {}));
      const healthy = await fx.receiver();
      const hangApp = await mkApp(fx.store);
      await mkEndpoint(fx.store, hangApp.id, hanging.url);
      const app = await mkApp(fx.store);
      await mkEndpoint(fx.store, app.id, healthy.url);
      // Every outcome commit waits at this gate, so one stays on its way until the test opens it.
      let open = () => {};
      const gate = new Promise<void>((resolve) => (open = resolve));
      const gatedCall = <K extends 'completeAndClaim' | 'completeDeliveries'>(name: K) => ({
        value: async (...args: Parameters<Store[K]>) => {
          await gate;
          return (fx.store[name] as (...a: Parameters<Store[K]>) => ReturnType<Store[K]>)(...args);
        },
      });
      const gated = Object.create(fx.store, {
        completeAndClaim: gatedCall('completeAndClaim'),
        completeDeliveries: gatedCall('completeDeliveries'),
      }) as Store;
      const w = startWorker(
        gated,
        workerConfig({ pollIntervalMs: 60_000, requestTimeoutMs: 30_000, leaseMs: 60_000 }),
        {
          shutdownTimeoutMs: 200,
        },
      );
      fx.workers.push(w.worker);
      const outbox = new Outbox(gated, { worker: w.worker });
      try {
        assert.ok((await outbox.submit(messageIn(hangApp.id))).ok);
        await waitFor(() => hanging.requests.length === 1, 5000, "the hanging endpoint's request");
        assert.ok((await outbox.submit(messageIn(app.id))).ok);
        await waitFor(() => healthy.requests.length === 1, 5000, 'the first healthy delivery');
        assert.equal(
          w.worker.inFlightCount,
          1,
          "only the hanging request is in flight; the healthy delivery's outcome commit waits at the gate",
        );
        await sleep(150); // the hanging endpoint has finished no request since it went busy
        assert.ok((await outbox.submit(messageIn(app.id))).ok);
        await waitFor(
          () => healthy.requests.length === 2,
          2000,
          'the second healthy delivery, handed off with its batch',
        );
      } finally {
        open();
      }
    });
  });
}
