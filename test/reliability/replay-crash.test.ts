import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  endpointStats,
  sendMessages,
  startCluster,
  storeAvailable,
  switchableReceiver,
  taskEnded,
  until,
  type StoreKind,
} from './replay-harness.js';

/**
 * kill -9 of the processes running a replay-missing task (20,000 messages with SOAK=1,
 * `npm run test:acceptance`, which CI runs; 4,000 in `npm test`, to keep the suite short), mid-task: after the
 * restart the task resumes at its cursor and finishes, and every message arrives — a duplicate
 * only for a delivery that was leased (in flight) at the kill, so at most the store's per-endpoint
 * lease cap (8 × HOOKRELAY_ENDPOINT_CONCURRENCY, 32 by default). Duplicates are counted and reported.
 */

const MESSAGES = process.env.SOAK === '1' ? 20_000 : 4_000;
const LEASED_AT_MOST = 8 * 32;

for (const store of ['sqlite', 'postgres'] as StoreKind[]) {
  describe(`a replay task survives kill -9 (${store})`, { timeout: 300_000 }, () => {
    it(`resumes a ${MESSAGES}-message replay-missing after its processes were killed, and sends each message`, async (t) => {
      if (!(await storeAvailable(store))) return t.skip('no PostgreSQL');
      // 500/s: the task runs for seconds, so the kill (of every worker at once) lands mid-task.
      const c = await startCluster(store, 2, { HOOKRELAY_REPLAY_RATE: '500' });
      const r = await switchableReceiver();
      try {
        await c.client.expect(201, 'POST', '/api/v1/app', { name: 'Big', uid: 'big' });
        await c.client.expect(201, 'POST', '/api/v1/event-type', { name: 'nothing.yet', description: 'x' });
        await c.client.expect(201, 'POST', '/api/v1/app/big/endpoint', {
          url: r.url,
          uid: 'ep',
          filterTypes: ['nothing.yet'],
        });
        const since = new Date(Date.now() - 1000).toISOString();
        const ids = await sendMessages(c.client, 'big', MESSAGES, () => ({ eventType: 'user.created' }));
        await c.client.expect(200, 'PATCH', '/api/v1/app/big/endpoint/ep', { filterTypes: null });
        const started = await c.client.expect(202, 'POST', '/api/v1/app/big/endpoint/ep/replay-missing', { since });

        await until('a quarter of the replay to arrive', () => r.accepted.size >= MESSAGES / 4, 120_000);
        // Read just before every worker is killed at once: running then means the kill came mid-task.
        const atKill = await c.client.expect(200, 'GET', `/api/v1/background-task/${started.id}`);
        await Promise.all(c.workers.map((_, i) => c.replaceWorker(i)));
        assert.equal(atKill.status, 'running', 'the kill came mid-task');
        assert.ok(atKill.data.sent < MESSAGES, `the kill came mid-task (${atKill.data.sent} sent)`);

        const task = await taskEnded(c.client, started.id, 180_000);
        assert.deepEqual([task.status, task.data], ['finished', { matched: MESSAGES, sent: MESSAGES, skipped: 0 }]);
        await until('every message to arrive', () => r.accepted.size >= MESSAGES, 180_000);
        await until('the endpoint to be idle', async () => {
          const s = await endpointStats(c.client, 'big', 'ep');
          return s.pending + s.sending === 0;
        });
        assert.deepEqual([...r.accepted.keys()].sort(), [...ids].sort(), 'every message, nothing else');
        const duplicates = [...r.accepted.values()].reduce((a, n) => a + n - 1, 0);
        console.log(
          `# replay-crash[${store}]: messages=${MESSAGES} sentAtKill=${atKill.data.sent} duplicates=${duplicates}`,
        );
        assert.ok(duplicates <= LEASED_AT_MOST, `${duplicates} duplicates: more than could have been in flight`);
      } finally {
        await r.recorder.close();
        await c.close();
      }
    });
  });
}
