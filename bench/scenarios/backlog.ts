import { readRss, startServerChild } from '../lib/environment.js';
import { createApp, createEndpoint, seedMessages, withStore } from '../lib/seed.js';
import { withReceiver, type Scenario } from '../lib/scenario.js';
import { sleep } from '../lib/stats.js';
import { sizesFor } from '../lib/sizes.js';

/**
 * (7) Backlog: 1,000,000 deliveries pending (10,000 in quick mode) for one endpoint whose
 * receiver is down (connection refused). The server starts and keeps trying for a while
 * (failed attempts, retries a few seconds later: a compressed schedule), then the receiver
 * comes up on the same port and the backlog drains. The server's RSS is sampled from /proc
 * all along (peak = VmHWM); the drain rate is distinct webhook-ids received per second from
 * the moment the receiver is up to the last one, within a bound (180 s; quick 8 s). One run per
 * store in a full run (`maxRuns`): seeding a million rows takes minutes.
 */
const RETRY_SCHEDULE = [0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];

export const backlog: Scenario = {
  name: 'backlog',
  usesStore: true,
  maxRuns: 1,
  async run(ctx) {
    const env = ctx.env!;
    const n = sizesFor(ctx.quick).backlog;
    const downMs = ctx.quick ? 2000 : 10_000;
    const drainBoundMs = ctx.quick ? 8000 : 180_000;
    return withReceiver(
      async (receiver) => {
        const config = env.config({ role: 'worker', retrySchedule: RETRY_SCHEDULE });
        const url = receiver.url('backlog');
        await receiver.child.call('close');
        const seedMs = await withStore(config, async (store) => {
          const app = await createApp(store);
          await createEndpoint(store, app.id, url);
          return seedMessages(store, app.id, n, 10_000, (done) => ctx.log(`backlog: seeded ${done}/${n}`));
        });
        ctx.log(`backlog: seeded ${n} messages in ${seedMs} ms`);
        const server = await startServerChild(config);
        let maxDown = 0;
        let maxAll = 0;
        const sample = () => {
          const r = readRss(server.pid);
          if (r) maxAll = Math.max(maxAll, r.rss);
          return r?.rss ?? 0;
        };
        try {
          const downUntil = Date.now() + downMs;
          while (Date.now() < downUntil) {
            maxDown = Math.max(maxDown, sample());
            await sleep(100);
          }
          await receiver.child.call('listen', { port: receiver.port });
          await receiver.reset(true);
          const upAt = performance.timeOrigin + performance.now();
          const deadline = Date.now() + drainBoundMs;
          let c = await receiver.count();
          while ((c.unique ?? 0) < n && Date.now() < deadline) {
            sample();
            await sleep(200);
            c = await receiver.count();
          }
          if ((c.unique ?? 0) < n)
            ctx.log(
              `backlog: ${c.unique}/${n} delivered within the ${drainBoundMs / 1000} s bound; the rate is over those`,
            );
          const peak = readRss(server.pid)?.peak ?? NaN;
          return {
            peakRssMb: Math.max(peak, maxAll) / 2 ** 20,
            downRssMb: maxDown / 2 ** 20,
            drainPerSecond: ((c.unique ?? 0) / (c.lastAt - upAt)) * 1000,
            delivered: c.unique ?? 0,
            duplicates: c.duplicates,
          };
        } finally {
          await server.stop();
        }
      },
      { dedicated: true },
    );
  },
};
