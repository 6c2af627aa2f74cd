import { prunable, takeFromBucket, type RateBucket } from '../rate-budget.js';
import type { RateBudgetGrant, RateBudgetTake } from '../store.js';

/** Rate budgets in memory: SQLite serves one process, a restart only starts them full, and no take costs a commit. */
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
