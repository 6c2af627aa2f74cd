import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of the delivery engine, in one registry that the server serves at
 * `/metrics`. The queue depth is read from the store when scraped (one COUNT per scrape).
 */

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'hookrelay_' });

/** outcome: success | retry | exhausted | deferred | released. */
export const deliveriesTotal = new Counter({
  name: 'hookrelay_deliveries_total',
  help: 'Delivery attempts and deferrals, by outcome (success, retry = failed with a retry left, exhausted = failed for good, deferred = rate limited, released = given back at shutdown).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const deliveryDuration = new Histogram({
  name: 'hookrelay_delivery_duration_seconds',
  help: 'Duration of delivery requests, connect to last byte read.',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
  registers: [metricsRegistry],
});

export const deliveriesInFlight = new Gauge({
  name: 'hookrelay_deliveries_in_flight',
  help: 'Delivery requests in flight in this process.',
  registers: [metricsRegistry],
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
