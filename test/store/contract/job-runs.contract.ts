import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JobRunClaim, Store } from '../../../src/store/store.js';
import { T0 } from './fixtures.js';

/** Periodic job runs: one taker per (job, period); a taker that dies is replaced after its lease. */
export function jobRunsContract(s: () => Store): void {
  const claim = (over: Partial<JobRunClaim> = {}) =>
    s().claimJobRun({ job: 'retention', period: T0, owner: 'a', now: T0, leaseMs: 1000, ...over });

  it('gives a period to one owner; the next period is free again', async () => {
    assert.equal(await claim(), true);
    assert.equal(await claim({ owner: 'b' }), false, 'held by a');
    assert.equal(await claim({ owner: 'a', now: T0 + 10 }), false, 'not even to a again while it runs');
    assert.equal(await claim({ owner: 'b', period: T0 + 3_600_000, now: T0 + 3_600_000 }), true);
    assert.equal(await claim({ job: 'other', owner: 'b' }), true, 'jobs are independent');
  });

  it('a finished run is never run again; an unfinished one passes to another owner once its lease ran out', async () => {
    assert.equal(await claim(), true);
    await s().finishJobRun('retention', T0, 'a', T0 + 5);
    assert.equal(await claim({ owner: 'b', now: T0 + 5_000 }), false, 'finished');

    const next = T0 + 3_600_000;
    assert.equal(await claim({ owner: 'a', period: next, now: next }), true);
    assert.equal(await claim({ owner: 'b', period: next, now: next + 999 }), false, 'lease still running');
    assert.equal(await claim({ owner: 'b', period: next, now: next + 1000 }), true, 'a died: b takes over');
    await s().finishJobRun('retention', next, 'a', next + 1100);
    assert.equal(
      await claim({ owner: 'c', period: next, now: next + 2500 }),
      true,
      "a late finish by the old owner does not close b's run",
    );
  });

  it('of many concurrent claims for one period, exactly one wins', async () => {
    const won = await Promise.all(Array.from({ length: 8 }, (_, i) => claim({ owner: `w${i}`, period: T0 + 7 })));
    assert.equal(won.filter(Boolean).length, 1);
  });
}
