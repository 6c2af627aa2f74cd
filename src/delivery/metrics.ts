import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueStats } from '../store/store.js';

/**
 * Prometheus metrics of the delivery engine, in one registry that the server serves at
 * `/metrics`. The queue gauges are read from the store when scraped (one query per scrape).
 * Outcome counts and requests in flight change with every delivery: they are kept as plain
 * numbers (`countDeliveries`, `deliveryStarted` / `deliveryEnded`) and handed to prom-client
 * when scraped, so the hot path pays an addition rather than a labelled update.
 */

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'hookrelay_' });

export type DeliveryOutcomeLabel = 'success' | 'retry' | 'exhausted' | 'deferred' | 'released';

/** Counted since the last scrape. */
const uncounted: Record<DeliveryOutcomeLabel, number> = {
  success: 0,
  retry: 0,
  exhausted: 0,
  deferred: 0,
  released: 0,
};

/** Count `n` deliveries that ended with `outcome`. */
export function countDeliveries(outcome: DeliveryOutcomeLabel, n = 1): void {
  uncounted[outcome] += n;
}

export const deliveriesTotal = new Counter({
  name: 'hookrelay_deliveries_total',
  help: 'Delivery attempts and deferrals, by outcome (success, retry = failed with a retry left, exhausted = failed for good, deferred = rate limited, released = given back at shutdown).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
  collect() {
    for (const outcome of Object.keys(uncounted) as DeliveryOutcomeLabel[]) {
      if (uncounted[outcome] === 0) continue;
      this.inc({ outcome }, uncounted[outcome]);
      uncounted[outcome] = 0;
    }
  },
});

export const deliveryDuration = new Histogram({
  name: 'hookrelay_delivery_duration_seconds',
  help: 'Duration of delivery requests, connect to last byte read.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
  registers: [metricsRegistry],
});

let inFlight = 0;

export function deliveryStarted(): void {
  inFlight++;
}

export function deliveryEnded(): void {
  inFlight--;
}

export const deliveriesInFlight = new Gauge({
  name: 'hookrelay_deliveries_in_flight',
  help: 'Delivery requests in flight in this process.',
  registers: [metricsRegistry],
  collect() {
    this.set(inFlight);
  },
});

let queueStatsSource: ((now: number) => Promise<QueueStats>) | null = null;
let lastStats: Promise<QueueStats | null> | null = null;

/** Where the queue gauges are read from (the worker sets its store; null stops them). */
export function setQueueStatsSource(source: ((now: number) => Promise<QueueStats>) | null): void {
  queueStatsSource = source;
  lastStats = null;
}

/** One store read per scrape, shared by the queue gauges; a store that does not answer keeps their last values. */
function readQueueStats(): Promise<QueueStats | null> {
  if (!queueStatsSource) return Promise.resolve(null);
  lastStats ??= queueStatsSource(Date.now())
    .catch(() => null)
    .finally(() =>
      setImmediate(() => {
        lastStats = null;
      }),
    );
  return lastStats;
}

/** A gauge set at scrape from the shared queue stats; a store that does not answer keeps its last value. */
function queueGauge(name: string, help: string, value: (stats: QueueStats) => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [metricsRegistry],
    async collect() {
      const stats = await readQueueStats();
      if (stats) this.set(value(stats));
    },
  });
}

export const queueDepth = queueGauge(
  'hookrelay_queue_depth',
  'Deliveries pending or being sent (store-wide).',
  (s) => s.depth,
);

export const oldestDueAge = queueGauge(
  'hookrelay_queue_oldest_due_age_seconds',
  'How long the oldest pending delivery has been due and not yet sent (store-wide; 0 when none is waiting). Growing: workers are behind.',
  (s) => (s.oldestDueAt === null ? 0 : Math.max(0, (Date.now() - s.oldestDueAt) / 1000)),
);

export const expiredLeases = queueGauge(
  'hookrelay_leases_expired',
  'Deliveries whose lease ran out unfinished (store-wide): a worker died or stalled holding them; any worker claims them again.',
  (s) => s.expiredLeases,
);

export const claimDuration = new Histogram({
  name: 'hookrelay_claim_duration_seconds',
  help: "One claim of due deliveries by this process's worker loop, including the wait for the claim lock (PostgreSQL) or the store thread (SQLite).",
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const leaseShortReleases = new Counter({
  name: 'hookrelay_lease_short_releases_total',
  help: 'Claimed deliveries given back unsent because too little of their lease was left to cover a whole request (they waited too long for a slot).',
  registers: [metricsRegistry],
});

/** Label value of the endpoints past the cap. */
export const OTHER_LABEL = '_other';
let endpointLabelLimit = 100;
let overflowLogged = false;

/** One labelled series pair; counts are since the last scrape. */
interface EndpointCounts {
  appId: string;
  endpointId: string;
  success: number;
  failure: number;
}

/** By endpoint ID: the labelled endpoints (at most the cap), plus `_other` for the rest. */
const endpointCounts = new Map<string, EndpointCounts>();
const other: EndpointCounts = { appId: OTHER_LABEL, endpointId: OTHER_LABEL, success: 0, failure: 0 };

/** How many endpoints get labels of their own; the rest are counted as `_other` (config metricsEndpointLabels). */
export function setEndpointLabelLimit(limit: number): void {
  endpointLabelLimit = limit;
}

/** Count one attempt of an endpoint (a map lookup and an addition). Returns true the first time an endpoint falls past the cap (log it once). */
export function countEndpointAttempt(appId: string, endpointId: string, outcome: 'success' | 'failure'): boolean {
  let counts = endpointCounts.get(endpointId);
  let firstOverflow = false;
  if (!counts) {
    if (endpointCounts.size < endpointLabelLimit) {
      counts = { appId, endpointId, success: 0, failure: 0 };
      endpointCounts.set(endpointId, counts);
    } else {
      counts = other;
      firstOverflow = !overflowLogged;
      overflowLogged = true;
    }
  }
  counts[outcome]++;
  return firstOverflow;
}

export const endpointAttempts = new Counter({
  name: 'hookrelay_endpoint_attempts_total',
  help: 'Delivery attempts by application, endpoint and outcome (success, failure). The first HOOKRELAY_METRICS_ENDPOINT_LABELS endpoints a process sends to get labels of their own; later ones are summed under app_id and endpoint_id "_other".',
  labelNames: ['app_id', 'endpoint_id', 'outcome'] as const,
  registers: [metricsRegistry],
  collect() {
    for (const c of [...endpointCounts.values(), other]) {
      for (const outcome of ['success', 'failure'] as const) {
        if (c[outcome] === 0) continue;
        this.inc({ app_id: c.appId, endpoint_id: c.endpointId, outcome }, c[outcome]);
        c[outcome] = 0;
      }
    }
  },
});
