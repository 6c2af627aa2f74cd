import type { RunEnv } from '../lib/environment.js';
import { startServerChild } from '../lib/environment.js';
import { pacedRun } from '../lib/paced.js';
import { createApp, createEndpoint, withStore } from '../lib/seed.js';
import { withReceiver, type Receiver, type Scenario, type ScenarioContext } from '../lib/scenario.js';

/**
 * (5) Isolation: one app, 10 endpoints, every message goes to all of them (100 msg/s = 1,000
 * deliveries/s). Run A: all healthy. Run B: the tenth never answers (it times out after
 * 5 s, then retries), so its rows pile up. The nine healthy endpoints' p99 in B vs in A.
 */
const ENDPOINTS = 10;
const RATE = 100;
const TIMEOUT_MS = 5000;
const HEALTHY = Array.from({ length: ENDPOINTS - 1 }, (_, i) => `h${i}`);

async function once(ctx: ScenarioContext, env: RunEnv, receiver: Receiver, hang: boolean) {
  const config = env.config({ role: 'all', requestTimeoutMs: TIMEOUT_MS });
  const appId = await withStore(config, async (store) => {
    const app = await createApp(store, hang ? 'hang' : 'healthy');
    for (let i = 0; i < ENDPOINTS - 1; i++) await createEndpoint(store, app.id, receiver.url(`h${i}`));
    await createEndpoint(store, app.id, receiver.url(hang ? 'hang' : `h${ENDPOINTS - 1}`));
    return app.id;
  });
  const server = await startServerChild(config);
  try {
    return await pacedRun({ server, receiver, appId, rate: RATE, seconds: ctx.quick ? 3 : 20, perMessage: hang ? ENDPOINTS - 1 : ENDPOINTS, groups: HEALTHY, log: ctx.log });
  } finally {
    await server.stop();
  }
}

export const isolation: Scenario = {
  name: 'isolation',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    return withReceiver(async (receiver) => {
      // Both halves share the run's fresh store: separate apps, so B's stuck rows never touch A.
      const healthy = await once(ctx, env, receiver, false);
      const hanging = await once(ctx, env, receiver, true);
      return { healthyP99: healthy.p99, hangingP99: hanging.p99, healthyP50: healthy.p50, hangingP50: hanging.p50, p99Ratio: hanging.p99 / healthy.p99 };
    });
  },
};
