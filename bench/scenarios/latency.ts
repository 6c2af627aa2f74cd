import { startServerChild } from '../lib/environment.js';
import { pacedRun } from '../lib/paced.js';
import { createApp, createEndpoint, withStore } from '../lib/seed.js';
import { withReceiver, type Scenario } from '../lib/scenario.js';
import { sizesFor } from '../lib/sizes.js';

/**
 * (4) Latency: 200 messages/s, steady, through the API to one endpoint (60 s; 4 s in quick
 * mode). Ingest→receipt: from just before the producer's POST to the receiver's arrival time.
 */
export const RATE = 200;

export const latency: Scenario = {
  name: 'latency',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    return withReceiver(async (receiver) => {
      const config = env.config({ role: 'all' });
      const appId = await withStore(config, async (store) => {
        const app = await createApp(store);
        await createEndpoint(store, app.id, receiver.url('lat'));
        return app.id;
      });
      const server = await startServerChild(config);
      try {
        const r = await pacedRun({
          server,
          receiver,
          appId,
          rate: RATE,
          seconds: sizesFor(ctx.quick).latencySeconds,
          perMessage: 1,
          log: ctx.log,
        });
        return { p50: r.p50, p95: r.p95, p99: r.p99, max: r.max, received: r.received };
      } finally {
        await server.stop();
      }
    });
  },
};
