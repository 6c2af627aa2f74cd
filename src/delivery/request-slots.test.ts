import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestSlots } from './request-slots.js';

/** Items are "<key><n>"; each run waits until the test finishes it. */
function harness(perKey: number, global: number, clock = { now: 0 }) {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const slots = new RequestSlots<string>({
    perKey,
    global,
    keyOf: (item) => item[0],
    now: () => clock.now,
    run: (item) =>
      new Promise<void>((resolve) => {
        started.push(item);
        finishers.set(item, resolve);
      }),
  });
  const finish = async (item: string) => {
    finishers.get(item)!();
    await new Promise((r) => setImmediate(r));
  };
  return { slots, started, finish };
}

describe('RequestSlots', () => {
  it('keeps at most perKey in flight per key and hands a finished slot to the same key at once', async () => {
    const { slots, started, finish } = harness(2, 100);
    slots.add(['a1', 'a2', 'a3', 'a4', 'b1']);
    assert.deepEqual(started, ['a1', 'b1', 'a2']);
    assert.equal(slots.inFlight, 3);
    assert.equal(slots.queued, 2);
    await finish('a1');
    assert.deepEqual(started, ['a1', 'b1', 'a2', 'a3']);
    await finish('b1'); // nothing queued for b: no change
    assert.deepEqual(started.length, 4);
    await finish('a2');
    assert.deepEqual(started.at(-1), 'a4');
    assert.equal(slots.queued, 0);
  });

  it('shares a full global cap round-robin between the keys that wait', async () => {
    const { slots, started, finish } = harness(10, 1);
    slots.add(['a1', 'a2', 'a3', 'b1', 'b2']);
    for (const item of ['a1', 'b1', 'a2', 'b2']) await finish(item);
    assert.deepEqual(started, ['a1', 'b1', 'a2', 'b2', 'a3']);
    assert.equal(slots.inFlight, 1);
  });

  it('gives back what has not started (shutdown)', () => {
    const { slots, started } = harness(1, 100);
    slots.add(['a1', 'a2', 'a3', 'b1']);
    assert.deepEqual(started, ['a1', 'b1']);
    assert.deepEqual(slots.takeQueued(), ['a2', 'a3']);
    assert.equal(slots.queued, 0);
    assert.equal(slots.inFlight, 2);
  });

  it('leaves out of what moves the items of a key that has finished no request, nor gone from idle to busy, for too long', async () => {
    const clock = { now: 1000 };
    const { slots, finish } = harness(1, 100, clock);
    slots.add(['a1', 'a2', 'b1']);
    assert.equal(slots.moving(100), 3);
    clock.now = 1101; // a and b have had a request in flight for 101 ms without an end
    assert.equal(slots.moving(100), 0);
    await finish('a1'); // a moved: a2 starts
    assert.equal(slots.moving(100), 1);
    await finish('b1'); // b has nothing in flight or queued
    assert.equal(slots.moving(100), 1);
    clock.now = 1202;
    assert.equal(slots.moving(100), 0);
    slots.add(['c1']);
    assert.equal(slots.moving(100), 1);
    assert.equal(slots.inFlight + slots.queued, 2);
  });
});
