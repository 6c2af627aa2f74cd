import assert from 'node:assert/strict';
import { it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { RATE_BUDGET_IDLE_MS } from '../../../src/store/rate-budget.js';
import type { RateBudgetTake, Store } from '../../../src/store/store.js';
import { T0 } from './fixtures.js';

/**
 * Shared rate budgets: one token bucket per key (src/store/rate-budget.ts is the reference). Keys
 * are unique per test, since buckets outlive the other tables' truncation.
 */
export function rateBudgetsContract(s: () => Store): void {
  const key = () => `test:${randomBytes(6).toString('hex')}`;
  const take = (over: Partial<RateBudgetTake> & { key: string }) =>
    s().takeRateBudget({ rate: 10, burst: 5, want: 1, extra: 0, spread: false, now: T0, ...over });

  it("grants a new bucket's burst, then tells refused callers when the next token comes", async () => {
    const k = key();
    assert.deepEqual(await take({ key: k, want: 3 }), { granted: 3, retryAt: null });
    assert.deepEqual(await take({ key: k, want: 4 }), { granted: 2, retryAt: T0 + 100 });
    assert.deepEqual(
      await take({ key: k, want: 2, now: T0 + 50 }),
      { granted: 0, retryAt: T0 + 100 },
      'half a token is not one',
    );
    assert.deepEqual(await take({ key: k, want: 1, now: T0 + 100 }), { granted: 1, retryAt: null });
  });

  it('refills at the rate up to the burst, and applies a changed rate from the next take', async () => {
    const k = key();
    await take({ key: k, want: 5 });
    assert.equal((await take({ key: k, want: 10, now: T0 + 300 })).granted, 3);
    assert.equal((await take({ key: k, want: 10, now: T0 + 60_000 })).granted, 5, 'never more than the burst');
    assert.deepEqual(await take({ key: k, want: 10, now: T0 + 60_100, rate: 20 }), {
      granted: 2,
      retryAt: T0 + 60_150,
    });
  });

  it('takes a lease (extra) only from what is left after the callers, and never when one is refused', async () => {
    const k = key();
    assert.deepEqual(await take({ key: k, want: 2, extra: 2 }), { granted: 4, retryAt: null });
    assert.deepEqual(await take({ key: k, want: 0, extra: 3 }), { granted: 1, retryAt: null });
    assert.deepEqual(await take({ key: k, want: 2, extra: 5, now: T0 + 100 }), { granted: 1, retryAt: T0 + 200 });
  });

  it('spreads refused deliveries over successive slots, after the slots handed out before', async () => {
    const k = key();
    await take({ key: k, want: 5, spread: true });
    assert.deepEqual(await take({ key: k, want: 3, spread: true }), { granted: 0, retryAt: T0 + 100 });
    // slots T0+100, +200, +300 are taken: the next refused caller queues behind them
    assert.deepEqual(await take({ key: k, want: 1, spread: true, now: T0 + 10 }), { granted: 0, retryAt: T0 + 400 });
    // without spread (an API request) it is simply told when the next token comes
    assert.deepEqual(await take({ key: k, want: 1, now: T0 + 10 }), { granted: 0, retryAt: T0 + 100 });
    // a slot's row comes back and is granted its token
    assert.deepEqual(await take({ key: k, want: 1, spread: true, now: T0 + 100 }), { granted: 1, retryAt: null });
  });

  it('starts the queue again once the bucket has been full (earlier slots are stale)', async () => {
    const k = key();
    await take({ key: k, want: 5, spread: true });
    assert.equal((await take({ key: k, want: 50, spread: true })).retryAt, T0 + 100); // slots up to T0 + 5100
    await take({ key: k, want: 5, spread: true, now: T0 + 1000 }); // full again: the queue is forgotten
    assert.deepEqual(await take({ key: k, want: 1, spread: true, now: T0 + 1000 }), { granted: 0, retryAt: T0 + 1100 });
  });

  it('keeps keys apart', async () => {
    const [a, b] = [key(), key()];
    await take({ key: a, want: 5 });
    assert.equal((await take({ key: b, want: 5 })).granted, 5);
    assert.equal((await take({ key: a, want: 1 })).granted, 0);
  });

  it('never grants more than the bucket holds to concurrent takes', async () => {
    const k = key();
    const grants = await Promise.all(
      Array.from({ length: 24 }, () => take({ key: k, want: 1, burst: 7, rate: 0.001 })),
    );
    assert.equal(
      grants.reduce((n, g) => n + g.granted, 0),
      7,
    );
    assert.equal(grants.filter((g) => g.retryAt !== null).length, 17);
  });

  it('prunes buckets that are idle and full, and only those', async () => {
    const t = T0 - 1_000_000_000; // before every other test's buckets, so the count is this test's
    const [idle, queued, refilling, recent] = [key(), key(), key(), key()];
    await take({ key: idle, want: 5, now: t });
    await take({ key: queued, want: 5, spread: true, now: t });
    await take({ key: queued, want: 1000, spread: true, now: t }); // slots up to t + 100 s, stale once full again
    await take({ key: refilling, want: 5, rate: 0.01, now: t }); // 1 token per 100 s
    await take({ key: recent, want: 5, now: t + RATE_BUDGET_IDLE_MS });
    const now = t + RATE_BUDGET_IDLE_MS + 1000;
    assert.equal(await s().pruneRateBudgets(now), 2);
    assert.equal(
      (await take({ key: refilling, want: 5, rate: 0.01, now })).granted,
      0,
      'a bucket still refilling is kept',
    );
    assert.equal(await s().pruneRateBudgets(now), 0);
  });
}
