/**
 * The start of the window of `size` ms (an hour, a UTC day) that holds `at`. Reads the clock once:
 * `Date.now() - (Date.now() % size)` is off by the milliseconds that pass between its two reads.
 */
export function windowStart(size: number, at = Date.now()): number {
  return at - (at % size);
}
