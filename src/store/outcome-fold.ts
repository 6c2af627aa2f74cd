import type { DeliveryOutcome } from './store.js';
import type { EndpointId } from '../ids.js';

/**
 * A batch of delivery outcomes, reduced to what the store writes — the same for every dialect:
 * one move per delivery row and one health update per endpoint, each exactly as if the
 * outcomes had been applied one by one.
 */

/** Status codes of the deliveries table: 0 success, 1 pending, 2 fail (3 sending is the lease). */
export interface RowMove {
  id: string;
  owner: string;
  status: 0 | 1 | 2;
  nextAt: number | null;
  /** 1 when the outcome is an attempt (counted), 0 for a deferral. */
  counted: 0 | 1;
  attemptedAt: number | null;
  now: number;
  /** A failed row's reason (dead letters); null for every other move. */
  reason: string | null;
}

/**
 * Outcomes per endpoint, added to `into`: the rows whose request is over while their outcome waits
 * for its commit (ClaimRequest.settling).
 */
export function settlingOf(outcomes: Iterable<DeliveryOutcome>, into = new Map<string, number>()): Map<string, number> {
  for (const o of outcomes) {
    const ep = o.endpointUpdate?.endpointId;
    if (ep) into.set(ep, (into.get(ep) ?? 0) + 1);
  }
  return into;
}

/**
 * One move per row, the first outcome's: applied in order, the first releases the lease and a
 * later one for the same row would no longer match its owner. success → 0; retry → 1 at `at`,
 * counted; fail → 2, counted; defer → 1 at `at`, not counted.
 */
export function rowMoves(outcomes: readonly DeliveryOutcome[]): RowMove[] {
  const seen = new Set<string>();
  const moves: RowMove[] = [];
  for (const o of outcomes) {
    if (seen.has(o.deliveryId)) continue;
    seen.add(o.deliveryId);
    const n = o.next;
    const [status, nextAt, counted]: [0 | 1 | 2, number | null, 0 | 1] =
      n.kind === 'success'
        ? [0, null, 1]
        : n.kind === 'retry'
          ? [1, n.at, 1]
          : n.kind === 'fail'
            ? [2, null, 1]
            : [1, n.at, 0];
    const now = o.attempt?.now ?? o.endpointUpdate?.now ?? Date.now();
    moves.push({
      id: o.deliveryId,
      owner: o.owner,
      status,
      nextAt,
      counted,
      attemptedAt: o.attempt ? o.attempt.now : null,
      now,
      reason: n.kind === 'fail' ? (n.reason ?? null) : null,
    });
  }
  return moves;
}

/** The deliveries of ordered endpoints that succeeded: their keys' next rows may go (ordering.ts). */
export function orderedSuccesses(outcomes: readonly DeliveryOutcome[]): string[] {
  return outcomes.filter((o) => o.ordered && o.next.kind === 'success').map((o) => o.deliveryId);
}

/**
 * Whether outcomes leave work due for an idle loop: a retry or a deferral, or an ordered key's
 * next row — unless the commit claimed after promoting (`nextRowsClaimed`): what it left for want
 * of slots, the worker's next commit claims as slots free.
 */
export function outcomesMakeWork(outcomes: readonly DeliveryOutcome[], nextRowsClaimed: boolean): boolean {
  return outcomes.some(
    (o) =>
      o.next.kind === 'retry' ||
      o.next.kind === 'defer' ||
      (!nextRowsClaimed && o.ordered && o.next.kind === 'success'),
  );
}

export interface HealthFold {
  endpointId: EndpointId;
  /** Some outcome succeeded: the result no longer depends on the stored failing_since. */
  reset: boolean;
  /** failing_since after the fold: the first failure after the last success (or ever). */
  failFrom: number | null;
  /** `now` of the first outcome that disables the endpoint. */
  disableAt: number | null;
}

/**
 * Endpoint health per endpoint: success clears failing_since, a failure starts it if unset,
 * `disable` disables. Stored as: failing_since = reset ? failFrom : COALESCE(failing_since, failFrom);
 * disabled ||= disableAt !== null (updated_at = disableAt when it was enabled).
 */
export function healthFolds(outcomes: readonly DeliveryOutcome[]): HealthFold[] {
  const byEndpoint = new Map<string, HealthFold>();
  for (const o of outcomes) {
    const h = o.endpointUpdate;
    if (!h) continue;
    let s = byEndpoint.get(h.endpointId);
    if (!s)
      byEndpoint.set(h.endpointId, (s = { endpointId: h.endpointId, reset: false, failFrom: null, disableAt: null }));
    if (h.failed) s.failFrom ??= h.now;
    else {
      s.reset = true;
      s.failFrom = null;
    }
    if (h.disable) s.disableAt ??= h.now;
  }
  return [...byEndpoint.values()].sort((a, b) => (a.endpointId < b.endpointId ? -1 : 1));
}
