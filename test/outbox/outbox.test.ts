import type { AppId } from '../../src/ids.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../api/api-harness.js';
import { newId } from '../../src/ids.js';
import type { NewMessage, Store } from '../../src/store/store.js';
import { Outbox } from '../../src/outbox/outbox.js';

describe('Outbox (group commit)', () => {
  let store: Store;
  let cleanup: () => void;
  let appId: AppId;
  const batches: number[] = [];
  /** The real store, with createMessages counted (a spy, not a stand-in). */
  let counted: Store;

  before(async () => {
    ({ store, cleanup } = await openSqliteStore());
    appId = (
      await store.createApplication({
        id: newId('application'),
        uid: null,
        name: 'a',
        rateLimit: null,
        metadata: {},
        now: Date.now(),
      })
    ).id;
    counted = Object.create(store, {
      createMessages: {
        value: (inputs: NewMessage[]) => {
          batches.push(inputs.length);
          return store.createMessages(inputs);
        },
      },
    }) as Store;
  });
  after(async () => {
    await store.close();
    cleanup();
  });

  const msg = (eventId: string | null = null): NewMessage => {
    const now = Date.now();
    return {
      id: newId('message', now),
      appId,
      eventType: 'e',
      eventId,
      channels: null,
      tags: null,
      payload: '{}',
      now,
      deliverAt: now,
      payloadExpiresAt: now + 1000,
    };
  };

  it('writes everything submitted in one turn with one createMessages call', async () => {
    batches.length = 0;
    const outbox = new Outbox(counted);
    const results = await Promise.all(Array.from({ length: 200 }, () => outbox.submit(msg())));
    assert.ok(results.every((r) => r.ok));
    assert.deepEqual(batches, [200]);
  });

  it('splits at maxBatch, and forms the next batch while one is in flight', async () => {
    batches.length = 0;
    const outbox = new Outbox(counted, { maxBatch: 50 });
    await Promise.all(Array.from({ length: 120 }, () => outbox.submit(msg())));
    assert.deepEqual(batches, [50, 50, 20]);
  });

  it('keeps at most maxInFlight batches in flight; requests meanwhile form the next batch', async () => {
    batches.length = 0;
    let open = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const gated = Object.create(store, {
      createMessages: {
        value: async (inputs: NewMessage[]) => {
          batches.push(inputs.length);
          peak = Math.max(peak, ++open);
          await new Promise<void>((r) => gates.push(r));
          try {
            return await store.createMessages(inputs);
          } finally {
            open--;
          }
        },
      },
    }) as Store;
    const turn = () => new Promise((r) => setImmediate(r));
    const outbox = new Outbox(gated, { maxInFlight: 2 });
    const first = outbox.submit(msg());
    await turn();
    const second = outbox.submit(msg());
    await turn();
    const rest = Array.from({ length: 5 }, () => outbox.submit(msg()));
    await turn();
    await turn();
    assert.deepEqual(batches, [1, 1], 'a third batch waits while two are in flight');
    gates.shift()!();
    assert.equal((await first).ok, true);
    await turn();
    await turn();
    assert.deepEqual(batches, [1, 1, 5], 'the freed slot takes everything that waited, as one batch');
    while (gates.length > 0 || open > 0) {
      gates.shift()?.();
      await turn();
    }
    assert.ok((await Promise.all([second, ...rest])).every((r) => r.ok));
    assert.equal(peak, 2);
  });

  it('resolves each request with its own result: a duplicate eventId does not fail its neighbours', async () => {
    const outbox = new Outbox(counted);
    await outbox.submit(msg('dup'));
    const [a, b, c] = await Promise.all([
      outbox.submit(msg('x1')),
      outbox.submit(msg('dup')),
      outbox.submit(msg('x2')),
    ]);
    assert.equal(a.ok, true);
    assert.equal(b.ok, false);
    assert.equal(!b.ok && b.reason, 'duplicate_event_id');
    assert.equal(c.ok, true);
  });

  it('a store failure rejects that batch only; drain() waits for pending writes', async () => {
    let fail = true;
    const flaky = Object.create(store, {
      createMessages: {
        value: (inputs: NewMessage[]) =>
          fail ? Promise.reject(new Error('disk on fire')) : store.createMessages(inputs),
      },
    }) as Store;
    const outbox = new Outbox(flaky);
    await assert.rejects(outbox.submit(msg()), /disk on fire/);
    fail = false;
    const p = outbox.submit(msg());
    await outbox.drain();
    assert.equal((await p).ok, true);
  });
});
