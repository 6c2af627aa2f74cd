import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RetryPolicy } from './retry-policy.js';

const DEFAULT = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];
const now = 1_000_000;

describe('RetryPolicy', () => {
  it('follows the schedule exactly without jitter, then is exhausted', () => {
    const p = new RetryPolicy({ schedule: DEFAULT, jitter: 0 });
    const delays = [];
    for (let n = 1; n < DEFAULT.length; n++) {
      const d = p.next(n, now);
      assert.equal(d.kind, 'retry');
      delays.push(d.kind === 'retry' ? (d.at - now) / 1000 : -1);
    }
    assert.deepEqual(delays, DEFAULT.slice(1));
    assert.deepEqual(p.next(DEFAULT.length, now), { kind: 'exhausted' });
    assert.equal(p.maxAttempts, 8);
  });

  it('applies ±20% jitter from the injected random source', () => {
    assert.deepEqual(new RetryPolicy({ schedule: DEFAULT, random: () => 0 }).next(1, now), {
      kind: 'retry',
      at: now + 4000,
      delayMs: 4000,
    });
    assert.deepEqual(new RetryPolicy({ schedule: DEFAULT, random: () => 0.5 }).next(1, now), {
      kind: 'retry',
      at: now + 5000,
      delayMs: 5000,
    });
    const hi = new RetryPolicy({ schedule: DEFAULT, random: () => 0.999999 }).next(2, now);
    assert.ok(hi.kind === 'retry' && hi.delayMs > 359_000 && hi.delayMs <= 360_000);
  });

  it('keeps real jitter inside the band', () => {
    const p = new RetryPolicy({ schedule: DEFAULT });
    for (let i = 0; i < 500; i++) {
      const d = p.next(3, now);
      assert.ok(d.kind === 'retry' && d.delayMs >= 1440_000 && d.delayMs <= 2160_000);
    }
  });

  it('clamps Retry-After to [delay, 2 × delay]', () => {
    const p = new RetryPolicy({ schedule: [0, 10, 60], jitter: 0 });
    assert.equal((p.next(1, now, 15_000) as { delayMs: number }).delayMs, 15_000);
    assert.equal((p.next(1, now, 1_000) as { delayMs: number }).delayMs, 10_000);
    assert.equal((p.next(1, now, 3_600_000) as { delayMs: number }).delayMs, 20_000);
    assert.equal((p.next(2, now, 0) as { delayMs: number }).delayMs, 60_000);
    assert.deepEqual(p.next(3, now, 5_000), { kind: 'exhausted' });
  });
});
