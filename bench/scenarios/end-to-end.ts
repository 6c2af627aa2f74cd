import { processCpuSeconds, serverCpuParts, startCpuMeter } from '../lib/cpu-meter.js';
import { ADMIN_TOKEN, startServerChild } from '../lib/environment.js';
import { createApp, createEndpoint, withStore } from '../lib/seed.js';
import { sharedChild, withReceiver, type Scenario } from '../lib/scenario.js';
import { waitUntil } from '../lib/stats.js';
import { sizesFor } from '../lib/sizes.js';

/**
 * (3) End-to-end: producers POST to the API as fast as 64 keep-alive connections allow while
 * the workers deliver, in the same server process (role all). Accepted/s is the producers'
 * count of 202s over their sending time; delivered/s is receipts from the first send to the
 * last receipt (so a backlog left when producers stop is counted against us).
 */
export const PRODUCER_CONCURRENCY = 64;

export const endToEnd: Scenario = {
  name: 'e2e',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    const n = sizesFor(ctx.quick).e2eMaxMessages;
    return withReceiver(async (receiver) => {
      const config = env.config({ role: 'all' });
      const appId = await withStore(config, async (store) => {
        const app = await createApp(store);
        await createEndpoint(store, app.id, receiver.url('e2e'));
        return app.id;
      });
      const server = await startServerChild(config);
      const producer = await sharedChild('producer.ts');
      try {
        const base = { origin: server.url, token: ADMIN_TOKEN, appId, mode: 'max', concurrency: PRODUCER_CONCURRENCY };
        await producer.call('run', { ...base, count: 500, maxMs: 5000 }); // warm-up
        await waitUntil(async () => (await receiver.count()).count >= 500, 10_000);
        await receiver.reset(true);
        const cpu = startCpuMeter({
          ...serverCpuParts(server.pid, receiver.child.pid, ctx.store),
          producer: () => processCpuSeconds(producer.pid),
        });
        const p = await producer.call<{
          accepted: number;
          sent: number;
          startedAt: number;
          durationMs: number;
          perSecond: number;
          statuses: object;
        }>('run', {
          ...base,
          count: n,
          maxMs: sizesFor(ctx.quick).e2eSeconds * 1000,
        });
        if (p.accepted !== p.sent) ctx.log(`e2e: ${p.sent - p.accepted} not accepted: ${JSON.stringify(p.statuses)}`);
        const done = await waitUntil(
          async () => (await receiver.count()).count >= p.accepted,
          ctx.quick ? 8000 : 30_000,
          100,
        );
        const c = await receiver.count();
        const cpuFigures = cpu.stop(p.accepted);
        if (!done) ctx.log(`e2e: only ${c.count}/${p.accepted} delivered before the time bound`);
        return {
          acceptedPerSecond: p.perSecond,
          deliveredPerSecond: (c.count / (c.lastAt - p.startedAt)) * 1000,
          accepted: p.accepted,
          delivered: c.count,
          duplicates: c.duplicates,
          ...cpuFigures,
        };
      } finally {
        await server.stop();
      }
    });
  },
};
