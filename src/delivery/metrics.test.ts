import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countDeliveries, deliveryDuration, deliveryEnded, deliveryStarted, metricsRegistry, setQueueDepthSource } from './metrics.js';

describe('delivery metrics', () => {
  it('exposes the delivery series in Prometheus text format', async () => {
    const successes = async () => Number(/hookrelay_deliveries_total\{outcome="success"\} (\d+)/.exec(await metricsRegistry.metrics())?.[1] ?? 0);
    const before = await successes();
    countDeliveries('success', 3);
    assert.equal(await successes(), before + 3);
    countDeliveries('success');
    deliveryDuration.observe(0.02);
    deliveryStarted();
    deliveryStarted();
    setQueueDepthSource(async () => 42);
    try {
      const text = await metricsRegistry.metrics();
      assert.match(text, new RegExp(`hookrelay_deliveries_total\\{outcome="success"\\} ${before + 4}\\b`));
      assert.match(text, /hookrelay_delivery_duration_seconds_bucket\{le="0.025"\} \d+/);
      assert.match(text, /hookrelay_deliveries_in_flight 2/);
      assert.match(text, /hookrelay_queue_depth 42/);
      assert.match(metricsRegistry.contentType, /text\/plain/);
    } finally {
      setQueueDepthSource(null);
      deliveryEnded();
      deliveryEnded();
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
