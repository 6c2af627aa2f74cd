import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of the delivery engine, in one registry that the server serves at
 * `/metrics`. The queue depth is read from the store when scraped (one COUNT per scrape).
 * Outcome counts and requests in flight change with every delivery: they are kept as plain
 * numbers (`countDeliveries`, `deliveryStarted` / `deliveryEnded`) and handed to prom-client
 * when scraped, so the hot path pays an addition rather than a labelled update.
 */

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'hookrelay_' });

export type DeliveryOutcomeLabel = 'success' | 'retry' | 'exhausted' | 'deferred' | 'released';

/** Counted since the last scrape. */
const uncounted: Record<DeliveryOutcomeLabel, number> = { success: 0, retry: 0, exhausted: 0, deferred: 0, released: 0 };

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

let queueDepthSource: (() => Promise<number>) | null = null;

/** Where `hookrelay_queue_depth` is read from (the worker sets its store; null stops it). */
export function setQueueDepthSource(source: (() => Promise<number>) | null): void {
  queueDepthSource = source;
}

export const queueDepth = new Gauge({
  name: 'hookrelay_queue_depth',
  help: 'Deliveries pending or being sent (store-wide).',
  registers: [metricsRegistry],
  async collect() {
    if (!queueDepthSource) return;
    try {
      this.set(await queueDepthSource());
    } catch {
      // store unreachable: keep the last value rather than fail the scrape
    }
  },
});
