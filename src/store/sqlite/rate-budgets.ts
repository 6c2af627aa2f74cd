import { prunable, takeFromBucket, type RateBucket } from '../rate-budget.js';
import type { RateBudgetGrant, RateBudgetTake } from '../store.js';

/**
 * Rate budgets of the SQLite store, in its memory: SQLite serves one process, so its buckets
 * need not outlive it (a restart starts them full, as a prune would). Keeping them off the file
 * spares every rate-limited request and delivery a commit.
 */
export class MemoryRateBudgets {
  private readonly buckets = new Map<string, RateBucket>();

  take(t: RateBudgetTake): RateBudgetGrant {
    const { bucket, grant } = takeFromBucket(this.buckets.get(t.key), t);
    this.buckets.set(t.key, bucket);
    return grant;
  }

  prune(now: number): number {
    let n = 0;
    for (const [key, b] of this.buckets) {
      if (prunable(b, now)) {
        this.buckets.delete(key);
        n++;
      }
    }
    return n;
  }
}
