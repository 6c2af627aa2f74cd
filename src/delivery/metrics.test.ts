import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deliveriesInFlight, deliveriesTotal, deliveryDuration, metricsRegistry, setQueueDepthSource } from './metrics.js';

describe('delivery metrics', () => {
  it('exposes the delivery series in Prometheus text format', async () => {
    deliveriesTotal.inc({ outcome: 'success' }, 3);
    deliveryDuration.observe(0.02);
    deliveriesInFlight.set(2);
    setQueueDepthSource(async () => 42);
    try {
      const text = await metricsRegistry.metrics();
      assert.match(text, /hookrelay_deliveries_total\{outcome="success"\} \d+/);
      assert.match(text, /hookrelay_delivery_duration_seconds_bucket\{le="0.025"\} \d+/);
      assert.match(text, /hookrelay_deliveries_in_flight 2/);
      assert.match(text, /hookrelay_queue_depth 42/);
      assert.match(metricsRegistry.contentType, /text\/plain/);
    } finally {
      setQueueDepthSource(null);
      deliveriesInFlight.set(0);
    }
  });

  it('keeps the last queue depth when the store cannot answer, without failing the scrape', async () => {
    setQueueDepthSource(async () => 7);
    await metricsRegistry.metrics();
    setQueueDepthSource(async () => { throw new Error('store down'); });
    try {
      assert.match(await metricsRegistry.metrics(), /hookrelay_queue_depth 7/);
    } finally {
      setQueueDepthSource(null);
    }
  });
});
