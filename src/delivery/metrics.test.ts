import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  countDeliveries,
  deliveryDuration,
  deliveryEnded,
  deliveryStarted,
  metricsRegistry,
  setQueueStatsSource,
  countEndpointAttempt,
  setEndpointLabelLimit,
} from './metrics.js';

describe('delivery metrics', () => {
  it('exposes the delivery series in Prometheus text format', async () => {
    const successes = async () =>
      Number(/hookrelay_deliveries_total\{outcome="success"\} (\d+)/.exec(await metricsRegistry.metrics())?.[1] ?? 0);
    const before = await successes();
    countDeliveries('success', 3);
    assert.equal(await successes(), before + 3);
    countDeliveries('success');
    deliveryDuration.observe(0.02);
    deliveryStarted();
    deliveryStarted();
    const now = Date.now();
    setQueueStatsSource(async () => ({ depth: 42, oldestDueAt: now - 90_000, expiredLeases: 3 }));
    try {
      const text = await metricsRegistry.metrics();
      assert.match(text, new RegExp(`hookrelay_deliveries_total\\{outcome="success"\\} ${before + 4}\\b`));
      assert.match(text, /hookrelay_delivery_duration_seconds_bucket\{le="0.025"\} \d+/);
      assert.match(text, /hookrelay_deliveries_in_flight 2/);
      assert.match(text, /hookrelay_queue_depth 42/);
      assert.match(text, /hookrelay_leases_expired 3/);
      const age = Number(/^hookrelay_queue_oldest_due_age_seconds (\S+)$/m.exec(text)?.[1]);
      assert.ok(age >= 90 && age < 120, `oldest due age ${age} s`);
      assert.match(metricsRegistry.contentType, /text\/plain/);
    } finally {
      setQueueStatsSource(null);
      deliveryEnded();
      deliveryEnded();
    }
  });

  it('keeps the last queue depth when the store cannot answer, without failing the scrape', async () => {
    setQueueStatsSource(async () => ({ depth: 7, oldestDueAt: null, expiredLeases: 0 }));
    await metricsRegistry.metrics();
    setQueueStatsSource(async () => {
      throw new Error('store down');
    });
    try {
      assert.match(await metricsRegistry.metrics(), /hookrelay_queue_depth 7/);
    } finally {
      setQueueStatsSource(null);
    }
  });

  it('labels attempts per app and endpoint up to the cap, then sums the rest under "_other"', async () => {
    setEndpointLabelLimit(2);
    const overflow = ['ep_a', 'ep_b', 'ep_c', 'ep_d'].map((ep) => countEndpointAttempt('app_x', ep, 'failure'));
    countEndpointAttempt('app_x', 'ep_a', 'success');
    countEndpointAttempt('app_x', 'ep_c', 'success');
    const text = await metricsRegistry.metrics();
    assert.deepEqual(overflow, [false, false, true, false], 'the first endpoint past the cap is reported once');
    assert.match(text, /hookrelay_endpoint_attempts_total\{app_id="app_x",endpoint_id="ep_a",outcome="failure"\} 1/);
    assert.match(text, /hookrelay_endpoint_attempts_total\{app_id="app_x",endpoint_id="ep_a",outcome="success"\} 1/);
    assert.match(text, /hookrelay_endpoint_attempts_total\{app_id="app_x",endpoint_id="ep_b",outcome="failure"\} 1/);
    assert.match(text, /hookrelay_endpoint_attempts_total\{app_id="_other",endpoint_id="_other",outcome="failure"\} 2/);
    assert.match(text, /hookrelay_endpoint_attempts_total\{app_id="_other",endpoint_id="_other",outcome="success"\} 1/);
    assert.doesNotMatch(text, /endpoint_id="ep_c"/);
  });
});
