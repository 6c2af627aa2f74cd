import { request } from 'undici';
import { ADMIN_TOKEN, startServerChild } from '../lib/environment.js';
import { preciseNow } from '../lib/ipc.js';
import { benchPayloadObject } from '../lib/payload.js';
import { createApp, createEndpoint, withStore } from '../lib/seed.js';
import { withReceiver, type Scenario } from '../lib/scenario.js';
import { waitUntil } from '../lib/stats.js';

/**
 * (6) Fan-out: one message to an app with 1,000 endpoints (distinct URLs on one receiver):
 * time from the POST to the 1,000th receipt. One warm-up message first (connections).
 */
export const FAN_OUT_ENDPOINTS = 1000;

async function post(url: string, appId: string): Promise<number> {
  const sentAt = preciseNow();
  const res = await request(`${url}/api/v1/app/${appId}/msg`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ eventType: 'invoice.paid', payload: benchPayloadObject(sentAt) }),
  });
  await res.body.text();
  if (res.statusCode !== 202) throw new Error(`fan-out POST answered ${res.statusCode}`);
  return sentAt;
}

export const fanOut: Scenario = {
  name: 'fanout',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    return withReceiver(async (receiver) => {
      const config = env.config({ role: 'all' });
      const appId = await withStore(config, async (store) => {
        const app = await createApp(store);
        for (let i = 0; i < FAN_OUT_ENDPOINTS; i++) await createEndpoint(store, app.id, receiver.url('fan', `e${i}`));
        return app.id;
      });
      const server = await startServerChild(config);
      try {
        await post(server.url!, appId);
        await waitUntil(async () => (await receiver.count()).count >= FAN_OUT_ENDPOINTS, 30_000, 20);
        await receiver.reset(true);
        const sentAt = await post(server.url!, appId);
        const done = await waitUntil(async () => (await receiver.count()).count >= FAN_OUT_ENDPOINTS, 30_000, 5);
        const c = await receiver.count();
        if (!done) ctx.log(`fanout: only ${c.count}/${FAN_OUT_ENDPOINTS} received within 30 s`);
        return {
          allReceivedMs: done ? c.lastAt - sentAt : NaN,
          firstReceivedMs: c.firstAt - sentAt,
          received: c.count,
        };
      } finally {
        await server.stop();
      }
    });
  },
};
