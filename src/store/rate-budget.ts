import type { RateBudgetGrant, RateBudgetTake } from './store.js';

/**
 * A shared rate budget: one token bucket per key, holding at most `burst` tokens and refilled
 * at `rate` per second. Store.takeRateBudget applies one take atomically (PostgreSQL: one
 * UPDATE on the key's row, so every process draws from the same bucket; SQLite: this function
 * on the store's own memory). This file is the reference both follow.
 *
 * - `want` callers each need one token now; `extra` tokens are a lease, taken only from what is
 *   left after them (the caller spends them within a moment, saving round trips).
 * - `spread` (deliveries): refused callers are handed successive slots 1/rate apart, after the
 *   slots handed out before (the bucket's `deferredUntil`), so a backlog comes back as a steady
 *   stream instead of all at the next token. A full bucket means no slot was used for a whole
 *   burst, so earlier slots are stale (their rows are gone) and the queue starts again from now.
 * - Without `spread` (API requests) every refused caller is told when the next token comes.
 * - The rate and burst are the caller's at each take: a changed limit applies from then on
 *   without resetting the bucket, so processes that briefly disagree on it cannot refill it.
 */

export interface RateBucket {
  tokens: number;
  updatedAt: number;
  /** End of the deferral slots handed out so far (epoch ms, fractional). */
  deferredUntil: number;
  /** The last take's rate and burst, so a prune knows when the bucket is full. */
  rate: number;
  burst: number;
}

/** A bucket untouched this long, and full, may be deleted: a new one is the same. */
export const RATE_BUDGET_IDLE_MS = 60_000;

/** Apply one take to `bucket` (undefined: a new, full bucket). Returns the bucket after it and the answer. */
export function takeFromBucket(
  bucket: RateBucket | undefined,
  t: RateBudgetTake,
): { bucket: RateBucket; grant: RateBudgetGrant } {
  const prior = bucket ?? { tokens: t.burst, updatedAt: t.now, deferredUntil: 0, rate: t.rate, burst: t.burst };
  const avail = Math.min(t.burst, prior.tokens + (Math.max(0, t.now - prior.updatedAt) * t.rate) / 1000);
  const granted = Math.min(t.want, Math.floor(avail));
  const extra = Math.min(t.extra, Math.floor(avail - granted));
  const left = avail - granted - extra;
  const refused = t.want - granted;
  const horizon = avail >= t.burst ? 0 : prior.deferredUntil;
  const first = Math.max(t.spread ? horizon : 0, t.now + ((1 - left) * 1000) / t.rate);
  return {
    bucket: {
      tokens: left,
      updatedAt: Math.max(prior.updatedAt, t.now),
      deferredUntil: refused > 0 && t.spread ? first + (refused * 1000) / t.rate : horizon,
      rate: t.rate,
      burst: t.burst,
    },
    grant: { granted: granted + extra, retryAt: refused > 0 ? first : null },
  };
}

/** Whether pruneRateBudgets may delete the bucket at `now`: idle and full (a take would forget its slots too). */
export function prunable(b: RateBucket, now: number): boolean {
  return b.updatedAt < now - RATE_BUDGET_IDLE_MS && b.tokens + ((now - b.updatedAt) * b.rate) / 1000 >= b.burst;
}
