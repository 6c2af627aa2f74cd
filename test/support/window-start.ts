import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The start of the window of `size` ms (an hour, a UTC day) that holds `at`. Reads the clock once:
 * `Date.now() - (Date.now() % size)` is off by the milliseconds that pass between its two reads.
 */
export function windowStart(size: number, at = Date.now()): number {
  return at - (at % size);
}

/**
 * Resolves once the clock is at least `startMs` into its window and more than `endMs` before the
 * window's end, waiting for the next window otherwise. A test that writes into the current window
 * then sees it neither close (one more report than it counts) nor so newly open that the window
 * before is still looked at for late arrivals (the usage reporter's threshold check).
 */
export async function insideWindow(size: number, margins: { startMs: number; endMs: number }): Promise<void> {
  // Checked again after each sleep: a timer may fire a millisecond before the wall clock reaches its mark.
  for (;;) {
    const now = Date.now();
    const start = windowStart(size, now);
    const at =
      start + size - now <= margins.endMs ? start + size + margins.startMs : Math.max(now, start + margins.startMs);
    if (at <= now) return;
    await sleep(at - now);
  }
}
