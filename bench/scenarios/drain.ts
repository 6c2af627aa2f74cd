import { serverCpuParts, startCpuMeter } from '../lib/cpu-meter.js';
import { startServerChild } from '../lib/environment.js';
import { createApp, createEndpoint, seedMessages, withStore } from '../lib/seed.js';
import { withReceiver, type Scenario } from '../lib/scenario.js';
import { waitUntil } from '../lib/stats.js';
import { sizesFor } from '../lib/sizes.js';

/**
 * (2) Drain: N messages already accepted (written through the store's outbox transaction in
 * big batches), one fast endpoint; then the workers start. Deliveries per second between the
 * first and the last receipt, so process start-up is not counted. Bounded in time (60 s;
 * quick 10 s): a slower drain is measured over what it delivered by then.
 */
export const drain: Scenario = {
  name: 'drain',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    const n = sizesFor(ctx.quick).drain;
    const boundMs = ctx.quick ? 10_000 : 60_000;
    return withReceiver(async (receiver) => {
      const config = env.config({ role: 'worker' });
      const seedMs = await withStore(config, async (store) => {
        const app = await createApp(store);
        await createEndpoint(store, app.id, receiver.url('drain'));
        return seedMessages(store, app.id, n);
      });
      ctx.log(`drain: seeded ${n} messages in ${seedMs} ms`);
      await receiver.reset(true);
      const server = await startServerChild(config);
      try {
        const cpu = startCpuMeter(serverCpuParts(server.pid, receiver.child.pid, ctx.store));
        const before = (await receiver.count()).count;
        const done = await waitUntil(async () => (await receiver.count()).count >= n, boundMs, 200);
        const c = await receiver.count();
        const cpuFigures = cpu.stop(c.count - before);
        if (!done)
          ctx.log(`drain: ${c.count}/${n} delivered within the ${boundMs / 1000} s bound; the rate is over those`);
        return {
          perSecond: ((c.count - 1) / (c.lastAt - c.firstAt)) * 1000,
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
