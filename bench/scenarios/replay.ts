import { ADMIN_TOKEN, startServerChild, type ServerChild } from '../lib/environment.js';
import { pacedRun } from '../lib/paced.js';
import { createApp, createEndpoint, seedMessages, withStore } from '../lib/seed.js';
import { withReceiver, type Scenario } from '../lib/scenario.js';
import { sizesFor } from '../lib/sizes.js';

/**
 * Replays beside live traffic: 200 msg/s to one endpoint (app L), measured twice in one server
 * process — alone, then while a replay-missing task sends N messages (100,000) to an endpoint of
 * another app (R) with the default lane and rate cap. The N messages were accepted while R's
 * endpoint filtered them out; its filter is then widened, so all N are "missing". Compared: the
 * live endpoint's p99 during the replay ÷ alone (target ≤ 2×), and the replay's own rate.
 */
const RATE = 200;

async function api<T>(server: ServerChild, method: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const replay: Scenario = {
  name: 'replay',
  usesStore: true,
  async run(ctx) {
    const env = ctx.env!;
    const sizes = sizesFor(ctx.quick);
    return withReceiver(async (receiver) => {
      const config = env.config({ role: 'all' });
      const seeded = await withStore(config, async (store) => {
        const live = await createApp(store, 'live');
        await createEndpoint(store, live.id, receiver.url('live'));
        const replayed = await createApp(store, 'replayed');
        const now = Date.now();
        const ep = await createEndpoint(store, replayed.id, receiver.url('replay'), {
          filterTypes: ['nothing.yet'],
          now: now - 60_000,
        });
        await seedMessages(store, replayed.id, sizes.replay);
        await store.updateEndpoint(replayed.id, ep.id, { filterTypes: null }, Date.now());
        return { live: live.id, replayed: replayed.id, endpoint: ep.id, since: now - 30_000 };
      });
      const server = await startServerChild(config);
      try {
        const paced = () =>
          pacedRun({
            server,
            receiver,
            appId: seeded.live,
            rate: RATE,
            seconds: sizes.replaySeconds,
            perMessage: 1,
            groups: ['live'],
            log: ctx.log,
          });
        const alone = await paced();
        const task = await api<{ id: string }>(
          server,
          'POST',
          `/api/v1/app/${seeded.replayed}/endpoint/${seeded.endpoint}/replay-missing`,
          { since: new Date(seeded.since).toISOString() },
        );
        const started = performance.now();
        const during = await paced();
        const seconds = (performance.now() - started) / 1000;
        const progress = await api<{ status: string; data: { sent: number } }>(
          server,
          'GET',
          `/api/v1/background-task/${task.id}`,
        );
        if (progress.data.sent === 0) throw new Error('the replay sent nothing while live traffic was measured');
        const replayed = await receiver.child.call<number>('groupCount', { include: ['replay'] });
        if (progress.status === 'running') await api(server, 'POST', `/api/v1/background-task/${task.id}/cancel`);
        return {
          aloneP99: alone.p99,
          duringP99: during.p99,
          aloneP50: alone.p50,
          duringP50: during.p50,
          p99Ratio: during.p99 / alone.p99,
          replayQueuedPerSecond: progress.data.sent / seconds,
          replayDeliveredDuring: replayed,
        };
      } finally {
        await server.stop();
      }
    });
  },
};
