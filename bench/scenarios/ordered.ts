import { startServerChild } from '../lib/environment.js';
import { createApp, createEndpoint, seedMessages, withStore } from '../lib/seed.js';
import { withReceiver, type Scenario } from '../lib/scenario.js';
import { waitUntil } from '../lib/stats.js';

/**
 * Ordered delivery's cost: the same drain twice in one run — N messages already accepted for one
 * fast endpoint, unordered; then N over 100 ordering keys for an ordered endpoint (each key's next
 * message goes only after the previous one succeeded). Deliveries per second between the first
 * and the last receipt of each; compared: ordered ÷ unordered (target ≥ 50 %).
 */
const KEYS = 100;

export const ordered: Scenario = {
  name: 'ordered',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    const n = ctx.quick ? 5_000 : 50_000;
    const boundMs = ctx.quick ? 20_000 : 120_000;
    return withReceiver(async (receiver) => {
      const config = env.config({ role: 'worker' });
      const drainOnce = async (isOrdered: boolean): Promise<number> => {
        await withStore(config, async (store) => {
          const app = await createApp(store, isOrdered ? 'ordered' : 'unordered');
          await createEndpoint(store, app.id, receiver.url(isOrdered ? 'ordered' : 'unordered'), {
            ordered: isOrdered,
          });
          const keyOf = isOrdered ? (i: number) => `key-${i % KEYS}` : undefined;
          return seedMessages(store, app.id, n, 5000, undefined, undefined, keyOf);
        });
        await receiver.reset(true);
        const server = await startServerChild(config);
        try {
          const done = await waitUntil(async () => (await receiver.count()).count >= n, boundMs, 200);
          const c = await receiver.count();
          if (!done) ctx.log(`ordered: ${c.count}/${n} delivered within ${boundMs / 1000} s; the rate is over those`);
          return ((c.count - 1) / (c.lastAt - c.firstAt)) * 1000;
        } finally {
          await server.stop();
        }
      };
      const unorderedPerSecond = await drainOnce(false);
      const orderedPerSecond = await drainOnce(true);
      return { unorderedPerSecond, orderedPerSecond, ratio: orderedPerSecond / unorderedPerSecond };
    });
  },
};
