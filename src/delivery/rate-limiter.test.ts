import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SecretBox } from '../domain/secret-box.js';
import { StoreUnavailableError } from '../errors.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { RateLimiter } from './rate-limiter.js';

// A real store; each test uses endpoints of its own, so they share it without meeting.
const store = new SqliteStore({ file: ':memory:', secretBox: SecretBox.random() });
after(() => store.close());
let n = 0;
const endpoint = () => `ep_${++n}`;
const clockAt = (t: { now: number }) => ({ now: () => t.now });

describe('RateLimiter', () => {
  it('says which endpoints have a limit', () => {
    assert.equal(RateLimiter.limits(null), false);
    assert.equal(RateLimiter.limits(0), false);
    assert.equal(RateLimiter.limits(5), true);
  });

  it('allows a quarter second of burst, then defers the rest to successive slots one interval apart', async () => {
    const t = { now: 10_000 };
    const rl = new RateLimiter(store, clockAt(t));
    const ep = endpoint();
    const answers = await Promise.all(Array.from({ length: 5 }, () => rl.take(ep, 8)));
    assert.deepEqual(answers, [null, null, 10_125, 10_250, 10_375]);
    assert.equal(await rl.take(ep, 8), 10_500, 'a later refusal queues behind the earlier ones');
    t.now = 10_125;
    assert.equal(await rl.take(ep, 8), null, 'the first slot has its token');
  });

  it('never lets more than rate × seconds + a quarter second through, simulated over 10 s', async () => {
    const t = { now: 0 };
    const rl = new RateLimiter(store, clockAt(t));
    const ep = endpoint();
    let sent = 0;
    for (; t.now <= 10_000; t.now += 7)
      sent += (await Promise.all([rl.take(ep, 20), rl.take(ep, 20)])).filter((a) => a === null).length;
    let granted = 0;
    t.now = 20_000;
    for (let i = 0; i < 500; i++, t.now += 1) if ((await rl.take(ep, 20)) === null) granted++;
    assert.ok(sent >= 200 && sent <= 205, `sent ${sent} in 10 s at 20/s`);
    assert.ok(granted >= 14 && granted <= 15, `granted ${granted} in 0.5 s at 20/s after idling (5 of burst + 10)`);
  });

  it("shares one endpoint's budget between limiters of several processes", async () => {
    const t = { now: 50_000 };
    const [a, b] = [new RateLimiter(store, clockAt(t)), new RateLimiter(store, clockAt(t))];
    const ep = endpoint();
    const answers = await Promise.all([a.take(ep, 8), b.take(ep, 8), a.take(ep, 8), b.take(ep, 8)]);
    assert.equal(answers.filter((x) => x === null).length, 2, 'two processes together get one bucket of 2');
    assert.deepEqual(answers.filter((x) => x !== null).sort(), [50_125, 50_250]);
  });

  it('keeps endpoints apart', async () => {
    const t = { now: 0 };
    const rl = new RateLimiter(store, clockAt(t));
    const [a, b] = [endpoint(), endpoint()];
    assert.equal(await rl.take(a, 1), null);
    assert.notEqual(await rl.take(a, 1), null);
    assert.equal(await rl.take(b, 1), null);
  });

  it('defers for a second, rather than sending unmetered, when the store cannot be asked', async () => {
    const t = { now: 1000 };
    const down = {
      takeRateBudget: () => Promise.reject(new StoreUnavailableError('down')),
      pruneRateBudgets: () => Promise.resolve(0),
    };
    assert.equal(await new RateLimiter(down, clockAt(t)).take(endpoint(), 5), 2000);
  });
});
