/**
 * When to try again. `schedule[i]` is the delay in seconds before attempt i+1 (index 0 is the
 * first attempt, normally 0), so after n attempts the next delay is `schedule[n]`, and when
 * the schedule runs out the delivery is exhausted. Each delay gets ±jitter so that a burst of
 * failures does not come back as a burst of retries. A receiver's Retry-After is honoured but
 * clamped to [delay, 2 × delay] (as Svix does): it can slow us down, never speed us up, and
 * never park a delivery for days.
 */

export interface RetryPolicyOptions {
  /** Delays in seconds (config.retrySchedule). */
  schedule: number[];
  /** Fraction of each delay added or removed at random (Default: 0.2). */
  jitter?: number;
  /** Uniform in [0, 1) (Default: Math.random); inject a constant to make the schedule exact. */
  random?: () => number;
}

export type RetryDecision = { kind: 'retry'; at: number; delayMs: number } | { kind: 'exhausted' };

export class RetryPolicy {
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(private readonly options: RetryPolicyOptions) {
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
  }

  /** Total attempts the schedule allows. */
  get maxAttempts(): number {
    return this.options.schedule.length;
  }

  /**
   * After `attemptsMade` attempts (counting the one that just failed), when is the next?
   * `retryAfterMs`: what the receiver asked for on a 429/503, if anything.
   */
  next(attemptsMade: number, now: number, retryAfterMs: number | null = null): RetryDecision {
    if (attemptsMade >= this.options.schedule.length) return { kind: 'exhausted' };
    const scheduled = this.options.schedule[attemptsMade] * 1000;
    const base = Math.round(scheduled * (1 + this.jitter * (2 * this.random() - 1)));
    const delayMs = retryAfterMs === null ? base : Math.min(Math.max(retryAfterMs, base), base * 2);
    return { kind: 'retry', at: now + delayMs, delayMs };
  }
}
