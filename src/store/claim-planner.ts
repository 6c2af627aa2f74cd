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
