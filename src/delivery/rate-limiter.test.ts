import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('is a no-op without a limit', () => {
    const rl = new RateLimiter();
    for (let i = 0; i < 1000; i++) assert.equal(rl.take('ep', null, 0), null);
  });

  it('allows one second of burst, then one per interval, deferring the rest to when tokens exist', () => {
    const rl = new RateLimiter();
    const t0 = 10_000;
    for (let i = 0; i < 5; i++) assert.equal(rl.take('ep', 5, t0), null);
    const d1 = rl.take('ep', 5, t0);
    const d2 = rl.take('ep', 5, t0);
    assert.equal(d1, t0 + 200);
    assert.equal(d2, t0 + 400, 'a backlog is spread one interval apart');
    assert.equal(rl.take('ep', 5, t0 + 200), null, 'a token has refilled');
    assert.notEqual(rl.take('ep', 5, t0 + 200), null);
  });

  it('never lets more than rate × seconds (+ burst) through, simulated over 10 s', () => {
    const rl = new RateLimiter();
    let sent = 0;
    let t = 0;
    while (t <= 10_000) {
      if (rl.take('ep', 3, t) === null) sent++;
      t += 7;
    }
    assert.ok(sent >= 30 && sent <= 33, `sent ${sent}`);
  });

  it('keeps endpoints separate and resets when the limit changes', () => {
    const rl = new RateLimiter();
    assert.equal(rl.take('a', 1, 0), null);
    assert.notEqual(rl.take('a', 1, 0), null);
    assert.equal(rl.take('b', 1, 0), null);
    assert.equal(rl.take('a', 2, 0), null);
  });
});
