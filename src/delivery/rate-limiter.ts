import { SharedRateBudget } from '../domain/shared-rate-budget.js';
import type { Store } from '../store/store.js';

/**
 * Per-endpoint rate limit (`endpoint.rateLimit`, messages per second), held across every worker
 * process on the store: each delivery takes a token from the endpoint's bucket in the store
 * (domain/shared-rate-budget.ts). A delivery over the limit is not an attempt: it is deferred to
 * the slot the bucket hands it, and slots follow one another 1/rate apart across all workers, so
 * a backlog comes back as a steady stream rather than all at once (which would only be deferred
 * again).
 *
 * The bucket holds a quarter second of tokens, and each take leases up to 1/20 s of tokens more,
 * spent within 100 ms: what any window of T seconds can see beyond rate × T is at most
 * rate × 0.35 s, so the limit holds within 10 % over windows of 5 s and more.
 */

/** Bucket size, in seconds of the rate (at least one token). */
export const BURST_SECONDS = 0.25;
const LEASE_SECONDS = 0.05;
const LEASE_TTL_MS = 100;
/** When the store cannot be asked, look at the delivery again this much later rather than send it unmetered. */
const STORE_DOWN_DEFER_MS = 1000;

export class RateLimiter {
  private readonly budget: SharedRateBudget;

  constructor(
    store: Pick<Store, 'takeRateBudget' | 'pruneRateBudgets'>,
    private readonly clock: { now(): number } = { now: () => Date.now() },
  ) {
    this.budget = new SharedRateBudget({
      store,
      spread: true,
      leaseSeconds: LEASE_SECONDS,
      leaseTtlMs: LEASE_TTL_MS,
      clock,
    });
  }

  /** Whether the endpoint has a limit at all: without one, take() need not be called. */
  static limits(rate: number | null): rate is number {
    return rate !== null && rate > 0;
  }

  /** Take a token for one delivery to `endpointId`: null when it may go now, else the time (epoch ms) to defer it to. */
  async take(endpointId: string, rate: number): Promise<number | null> {
    try {
      return await this.budget.take(`endpoint:${endpointId}`, rate, Math.max(1, rate * BURST_SECONDS));
    } catch {
      return this.clock.now() + STORE_DOWN_DEFER_MS;
    }
  }
}
