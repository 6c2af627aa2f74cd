export interface RateBudgetTake {
  key: string;
  /** Tokens added per second (> 0). */
  rate: number;
  /** Most tokens the bucket holds (≥ 1). */
  burst: number;
  /** Callers that each need one token now. */
  want: number;
  /** Tokens taken beyond `want` only if the bucket has them (a lease spent within a moment). */
  extra: number;
  /** Refused callers get successive slots after earlier ones (deliveries) rather than all the next token (API). */
  spread: boolean;
  now: number;
}

export interface RateBudgetGrant {
  /** Tokens granted: callers first, then extra. */
  granted: number;
  /** When the first refused caller may try again (epoch ms, fractional); with `spread`, each next one 1000/rate later. null: none refused. */
  retryAt: number | null;
}

/** Where the buckets live: the Store (one row per key on PostgreSQL; the process's memory on SQLite). */
export interface RateBudgetStore {
  takeRateBudget(take: RateBudgetTake): Promise<RateBudgetGrant>;
  pruneRateBudgets(now: number): Promise<number>;
}

/**
 * A process's door to the shared rate budgets (Store.takeRateBudget): one token per caller,
 * drawn from a bucket every process on the store shares, with few round trips.
 * - Callers of one key that arrive while its take is on its way wait for the next one and are
 *   answered together: at most one take per key in flight per process.
 * - A lease (`leaseSeconds` of the rate, beyond the callers) is kept for `leaseTtlMs` and spent
 *   on the next callers without a round trip. Tokens held unspent are tokens no other process
 *   can use, and sends made later than their take shift load into later windows; both errors
 *   are bounded by rate × (leaseSeconds + leaseTtlMs), and leased tokens left over are dropped.
 * - Buckets idle for a minute are pruned once a minute by each process.
 */

export interface SharedRateBudgetOptions {
  store: RateBudgetStore;
  /** Refused callers queue behind one another (deliveries) rather than all being told the next token (API). */
  spread: boolean;
  /** Tokens taken ahead, in seconds of the rate, when there are fewer callers than that (Default: 0). */
  leaseSeconds?: number;
  /** How long leased tokens may be spent (Default: 100 ms). */
  leaseTtlMs?: number;
  /** (Default: Date.now) */
  clock?: { now(): number };
}

interface Waiter {
  resolve(retryAt: number | null): void;
  reject(err: unknown): void;
}

interface KeyState {
  rate: number;
  burst: number;
  waiters: Waiter[];
  busy: boolean;
  leased: number;
  leaseUntil: number;
}

const PRUNE_EVERY_MS = 60_000;
/** Forget the lease state of idle keys once this many are held. */
const SWEEP_AT = 1000;

export class SharedRateBudget {
  private readonly keys = new Map<string, KeyState>();
  private readonly clock: { now(): number };
  private readonly leaseSeconds: number;
  private readonly leaseTtlMs: number;
  private lastPrune: number;

  constructor(private readonly options: SharedRateBudgetOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.leaseSeconds = options.leaseSeconds ?? 0;
    this.leaseTtlMs = options.leaseTtlMs ?? 100;
    this.lastPrune = this.clock.now();
  }

  /**
   * One token of `key`'s bucket (`rate` per second, at most `burst`). Resolves null when the
   * caller may go now, else the time (epoch ms) to try again. Rejects when the store fails.
   */
  take(key: string, rate: number, burst: number): Promise<number | null> {
    const now = this.clock.now();
    this.maybePrune(now);
    let k = this.keys.get(key);
    if (!k) {
      if (this.keys.size >= SWEEP_AT) this.sweep(now);
      k = { rate, burst, waiters: [], busy: false, leased: 0, leaseUntil: 0 };
      this.keys.set(key, k);
    }
    k.rate = rate;
    k.burst = burst;
    if (k.waiters.length === 0 && k.leased > 0 && now < k.leaseUntil) {
      k.leased--;
      return Promise.resolve(null);
    }
    return new Promise((resolve, reject) => {
      k.waiters.push({ resolve, reject });
      if (!k.busy) {
        k.busy = true;
        queueMicrotask(() => void this.flush(key, k));
      }
    });
  }

  private async flush(key: string, k: KeyState): Promise<void> {
    const waiters = k.waiters.splice(0);
    const now = this.clock.now();
    let served = 0;
    if (now < k.leaseUntil) {
      served = Math.min(k.leased, waiters.length);
      k.leased -= served;
      for (let i = 0; i < served; i++) waiters[i].resolve(null);
    }
    const want = waiters.length - served;
    if (want > 0) {
      const take: RateBudgetTake = {
        key,
        rate: k.rate,
        burst: k.burst,
        want,
        extra: Math.max(0, Math.floor(k.rate * this.leaseSeconds) - want),
        spread: this.options.spread,
        now,
      };
      try {
        const grant = await this.options.store.takeRateBudget(take);
        const go = Math.min(want, grant.granted);
        for (let i = 0; i < go; i++) waiters[served + i].resolve(null);
        k.leased = grant.granted - go;
        k.leaseUntil = now + this.leaseTtlMs;
        const interval = this.options.spread ? 1000 / k.rate : 0;
        for (let i = go; i < want; i++) waiters[served + i].resolve(Math.ceil(grant.retryAt! + (i - go) * interval));
      } catch (err) {
        for (let i = served; i < waiters.length; i++) waiters[i].reject(err);
      }
    }
    if (k.waiters.length > 0) return this.flush(key, k);
    k.busy = false;
    if (k.leased === 0) this.keys.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, k] of this.keys) if (!k.busy && now >= k.leaseUntil) this.keys.delete(key);
  }

  private maybePrune(now: number): void {
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    // Best effort: a bucket left behind only takes a row until the next prune.
    this.options.store.pruneRateBudgets(now).catch(() => {});
  }
}
