/**
 * Remembers which `webhook-id`s were already processed. Hookrelay delivers at least once: a
 * retry after a timeout, or a delivery re-claimed after a worker crash, arrives with the same
 * `webhook-id`, and a receiver that must act once checks it here first.
 *
 * Memory is bounded: entries expire after `ttlMs`, and past `maxEntries` the oldest is dropped.
 * This is per process; receivers running several processes need a shared store (a unique key
 * in their database) instead.
 */

export interface DeduperOptions {
  /**
   * How long an id is remembered. The default retry schedule spans about 28 hours (33 with
   * jitter), so a day and a half covers every automatic retry. (Default: 36 hours)
   */
  ttlMs?: number;
  /** Most ids kept at once; the oldest go first. (Default: 100_000) */
  maxEntries?: number;
  /** Clock in ms, for tests. (Default: Date.now) */
  now?: () => number;
}

export interface Deduper {
  /** True if `webhookId` was seen (and not forgotten) within the TTL; otherwise records it and returns false. */
  seen(webhookId: string): boolean;
  /** Forget an id, e.g. when processing failed and the next retry should be handled again. */
  forget(webhookId: string): void;
  /** Ids currently remembered (expired ones may linger until the next `seen`). */
  readonly size: number;
}

export function createDeduper(options: DeduperOptions = {}): Deduper {
  const ttlMs = options.ttlMs ?? 36 * 60 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  if (!(ttlMs > 0)) throw new RangeError('ttlMs must be positive');
  if (!(maxEntries >= 1)) throw new RangeError('maxEntries must be at least 1');

  // id -> expiry. A Map iterates in insertion order and ids are never re-inserted while live,
  // so the first entries are always the oldest: expiry and eviction only look at the front.
  const expiries = new Map<string, number>();

  function dropExpired(at: number): void {
    for (const [id, expiresAt] of expiries) {
      if (expiresAt > at) break;
      expiries.delete(id);
    }
  }

  return {
    seen(webhookId) {
      const at = now();
      dropExpired(at);
      if (expiries.has(webhookId)) return true;
      expiries.set(webhookId, at + ttlMs);
      if (expiries.size > maxEntries) expiries.delete(expiries.keys().next().value as string);
      return false;
    },
    forget(webhookId) {
      expiries.delete(webhookId);
    },
    get size() {
      return expiries.size;
    },
  };
}
