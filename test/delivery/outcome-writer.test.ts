import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '../../src/domain/secret-box.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { newId } from '../../src/ids.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { DeliveryOutcome, Store } from '../../src/store/store.js';
import { mkApp, mkEndpoint, sendMessage } from './worker-harness.js';
import { OutcomeWriter } from '../../src/delivery/outcome-writer.js';

/** A real SQLite store, observed (and, for the outage case, made to fail) through a Proxy. */
function observed(store: Store, hooks: { onComplete: (n: number) => void; fail?: () => boolean }): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === 'completeDeliveries') {
        return async (outcomes: DeliveryOutcome[]) => {
          if (hooks.fail?.())
            throw new StoreUnavailableError('SQLite is unavailable (SQLITE_BUSY): database is locked (injected)');
          hooks.onComplete(outcomes.length);
          return target.completeDeliveries(outcomes);
        };
      }
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('OutcomeWriter (group commit)', () => {
  let dir: string;
  let store: SqliteStore;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookrelay-writer-'));
    store = new SqliteStore({ file: join(dir, 'db.sqlite'), secretBox: SecretBox.random() });
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function claimSome(n: number, owner: string) {
    const app = await mkApp(store);
    await mkEndpoint(store, app.id, 'http://127.0.0.1:9/x');
    for (let i = 0; i < n; i++) await sendMessage(store, app.id, { i });
    const claimed = await store.claimDeliveries({
      owner,
      limit: n,
      leaseMs: 60_000,
      now: Date.now(),
      perEndpointLimit: 1000,
    });
    assert.equal(claimed.length, n);
    return { app, claimed };
  }

  const success = (deliveryId: string, owner: string): DeliveryOutcome => ({
    deliveryId,
    owner,
    next: { kind: 'success' },
    attempt: {
      id: newId('attempt'),
      url: 'http://127.0.0.1:9/x',
      status: 0,
      responseStatusCode: 200,
      response: 'ok',
      responseDurationMs: 1,
      triggerType: 0,
      now: Date.now(),
    },
  });

  it('writes every outcome of one event-loop turn in one completeDeliveries call', async () => {
    const { app, claimed } = await claimSome(50, 'w1');
    const batches: number[] = [];
    const writer = new OutcomeWriter(observed(store, { onComplete: (n) => batches.push(n) }), { error: () => {} });
    await Promise.all(claimed.map((c) => writer.add(success(c.delivery.id, 'w1'))));
    assert.deepEqual(batches, [50]);
    const attempts = await store.listAttemptsByEndpoint(
      app.id,
      claimed[0].endpoint.id,
      { limit: 100, iterator: null, order: 'ascending' },
      {},
    );
    assert.equal(attempts.data.length, 50);
  });

  it('keeps outcomes through a store outage and writes them when it is back, logging the fault', async () => {
    const { app, claimed } = await claimSome(5, 'w2');
    let failures = 2;
    const errors: object[] = [];
    const batches: number[] = [];
    const writer = new OutcomeWriter(
      observed(store, { onComplete: (n) => batches.push(n), fail: () => failures-- > 0 }),
      { error: (obj) => void errors.push(obj) },
      { minBackoffMs: 10 },
    );
    await Promise.all(claimed.map((c) => writer.add(success(c.delivery.id, 'w2'))));
    assert.equal(errors.length, 2);
    assert.deepEqual(batches, [5]);
    const dest = await store.listEndpointMessages(
      app.id,
      claimed[0].endpoint.id,
      { limit: 10, iterator: null, order: 'ascending' },
      {},
    );
    assert.ok(dest.data.every((d) => d.delivery.status === 0));
  });

  it('is idle only with nothing queued, scheduled or committing', async () => {
    const { claimed } = await claimSome(1, 'w4');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let committing = false;
    const gated = observed(store, {
      onComplete: () => {
        committing = true;
      },
    });
    const slow = new Proxy(gated, {
      get(target, prop, receiver) {
        if (prop !== 'completeDeliveries') return Reflect.get(target, prop, receiver);
        return async (outcomes: DeliveryOutcome[]) => {
          await gate;
          return target.completeDeliveries(outcomes);
        };
      },
    });
    const writer = new OutcomeWriter(slow, { error: () => {} });
    assert.equal(writer.idle, true);
    const written = writer.add(success(claimed[0].delivery.id, 'w4'));
    assert.equal(writer.idle, false, 'queued, linger scheduled');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(writer.idle, false, 'the commit is in flight');
    release();
    await written;
    await new Promise((r) => setImmediate(r));
    assert.equal(committing, true);
    assert.equal(writer.idle, true);
  });

  it('flush() waits for queued outcomes; after close() nothing more is written', async () => {
    const { claimed } = await claimSome(3, 'w3');
    const batches: number[] = [];
    const writer = new OutcomeWriter(observed(store, { onComplete: (n) => batches.push(n) }), { error: () => {} });
    void writer.add(success(claimed[0].delivery.id, 'w3'));
    void writer.add(success(claimed[1].delivery.id, 'w3'));
    await writer.flush();
    assert.deepEqual(batches, [2]);
    writer.close();
    await writer.add(success(claimed[2].delivery.id, 'w3'));
    await writer.flush();
    assert.deepEqual(batches, [2]);
  });

  /** The writer over a store whose first commit waits for `release()`: outcomes added meanwhile are "under load". */
  function heldFirstCommit(batches: number[]) {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const counted = observed(store, { onComplete: (n) => batches.push(n) });
    const held = new Proxy(counted, {
      get(target, prop, receiver) {
        if (prop !== 'completeDeliveries') return Reflect.get(target, prop, receiver);
        return async (outcomes: DeliveryOutcome[]) => {
          if (batches.length === 0) await gate;
          return target.completeDeliveries(outcomes);
        };
      },
    });
    return { held, release };
  }

  it('under load, the next commit waits for fillBatch outcomes', async () => {
    const { claimed } = await claimSome(12, 'w7');
    const batches: number[] = [];
    const { held, release } = heldFirstCommit(batches);
    const writer = new OutcomeWriter(held, { error: () => {} }, { fillBatch: 8, fillMs: 60_000 });
    const add = (from: number, to: number) =>
      claimed.slice(from, to).map((c) => writer.add(success(c.delivery.id, 'w7')));
    const first = add(0, 2);
    await new Promise((r) => setTimeout(r, 20)); // past the linger: the first commit is held
    const arrivedMeanwhile = add(2, 5);
    release();
    await Promise.all(first);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(batches, [2], 'three queued, fewer than fillBatch: the next commit waits');
    await Promise.all([...arrivedMeanwhile, ...add(5, 10)]);
    assert.deepEqual(batches, [2, 8], 'the eighth outcome starts it');
    await writer.flush();
    assert.deepEqual(batches, [2, 8]);
  });

  it('under load, waits no longer than fillMs; flush() ends the wait at once', { timeout: 10_000 }, async () => {
    const { claimed } = await claimSome(6, 'w8');
    for (const [fillMs, flush] of [
      [5, false],
      [60_000, true],
    ] as const) {
      const batches: number[] = [];
      const { held, release } = heldFirstCommit(batches);
      const writer = new OutcomeWriter(held, { error: () => {} }, { fillBatch: 100, fillMs });
      const mine = flush ? claimed.slice(3) : claimed.slice(0, 3);
      const first = writer.add(success(mine[0].delivery.id, 'w8'));
      await new Promise((r) => setTimeout(r, 20));
      const rest = mine.slice(1).map((c) => writer.add(success(c.delivery.id, 'w8')));
      release();
      await first;
      if (flush) await writer.flush();
      await Promise.all(rest);
      assert.deepEqual(batches, [1, 2], `fillMs ${fillMs}${flush ? ', flushed' : ''}`);
    }
  });

  it('under load, an ordered outcome does not wait for a fuller batch', { timeout: 10_000 }, async () => {
    const { claimed } = await claimSome(6, 'w9');
    for (const orderedArrives of ['during the commit', 'during the wait'] as const) {
      const batches: number[] = [];
      const { held, release } = heldFirstCommit(batches);
      const writer = new OutcomeWriter(held, { error: () => {} }, { fillBatch: 100, fillMs: 60_000 });
      const mine = orderedArrives === 'during the commit' ? claimed.slice(0, 3) : claimed.slice(3);
      const first = writer.add(success(mine[0].delivery.id, 'w9'));
      await new Promise((r) => setTimeout(r, 20));
      const plain = writer.add(success(mine[1].delivery.id, 'w9'));
      const ordered = () => writer.add({ ...success(mine[2].delivery.id, 'w9'), ordered: true });
      const early = orderedArrives === 'during the commit' ? ordered() : null;
      release();
      await first;
      await new Promise((r) => setTimeout(r, 20));
      await Promise.all([plain, early ?? ordered()]);
      assert.deepEqual(batches, [1, 2], `ordered outcome ${orderedArrives}`);
    }
  });

  it('settling() counts the queued outcomes per endpoint until a commit takes them', async () => {
    const { claimed } = await claimSome(3, 'w6');
    const writer = new OutcomeWriter(store, { error: () => {} }, { lingerMs: 20 });
    const ep = claimed[0].endpoint.id;
    const done = Promise.all(
      claimed.map((c) =>
        writer.add({
          ...success(c.delivery.id, 'w6'),
          endpointUpdate: { endpointId: ep, failed: false, disable: false, now: Date.now() },
        }),
      ),
    );
    assert.deepEqual([...(writer.settling() ?? [])], [[ep, 3]]);
    await done;
    assert.deepEqual([...(writer.settling() ?? [])], [], 'committed: no longer settling');
  });

  it('with claimWith, each commit also claims in the same call and reports what it leased', async () => {
    const { app, claimed } = await claimSome(4, 'w4');
    // Two more due rows for the same endpoint, beyond the first claim.
    await sendMessage(store, app.id, { more: 1 });
    await sendMessage(store, app.id, { more: 2 });
    const plain: number[] = [];
    const reports: Array<{ count: number; rows: number | null }> = [];
    const writer = new OutcomeWriter(
      observed(store, { onComplete: (n) => plain.push(n) }),
      { error: () => {} },
      {
        claimWith: () => ({ owner: 'w4', limit: 10, leaseMs: 60_000, now: Date.now(), perEndpointLimit: 5 }),
        onCommit: (count, got) => void reports.push({ count, rows: got ? got.rows.length : null }),
      },
    );
    await Promise.all(claimed.slice(0, 2).map((c) => writer.add(success(c.delivery.id, 'w4'))));
    // Two leases freed, two still held: room for 3 under the cap of 5, and the 2 due rows are leased.
    assert.deepEqual(plain, [], 'no separate completeDeliveries call');
    assert.deepEqual(reports, [{ count: 2, rows: 2 }]);
  });

  it('isolates an outcome the store refuses (not an outage): the others are written, it is dropped and logged', async () => {
    const { app, claimed } = await claimSome(3, 'w5');
    const errors: object[] = [];
    const batches: number[] = [];
    const poison = claimed[1].delivery.id;
    const refusing = observed(store, {
      onComplete: (n) => batches.push(n),
      fail: () => false,
    });
    const writer = new OutcomeWriter(
      new Proxy(refusing, {
        get(target, prop, receiver) {
          if (prop !== 'completeDeliveries') return Reflect.get(target, prop, receiver);
          return async (outcomes: DeliveryOutcome[]) => {
            if (outcomes.some((o) => o.deliveryId === poison)) throw new Error('CHECK constraint failed (injected)');
            return target.completeDeliveries(outcomes);
          };
        },
      }),
      { error: (obj) => void errors.push(obj) },
    );
    await Promise.all(claimed.map((c) => writer.add(success(c.delivery.id, 'w5'))));
    assert.deepEqual(batches, [1, 1], 'the two good outcomes, one by one');
    assert.equal(errors.length, 1);
    const dest = await store.listEndpointMessages(
      app.id,
      claimed[0].endpoint.id,
      { limit: 10, iterator: null, order: 'ascending' },
      {},
    );
    const status = new Map(dest.data.map((d) => [d.delivery.id, d.delivery.status]));
    assert.equal(status.get(claimed[0].delivery.id), 0);
    assert.equal(status.get(claimed[2].delivery.id), 0);
    assert.equal(status.get(poison), 3, 'still leased: sent again when the lease expires');
  });
});
