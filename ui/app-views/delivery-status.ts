/** Svix statuses that will still change: 1 pending, 3 sending. Pages showing them refresh on their own. */
export function inFlight(status: number): boolean {
  return status === 1 || status === 3;
}

/** How often a page with deliveries in flight asks again. */
export const IN_FLIGHT_REFRESH_MS = 2_000;
