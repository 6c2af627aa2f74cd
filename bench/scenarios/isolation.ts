import { startServerChild } from '../lib/environment.js';
import { pacedRun } from '../lib/paced.js';
import { createApp, createEndpoint, withStore } from '../lib/seed.js';
import { withReceiver, type Scenario } from '../lib/scenario.js';
import { sizesFor } from '../lib/sizes.js';

/**
 * (5) Isolation: 10 endpoints per app, every message goes to all of them (100 msg/s = 1,000
 * deliveries/s). Phase A: app A, all ten healthy. Phase B: app B, whose tenth endpoint never
 * answers (it times out after 5 s, then retries), so its rows pile up while B's nine healthy
 * endpoints are served. Both phases in one server process. Compared: the nine healthy
 * endpoints' p99 in B ÷ in A.
 */
const ENDPOINTS = 10;
const RATE = 100;
const TIMEOUT_MS = 5000;
const HEALTHY = Array.from({ length: ENDPOINTS - 1 }, (_, i) => `h${i}`);

export const isolation: Scenario = {
  name: 'isolation',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    const seconds = sizesFor(ctx.quick).isolationSecondsEach;
    return withReceiver(async (receiver) => {
      const config = env.config({ role: 'all', requestTimeoutMs: TIMEOUT_MS });
      const [healthyApp, hangApp] = await withStore(config, async (store) => {
        const ids: string[] = [];
        for (const hang of [false, true]) {
          const app = await createApp(store, hang ? 'hang' : 'healthy');
          for (let i = 0; i < ENDPOINTS - 1; i++) await createEndpoint(store, app.id, receiver.url(`h${i}`));
          await createEndpoint(store, app.id, receiver.url(hang ? 'hang' : `h${ENDPOINTS - 1}`));
          ids.push(app.id);
        }
        return ids;
      });
      const server = await startServerChild(config);
      try {
        const healthy = await pacedRun({
          server,
          receiver,
          appId: healthyApp,
          rate: RATE,
          seconds,
          perMessage: ENDPOINTS,
          groups: HEALTHY,
          log: ctx.log,
        });
        const hanging = await pacedRun({
          server,
          receiver,
          appId: hangApp,
          rate: RATE,
          seconds,
          perMessage: ENDPOINTS - 1,
          groups: HEALTHY,
          log: ctx.log,
        });
        return {
          healthyP99: healthy.p99,
          hangingP99: hanging.p99,
          healthyP50: healthy.p50,
          hangingP50: hanging.p50,
          p99Ratio: hanging.p99 / healthy.p99,
        };
      } finally {
        await receiver.child.call('dropHanging');
        await server.stop();
      }
    });
  },
};
