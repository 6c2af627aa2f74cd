import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { insideWindow, windowStart } from './window-start.js';

const W = 1000;
const margins = { startMs: 200, endMs: 400 };
const into = () => Date.now() - windowStart(W);

describe('test windows', () => {
  it('windowStart floors a time to its window', () => {
    const DAY = 86_400_000;
    assert.equal(windowStart(DAY, Date.UTC(2026, 11, 6, 23, 59, 59, 999)), Date.UTC(2026, 11, 6));
    assert.equal(windowStart(DAY, Date.UTC(2026, 11, 7)), Date.UTC(2026, 11, 7));
  });

  it('insideWindow waits for the next window, past its start margin, when this one ends within the end margin', async () => {
    if (into() < 700) await sleep(800 - into()); // about 200 ms left: inside the end margin
    const before = windowStart(W);
    await insideWindow(W, margins);
    assert.equal(windowStart(W), before + W);
    assert.ok(into() >= 200, `${into()} ms into the window`);
  });

  it('insideWindow waits out the start margin of a window just begun', async () => {
    await sleep(W - into() + 5); // a window has just begun (a timer may fire a millisecond early)
    const before = windowStart(W);
    await insideWindow(W, margins);
    assert.equal(windowStart(W), before);
    assert.ok(into() >= 200, `${into()} ms into the window`);
  });

  it('insideWindow resolves at once between the margins', async () => {
    await sleep(W - into() + 350); // about 350 ms into a window, 650 ms before its end
    const before = Date.now();
    await insideWindow(W, margins);
    assert.ok(Date.now() - before < 100, 'no wait');
  });
});
