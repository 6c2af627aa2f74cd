import type { AppId, MessageId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ClaimRequest, NewMessage, Store } from '../../../src/store/store.js';
import { PENDING, SENDING, T0, claim, mkApp, mkEndpoint, mkMessages, msgIn, pq, sorted } from './fixtures.js';

type HandOffStore = Store & Required<Pick<Store, 'createMessagesAndClaim'>>;

/**
 * createMessagesAndClaim: ingest leasing new deliveries to this process's worker in its own
 * transaction, on a store that has the capability; a store without it must not offer it, so
 * the outbox writes its batches with createMessages.
 */
export function ingestClaimContract(store: () => Store, handOff: boolean): void {
  if (!handOff) {
    it('offers no ingest hand-off: the outbox writes with createMessages and the worker claims', () => {
      assert.equal(store().createMessagesAndClaim, undefined);
    });
    return;
  }
  const s = store as () => HandOffStore;
  const request = (over: Partial<ClaimRequest> = {}): ClaimRequest => ({
    owner: 'worker-1',
    limit: 100,
    leaseMs: 60_000,
    now: T0 + 10,
    perEndpointLimit: 100,
    ...over,
  });
  const statusOf = async (appId: AppId, msgId: MessageId) =>
    (await s().listMessageDestinations(appId, msgId, pq())).data.map((d) => d.delivery.status);
  const messageOf = (m: NewMessage) => ({
    id: m.id,
    eventType: m.eventType,
    eventId: m.eventId,
    channels: m.channels,
    payload: m.payload,
    createdAt: m.now,
    traceContext: m.traceContext ?? null,
  });

  it('writes the batch as createMessages does and leases its due deliveries, as a claim would hand them over', async () => {
    const app = await mkApp(s());
    const ep = await mkEndpoint(s(), app.id);
    await mkEndpoint(s(), app.id, { filterTypes: ['other.type'] });
    const due = msgIn(app.id, { now: T0, channels: null });
    const later = msgIn(app.id, { now: T0, deliverAt: T0 + 5_000 });
    const { results, claimed } = await s().createMessagesAndClaim(
      [due, later, msgIn('app_missing' as AppId)],
      request(),
    );

    assert.deepEqual(
      results.map((r) => (r.ok ? r.deliveryCount : r.reason)),
      [1, 1, 'app_not_found'],
    );
    assert.equal(claimed.length, 1, 'only the due row; the filtered endpoint has none');
    const [c] = claimed;
    assert.deepEqual(c.message, messageOf(due));
    assert.deepEqual(c.endpoint, ep, 'the endpoint as stored, secret in plaintext');
    assert.equal(c.triggerType, 0);
    assert.equal(c.delivery.status, SENDING);
    assert.equal(c.delivery.appId, app.id);
    assert.equal(c.delivery.msgId, due.id);
    assert.equal(c.delivery.endpointId, ep.id);
    assert.equal(c.delivery.attemptCount, 0);
    assert.deepEqual(await statusOf(app.id, due.id), [SENDING], 'leased in the store');
    assert.deepEqual(await statusOf(app.id, later.id), [PENDING]);
    // Leased to worker-1: nobody else claims it until the lease ends; the later row comes when due.
    assert.deepEqual(await claim(s(), { owner: 'worker-2', now: T0 + 100 }), []);
    assert.deepEqual(
      (await claim(s(), { owner: 'worker-2', now: T0 + 5_000 })).map((x) => x.message.id),
      [later.id],
    );
    assert.deepEqual(
      (await claim(s(), { owner: 'worker-2', now: T0 + 10 + 60_000 })).map((x) => x.message.id),
      [due.id],
      'the lease expires like any other',
    );
  });

  it('leases within limit and perEndpointLimit, counting leases others hold; the rest stays pending for claims', async () => {
    const app = await mkApp(s());
    const a = await mkEndpoint(s(), app.id, { filterTypes: ['a'] });
    await mkEndpoint(s(), app.id, { filterTypes: ['b'] });
    const [held] = await mkMessages(s(), [msgIn(app.id, { eventType: 'a' })]);
    assert.deepEqual(
      (await claim(s(), { owner: 'worker-2', now: T0 + 5 })).map((x) => x.message.id),
      [held.id],
    );

    const batch = [
      msgIn(app.id, { eventType: 'a' }),
      msgIn(app.id, { eventType: 'a' }),
      msgIn(app.id, { eventType: 'a' }),
      msgIn(app.id, { eventType: 'b' }),
      msgIn(app.id, { eventType: 'b' }),
    ];
    const { claimed } = await s().createMessagesAndClaim(batch, request({ perEndpointLimit: 2, limit: 2 }));
    const ofA = claimed.filter((c) => c.endpoint.id === a.id);
    assert.equal(claimed.length, 2, 'limit');
    assert.equal(ofA.length, 1, 'A holds one lease already, under a cap of 2');
    const rest = await claim(s(), { owner: 'worker-3', now: T0 + 20, perEndpointLimit: 100 });
    assert.deepEqual(
      sorted([...claimed, ...rest].map((x) => x.message.id)),
      sorted(batch.map((m) => m.id)),
      'what ingest did not lease, a claim does: nothing lost, nothing twice',
    );
  });

  it('never leases a new row ahead of an older due row of the same endpoint', async () => {
    const app = await mkApp(s());
    await mkEndpoint(s(), app.id);
    const [older] = await mkMessages(s(), [msgIn(app.id, { now: T0 - 1_000 })]);
    const newer = msgIn(app.id);
    const { claimed } = await s().createMessagesAndClaim([newer], request());
    const got = claimed.map((c) => c.message.id);
    assert.ok(
      !got.includes(newer.id) || got.indexOf(older.id) === 0,
      `the older row first, or neither (got ${got.join(', ')})`,
    );
    const rest = await claim(s(), { owner: 'worker-2', now: T0 + 20 });
    assert.deepEqual([...got, ...rest.map((c) => c.message.id)], [older.id, newer.id], 'oldest first across both');
  });

  it('with a limit of 0 or nothing due, leases nothing and leaves the rows to claims', async () => {
    const app = await mkApp(s());
    await mkEndpoint(s(), app.id);
    const future = await s().createMessagesAndClaim([msgIn(app.id, { deliverAt: T0 + 1_000 })], request());
    const zero = await s().createMessagesAndClaim([msgIn(app.id)], request({ limit: 0 }));
    assert.deepEqual([future.claimed, zero.claimed], [[], []]);
    assert.equal((await claim(s(), { now: T0 + 1_000 })).length, 2);
  });

  it("keeps a message's trace context in what it leases with the batch", async () => {
    const app = await mkApp(s());
    await mkEndpoint(s(), app.id);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const ingest = await s().createMessagesAndClaim(
      [msgIn(app.id, { traceContext: traceparent })],
      request({ now: T0 }),
    );
    assert.deepEqual(
      ingest.claimed.map((c) => c.message.traceContext),
      [traceparent],
    );
  });
}
