import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { clearOfWindowEnd, windowStart } from './window-start.js';

const W = 1000;
const left = () => windowStart(W) + W - Date.now();

describe('test windows', () => {
  it('windowStart floors a time to its window', () => {
    const DAY = 86_400_000;
    assert.equal(windowStart(DAY, Date.UTC(2026, 11, 6, 23, 59, 59, 999)), Date.UTC(2026, 11, 6));
    assert.equal(windowStart(DAY, Date.UTC(2026, 11, 7)), Date.UTC(2026, 11, 7));
  });

  it('clearOfWindowEnd waits for the next window when the current one ends within the margin', async () => {
    if (left() > 300) await sleep(left() - 200); // about 200 ms left: inside a 500 ms margin
    const before = windowStart(W);
    await clearOfWindowEnd(W, 500);
    assert.equal(windowStart(W), before + W);
  });

  it('clearOfWindowEnd resolves at once when more than the margin is left', async () => {
    await sleep(left() + 1); // a window has just begun: about 1000 ms left
    const before = windowStart(W);
    await clearOfWindowEnd(W, 500);
    assert.equal(windowStart(W), before);
  });
});
