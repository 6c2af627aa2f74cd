import assert from 'node:assert/strict';
import { it } from 'node:test';
import Fastify from 'fastify';
import type { Store } from '../store/store.js';
import { registerOpsRoutes } from './ops-routes.js';

async function probe(ping: () => Promise<void>, closing: boolean) {
  const app = Fastify();
  registerOpsRoutes(app, { store: { ping } as unknown as Store, closing: () => closing });
  try {
    const [livez, readyz] = await Promise.all([app.inject({ url: '/livez' }), app.inject({ url: '/readyz' })]);
    return {
      livez: livez.statusCode,
      readyz: readyz.statusCode,
      body: readyz.json() as { status: string; code?: string },
    };
  } finally {
    await app.close();
  }
}

it('/readyz is 200 while the store answers, 503 when it fails or the process is closing; /livez stays 200', async () => {
  assert.deepEqual(await probe(async () => {}, false), { livez: 200, readyz: 200, body: { status: 'ok' } });
  const down = await probe(async () => {
    throw new Error('connection refused');
  }, false);
  assert.equal(down.readyz, 503);
  assert.equal(down.body.code, 'store_unavailable');
  assert.equal(down.livez, 200);
  const closing = await probe(async () => {}, true);
  assert.equal(closing.readyz, 503);
  assert.equal(closing.body.code, 'shutting_down');
});
