import { request } from 'undici';
import { ADMIN_TOKEN, startServerChild } from '../lib/environment.js';
import { preciseNow } from '../lib/ipc.js';
import { createApp, createEndpoint, seedMessages, withStore } from '../lib/seed.js';
import type { Scenario } from '../lib/scenario.js';
import { sizesFor } from '../lib/sizes.js';

/**
 * (8) Pull: N messages in the log of a `kind: "poll"` endpoint; one consumer reads them all
 * through the polling API (limit 250 per page, following `iterator`), then through the SSE
 * stream. Events per second for each.
 */
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function pollAll(base: string, n: number, deadline: number): Promise<number> {
  let iterator: string | null = null;
  let got = 0;
  while (got < n && Date.now() < deadline) {
    const res = await request(`${base}?limit=250${iterator ? `&iterator=${encodeURIComponent(iterator)}` : ''}`, {
      headers: auth,
    });
    if (res.statusCode !== 200) throw new Error(`poll answered ${res.statusCode}: ${await res.body.text()}`);
    const page = (await res.body.json()) as { data: unknown[]; iterator: string; done: boolean };
    got += page.data.length;
    iterator = page.iterator;
    if (page.data.length === 0) break;
  }
  return got;
}

async function streamAll(base: string, n: number, deadline: number): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
  let got = 0;
  try {
    const res = await request(`${base}/stream`, {
      headers: { ...auth, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    if (res.statusCode !== 200) throw new Error(`stream answered ${res.statusCode}`);
    let buf = '';
    for await (const chunk of res.body) {
      buf += (chunk as Buffer).toString('utf8');
      let start = 0;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n', start)) {
        if (buf.startsWith('data: ', start)) got++;
        start = nl + 1;
      }
      buf = buf.slice(start);
      if (got >= n) break;
    }
    controller.abort();
  } catch (err) {
    if (got < n) throw err;
  } finally {
    clearTimeout(timer);
  }
  return got;
}

export const pull: Scenario = {
  name: 'pull',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    const n = sizesFor(ctx.quick).pull;
    const config = env.config({ role: 'api' });
    const { appId, sinkId } = await withStore(config, async (store) => {
      const app = await createApp(store);
      const sink = await createEndpoint(store, app.id, '', { kind: 'poll' });
      await seedMessages(store, app.id, n);
      return { appId: app.id, sinkId: sink.id };
    });
    const server = await startServerChild(config);
    try {
      const base = `${server.url}/api/v1/app/${appId}/poller/${sinkId}`;
      await pollAll(base, 250, Date.now() + 10_000); // warm-up
      let t = preciseNow();
      const polled = await pollAll(base, n, Date.now() + 120_000);
      const pollMs = preciseNow() - t;
      t = preciseNow();
      const streamed = await streamAll(base, n, Date.now() + 120_000);
      const streamMs = preciseNow() - t;
      if (polled < n || streamed < n) ctx.log(`pull: polled ${polled}, streamed ${streamed} of ${n}`);
      return { pollPerSecond: (polled / pollMs) * 1000, ssePerSecond: (streamed / streamMs) * 1000, polled, streamed };
    } finally {
      await server.stop();
    }
  },
};
