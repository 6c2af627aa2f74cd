/** Svix statuses that will still change: 1 pending, 3 sending. */
export function inFlight(status: number): boolean {
  return status === 1 || status === 3;
}

const SOON_MS = 60_000;
const FAST_MS = 2_000;
const SLOW_MS = 30_000;

/**
 * How often a page showing these deliveries asks again: every 2 s while one is being sent or
 * due within a minute, every 30 s while one waits for a later retry, never once all are final.
 */
export function refreshInterval(
  items: ReadonlyArray<{ status: number; nextAttempt?: string | null }>,
  now = Date.now(),
): number | false {
  let interval: number | false = false;
  for (const item of items) {
    if (!inFlight(item.status)) continue;
    const due = item.nextAttempt ? Date.parse(item.nextAttempt) : now;
    if (item.status === 3 || Number.isNaN(due) || due - now < SOON_MS) return FAST_MS;
    interval = SLOW_MS;
  }
  return interval;
}
