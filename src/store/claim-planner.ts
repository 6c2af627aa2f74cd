/**
 * How many due rows to lease from each endpoint in one claim — the fairness rule, shared by
 * both adapters (each only finds the endpoints and fetches the rows).
 *
 * The adapters list the endpoints that have due work (one index seek per endpoint, never a
 * walk over the backlog), then this plan shares the batch round-robin, oldest head first:
 * every endpoint with room gets an equal share, capped by its free slots under
 * `perEndpointLimit` (counting rows already leased to anyone). So a million-row backlog on one
 * endpoint neither hides nor slows the due rows of the others.
 */
export interface EndpointHead {
  endpointId: string;
  /** Due time of the endpoint's oldest due row. */
  dueAt: number;
}

export function planClaim(
  heads: EndpointHead[],
  leased: ReadonlyMap<string, number>,
  limit: number,
  perEndpointLimit: number,
): Map<string, number> {
  const plan = new Map<string, number>();
  const room = (ep: string) => perEndpointLimit - (leased.get(ep) ?? 0) - (plan.get(ep) ?? 0);
  let open = heads.filter((h) => room(h.endpointId) > 0).sort((a, b) => a.dueAt - b.dueAt);
  let remaining = limit;
  while (remaining > 0 && open.length > 0) {
    const share = Math.max(1, Math.floor(remaining / open.length));
    for (const h of open) {
      if (remaining === 0) break;
      const n = Math.min(room(h.endpointId), share, remaining);
      plan.set(h.endpointId, (plan.get(h.endpointId) ?? 0) + n);
      remaining -= n;
    }
    open = open.filter((h) => room(h.endpointId) > 0);
  }
  return plan;
}

/** Rounds of planning: endpoints that filled their share in one round may have more for the next. */
const MAX_ROUNDS = 3;

/** What a claim plans from, read by the adapter under its claim's exclusion. */
export interface DueWork {
  /** Unexpired leases per endpoint. */
  inFlight: Map<string, number>;
  /** Expired leases of enabled endpoints (crashed or stopped workers), oldest expiry first. */
  expired: Array<{ id: string; endpointId: string }>;
  /** The endpoints with due pending rows. */
  heads: EndpointHead[];
}

/**
 * A row of the adapter's due read, in one statement (UNION ALL): a count of unexpired leases per
 * endpoint ('leased'), an expired lease and its expiry ('expired'), an endpoint's oldest due time ('head').
 */
export interface DueRow {
  kind: 'leased' | 'expired' | 'head';
  endpoint_id: string;
  id: string | null;
  value: number;
}

export function dueWorkOf(rows: DueRow[]): DueWork {
  return {
    inFlight: new Map(rows.filter((r) => r.kind === 'leased').map((r) => [r.endpoint_id, r.value])),
    // Oldest expiry first: UNION ALL keeps no order.
    expired: rows
      .filter((r) => r.kind === 'expired')
      .sort((a, b) => a.value - b.value)
      .map((r) => ({ id: r.id!, endpointId: r.endpoint_id })),
    heads: rows.filter((r) => r.kind === 'head').map((r) => ({ endpointId: r.endpoint_id, dueAt: r.value })),
  };
}

/** One round for the adapter to lease: how many due rows of each endpoint, and expired leases by ID (first round only). */
export interface ClaimRound {
  plan: Map<string, number>;
  expired: string[];
}

/**
 * The rounds of one claim, the same on both adapters: expired leases first, each while its
 * endpoint is under the cap; then rounds of `planClaim`, each yielded for the adapter to lease,
 * which answers with the rows it got per endpoint. An endpoint that gave fewer rows than planned
 * is drained; the others may have more for the next round. A generator, so SQLite's synchronous
 * adapter and PostgreSQL's asynchronous one run the same loop.
 */
export function* claimRounds(
  due: DueWork,
  limit: number,
  perEndpointLimit: number,
  settling?: ReadonlyMap<string, number>,
): Generator<ClaimRound, void, Map<string, number>> {
  const { inFlight } = due;
  // A settling row's request is over: its lease does not hold a place in the window.
  for (const [ep, n] of settling ?? []) {
    const leased = inFlight.get(ep);
    if (leased !== undefined) inFlight.set(ep, Math.max(0, leased - n));
  }
  let taken = 0;
  const take = (ep: string, n: number) => {
    taken += n;
    inFlight.set(ep, (inFlight.get(ep) ?? 0) + n);
  };
  let expired: string[] = [];
  for (const r of due.expired) {
    if ((inFlight.get(r.endpointId) ?? 0) >= perEndpointLimit) continue;
    expired.push(r.id);
    take(r.endpointId, 1);
  }
  let candidates = due.heads;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const plan =
      taken < limit && candidates.length > 0
        ? planClaim(candidates, inFlight, limit - taken, perEndpointLimit)
        : new Map<string, number>();
    if (plan.size === 0 && expired.length === 0) return;
    const got = yield { plan, expired };
    expired = [];
    for (const [ep, n] of got) take(ep, n);
    candidates = candidates.filter((h) => plan.has(h.endpointId) && got.get(h.endpointId) === plan.get(h.endpointId));
  }
}
