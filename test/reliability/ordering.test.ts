import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { startRecorder } from '../support/webhook-recorder.js';
import { endpointStats, startCluster, storeAvailable, until, type StoreKind } from './replay-harness.js';

/**
 * Ordered delivery per key end to end: 10,000 messages over 100 keys with SOAK=1 (`npm run
 * test:acceptance`, which CI runs; 1,200 over 30 keys in `npm test`, to keep the suite short) to an ordered endpoint whose
 * receiver fails 10 % of requests (500) and leaves 1 % hanging (the 1 s request timeout ends
 * them); each key's producer sends its next message after the previous one's 202. Per key, the
 * first successful receipts arrive strictly in order, none missing. SQLite: one process;
 * PostgreSQL: an API process and 3 workers.
 */

const SOAK = process.env.SOAK === '1';
const KEYS = SOAK ? 100 : 30;
const PER_KEY = SOAK ? 100 : 40;
// Enough retries that no message runs out (0.11^9 per message) and a key is never blocked for good.
const ENV = { HOOKRELAY_RETRY_SCHEDULE: '0.05,0.05,0.05,0.1,0.1,0.1,0.2,0.2' };

for (const store of ['sqlite', 'postgres'] as StoreKind[]) {
  describe(`ordered delivery per key (${store})`, { timeout: 300_000 }, () => {
    it(`delivers ${KEYS * PER_KEY} messages over ${KEYS} keys in order per key, through failures and hangs`, async (t) => {
      if (!(await storeAvailable(store))) return t.skip('no PostgreSQL');
      const c = await startCluster(store, 3, ENV);
      // key → message indexes in the order their first 2xx went out.
      const firsts = new Map<string, number[]>();
      const succeeded = new Set<string>();
      let failed = 0;
      let hung = 0;
      const hanging = new Set<ServerResponse>();
      const r = await startRecorder((req, res, body) => {
        const roll = Math.random();
        if (roll < 0.01) {
          hung++;
          hanging.add(res);
          return;
        }
        if (roll < 0.11) {
          failed++;
          res.statusCode = 500;
          return res.end('flaky');
        }
        const id = String(req.headers['webhook-id']);
        if (!succeeded.has(id)) {
          succeeded.add(id);
          const { key, n } = JSON.parse(body.toString('utf8')) as { key: string; n: number };
          firsts.set(key, [...(firsts.get(key) ?? []), n]);
        }
        res.end('ok');
      });
      try {
        await c.client.expect(201, 'POST', '/api/v1/app', { name: 'Ordered', uid: 'ordered' });
        const ep = await c.client.expect(201, 'POST', '/api/v1/app/ordered/endpoint', { url: r.url, ordered: true });
        assert.equal(ep.ordered, true);
        const started = Date.now();
        await Promise.all(
          Array.from({ length: KEYS }, async (_, k) => {
            for (let n = 0; n < PER_KEY; n++)
              await c.client.expect(202, 'POST', '/api/v1/app/ordered/msg', {
                eventType: 'stock.changed',
                orderingKey: `sku-${k}`,
                payload: { key: `sku-${k}`, n },
              });
          }),
        );
        await until('every message to succeed once', () => succeeded.size >= KEYS * PER_KEY, 240_000);
        const seconds = (Date.now() - started) / 1000;
        // A worker records an outcome after its response arrived: the last ones may still be on their way to the store.
        let stats!: Awaited<ReturnType<typeof endpointStats>>;
        await until('every success to be recorded', async () => {
          stats = await endpointStats(c.client, 'ordered', ep.id);
          return stats.success + stats.fail >= KEYS * PER_KEY;
        });
        assert.deepEqual([stats.success, stats.fail], [KEYS * PER_KEY, 0]);
        const inOrder = Array.from({ length: PER_KEY }, (_, n) => n);
        for (let k = 0; k < KEYS; k++) assert.deepEqual(firsts.get(`sku-${k}`), inOrder, `key sku-${k} in order`);
        assert.ok(failed > 0 && hung > 0, 'the receiver did fail and hang');
        console.log(
          `# ordering[${store}]: messages=${KEYS * PER_KEY} keys=${KEYS} failed=${failed} hung=${hung} seconds=${seconds.toFixed(1)}`,
        );
      } finally {
        for (const res of hanging) res.destroy();
        await r.close();
        await c.close();
      }
    });
  });
}
