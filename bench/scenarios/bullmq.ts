import { generateSecret } from '../../src/domain/endpoint-secret.js';
import { processCpuSeconds, redisCpuSeconds, startCpuMeter } from '../lib/cpu-meter.js';
import { sharedChild, withReceiver, type Scenario } from '../lib/scenario.js';
import { sizesFor } from '../lib/sizes.js';
import { waitUntil } from '../lib/stats.js';
import { PRODUCER_CONCURRENCY } from './end-to-end.js';
import { ENGINE_CONCURRENCY } from './raw-limit.js';

/**
 * The peer: the same two workloads as `drain` and `e2e`, done by the do-it-yourself stack
 * (bench/peers/bullmq-peer.ts: BullMQ on Redis 6379, undici, node:http), with the same N, the
 * same receiver, the engine's per-endpoint concurrency and the same producer. Hookrelay's
 * figures are reported as a ratio to these as well as to the raw limit.
 */

const PEER = 'peers/bullmq-peer.ts';

export const bullmqDrain: Scenario = {
  name: 'bullmq-drain',
  usesStore: false,
  async run(ctx) {
    const n = sizesFor(ctx.quick).drain;
    const boundMs = ctx.quick ? 10_000 : 60_000;
    return withReceiver(async (receiver) => {
      const peer = await sharedChild(PEER);
      const target = {
        queue: `drain-${ctx.runIndex}`,
        url: receiver.url('bullmq-drain'),
        secret: generateSecret(),
        concurrency: ENGINE_CONCURRENCY,
      };
      try {
        const { enqueueMs } = await peer.call<{ enqueueMs: number }>('enqueue', { ...target, n }, 300_000);
        ctx.log(`bullmq-drain: enqueued ${n} jobs in ${enqueueMs} ms`);
        await receiver.reset(true);
        const cpu = startCpuMeter({
          peer: () => processCpuSeconds(peer.pid),
          redis: redisCpuSeconds,
          receiver: () => processCpuSeconds(receiver.child.pid),
        });
        await peer.call('work', target);
        const done = await waitUntil(async () => (await receiver.count()).count >= n, boundMs, 200);
        const c = await receiver.count();
        const cpuFigures = cpu.stop(c.count);
        if (!done) ctx.log(`bullmq-drain: ${c.count}/${n} delivered within the ${boundMs / 1000} s bound`);
        return {
          perSecond: ((c.count - 1) / (c.lastAt - c.firstAt)) * 1000,
          delivered: c.count,
          duplicates: c.duplicates,
          ...cpuFigures,
        };
      } finally {
        await peer.call('close');
      }
    });
  },
};

export const bullmqE2e: Scenario = {
  name: 'bullmq-e2e',
  usesStore: false,
  async run(ctx) {
    const n = sizesFor(ctx.quick).e2eMaxMessages;
    return withReceiver(async (receiver) => {
      const peer = await sharedChild(PEER);
      const producer = await sharedChild('producer.ts');
      const target = {
        queue: `e2e-${ctx.runIndex}`,
        url: receiver.url('bullmq-e2e'),
        secret: generateSecret(),
        concurrency: ENGINE_CONCURRENCY,
      };
      try {
        const { origin } = await peer.call<{ origin: string }>('serve', target);
        const base = { origin, token: 'unused', appId: 'peer', mode: 'max', concurrency: PRODUCER_CONCURRENCY };
        await producer.call('run', { ...base, count: 500, maxMs: 5000 }); // warm-up
        await waitUntil(async () => (await receiver.count()).count >= 500, 10_000);
        await receiver.reset(true);
        const cpu = startCpuMeter({
          peer: () => processCpuSeconds(peer.pid),
          redis: redisCpuSeconds,
          receiver: () => processCpuSeconds(receiver.child.pid),
          producer: () => processCpuSeconds(producer.pid),
        });
        const p = await producer.call<{
          accepted: number;
          sent: number;
          startedAt: number;
          perSecond: number;
          statuses: object;
        }>('run', {
          ...base,
          count: n,
          maxMs: sizesFor(ctx.quick).e2eSeconds * 1000,
        });
        if (p.accepted !== p.sent)
          ctx.log(`bullmq-e2e: ${p.sent - p.accepted} not accepted: ${JSON.stringify(p.statuses)}`);
        const done = await waitUntil(
          async () => (await receiver.count()).count >= p.accepted,
          ctx.quick ? 8000 : 30_000,
          100,
        );
        const c = await receiver.count();
        const cpuFigures = cpu.stop(p.accepted);
        if (!done) ctx.log(`bullmq-e2e: only ${c.count}/${p.accepted} delivered before the time bound`);
        return {
          acceptedPerSecond: p.perSecond,
          deliveredPerSecond: (c.count / (c.lastAt - p.startedAt)) * 1000,
          accepted: p.accepted,
          delivered: c.count,
          duplicates: c.duplicates,
          ...cpuFigures,
        };
      } finally {
        await peer.call('close');
      }
    });
  },
};
