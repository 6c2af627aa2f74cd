import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StoreUnavailableError } from '../../src/errors.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { RateBudgetTake } from '../../src/store/store.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { SharedRateBudget, type SharedRateBudgetOptions } from '../../src/domain/shared-rate-budget.js';

const store = new SqliteStore({ file: ':memory:', secretBox: SecretBox.random() });
after(() => store.close());
let n = 0;

/** A budget over the real store that records each take and prune it makes. */
function budget(over: Partial<SharedRateBudgetOptions> = {}) {
  const t = { now: 1_000_000 };
  const takes: RateBudgetTake[] = [];
  const prunes: number[] = [];
  const b = new SharedRateBudget({
    store: {
      takeRateBudget: (x) => {
        takes.push(x);
        return store.takeRateBudget(x);
      },
      pruneRateBudgets: (now) => {
        prunes.push(now);
        return store.pruneRateBudgets(now);
      },
    },
    spread: false,
    clock: { now: () => t.now },
    ...over,
  });
  return { b, t, takes, prunes, key: `k${++n}` };
}

describe('SharedRateBudget', () => {
  it('answers the callers of one key that arrive together with one take, and queues later ones for the next', async () => {
    const { b, t, takes, key } = budget();
    const first = Promise.all([b.take(key, 10, 3), b.take(key, 10, 3)]);
    const second = b.take(key, 10, 3); // arrives while nothing is in flight yet: joins the same take
    assert.deepEqual([...(await first), await second], [null, null, null]);
    assert.deepEqual(
      takes.map((x) => x.want),
      [3],
    );
    const refused = await Promise.all([b.take(key, 10, 3), b.take(key, 10, 3)]);
    assert.deepEqual(refused, [t.now + 100, t.now + 100], 'without spread every refused caller is told the next token');
    assert.deepEqual(
      takes.map((x) => x.want),
      [3, 2],
    );
  });

  it('spends a lease without a round trip while it lasts, and drops what is left after its TTL', async () => {
    const { b, t, takes, key } = budget({ leaseSeconds: 0.5, leaseTtlMs: 100 });
    assert.equal(await b.take(key, 10, 10), null);
    assert.deepEqual([takes[0].want, takes[0].extra], [1, 4]);
    for (let i = 0; i < 4; i++) assert.equal(await b.take(key, 10, 10), null);
    assert.equal(takes.length, 1, 'four callers served from the lease');
    assert.equal(await b.take(key, 10, 10), null);
    assert.equal(takes.length, 2, 'the lease was spent: the next caller asks the store');
    t.now += 100;
    assert.equal(await b.take(key, 10, 10), null);
    assert.equal(takes.length, 3, 'a lease past its TTL is not spent');
  });

  it('spreads refused callers over slots one interval apart when asked to', async () => {
    const { b, t, key } = budget({ spread: true });
    const answers = await Promise.all(Array.from({ length: 4 }, () => b.take(key, 4, 1)));
    assert.deepEqual(answers, [null, t.now + 250, t.now + 500, t.now + 750]);
  });

  it('rejects the waiting callers when the store fails, and serves the next ones once it is back', async () => {
    let down = true;
    const t = { now: 5000 };
    const b = new SharedRateBudget({
      store: {
        takeRateBudget: (x) => (down ? Promise.reject(new StoreUnavailableError('down')) : store.takeRateBudget(x)),
        pruneRateBudgets: () => Promise.resolve(0),
      },
      spread: false,
      clock: { now: () => t.now },
    });
    const key = `k${++n}`;
    const results = await Promise.allSettled([b.take(key, 1, 1), b.take(key, 1, 1)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    down = false;
    assert.equal(await b.take(key, 1, 1), null);
  });

  it('prunes idle buckets at most once a minute', async () => {
    const { b, t, prunes, key } = budget();
    await b.take(key, 10, 1);
    t.now += 30_000;
    await b.take(key, 10, 1);
    assert.deepEqual(prunes, []);
    t.now += 30_000;
    await b.take(key, 10, 1);
    await b.take(key, 10, 1);
    assert.deepEqual(prunes, [t.now]);
  });
});
