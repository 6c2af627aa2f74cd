import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The start of the window of `size` ms (an hour, a UTC day) that holds `at`. Reads the clock once:
 * `Date.now() - (Date.now() % size)` is off by the milliseconds that pass between its two reads.
 */
export function windowStart(size: number, at = Date.now()): number {
  return at - (at % size);
}

/**
 * Resolves at once when the current window has more than `marginMs` left, else once the next one
 * has begun: a test that expects to stay inside one window (no hourly or daily report of the
 * window it writes into) then has at least `marginMs` before that window closes.
 */
export async function clearOfWindowEnd(size: number, marginMs: number): Promise<void> {
  const left = windowStart(size) + size - Date.now();
  if (left <= marginMs) await sleep(left + 1);
}
