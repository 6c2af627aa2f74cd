/**
 * Per-endpoint rate limit (`endpoint.rateLimit`, messages per second) as a token bucket that
 * holds up to one second's worth of tokens. A delivery over the limit is not an attempt: it is
 * deferred to when a token will be there. Deferrals issued while the bucket is empty are
 * spaced one interval apart, so a backlog comes back as a steady stream rather than all at
 * once (which would only be deferred again). The limit is per worker process.
 */

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** Deferrals handed out since the bucket last granted a token. */
  waiting: number;
  rate: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Take a token for one delivery to `endpointId` at `now`. Returns null when it may go now,
   * else the time (epoch ms) to defer it to. `rate` null or ≤ 0 means unlimited.
   */
  take(endpointId: string, rate: number | null, now: number): number | null {
    if (rate === null || rate <= 0) return null;
    const capacity = Math.max(1, rate);
    let b = this.buckets.get(endpointId);
    if (!b || b.rate !== rate) {
      b = { tokens: capacity, updatedAt: now, waiting: 0, rate };
      this.buckets.set(endpointId, b);
    }
    b.tokens = Math.min(capacity, b.tokens + ((now - b.updatedAt) * rate) / 1000);
    b.updatedAt = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.waiting = 0;
      return null;
    }
    const interval = 1000 / rate;
    const at = now + Math.ceil((1 - b.tokens) * interval + b.waiting * interval);
    b.waiting++;
    return at;
  }

  /** Forget endpoints idle for a while so the map does not grow without bound. */
  sweep(now: number, idleMs = 60_000): void {
    for (const [id, b] of this.buckets) if (now - b.updatedAt > idleMs) this.buckets.delete(id);
  }
}
