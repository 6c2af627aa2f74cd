import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { ApiClient, waitUntil } from '../support/api-client.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { CHILD_ADMIN_TOKEN, spawnServer, type ServerProcess } from '../support/server-process.js';
import { startRecorder, type WebhookRecorder } from '../support/webhook-recorder.js';

/**
 * A `--role worker` process is scrapeable (issue 20): with HOOKRELAY_METRICS_PORT it serves
 * /metrics, /livez and /readyz, and its metrics count the deliveries it made, per endpoint under
 * the label cap, with the queue gauges and the claim histogram. The API process reports each
 * dependency at /api/v1/health.
 */

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await request(url);
  return { status: res.statusCode, text: await res.body.text() };
}

function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

describe('ops endpoints of separate api and worker processes (PostgreSQL)', async () => {
  const available = await postgresAvailable();
  if (!available && process.env.CI) throw new Error('PostgreSQL is required in CI (127.0.0.1:5432)');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: ServerProcess;
  let worker: ServerProcess;
  let ok: WebhookRecorder;
  let failing: WebhookRecorder;

  before(async () => {
    if (!available) return;
    db = await createTestDatabase('ops');
    const env = {
      HOOKRELAY_DATABASE_URL: db.url,
      HOOKRELAY_ALLOW_NETWORKS: '127.0.0.1/32',
      HOOKRELAY_RETRY_SCHEDULE: '0,0.1,0.1',
      HOOKRELAY_POLL_INTERVAL_MS: '100',
    };
    api = await spawnServer({ env: { ...env, HOOKRELAY_ROLE: 'api' } });
    worker = await spawnServer({
      env: { ...env, HOOKRELAY_ROLE: 'worker', HOOKRELAY_METRICS_PORT: '0', HOOKRELAY_METRICS_ENDPOINT_LABELS: '2' },
    });
    ok = await startRecorder();
    failing = await startRecorder((_q, res) => res.writeHead(500).end('no'));
  });
  after(async () => {
    await worker?.stop();
    await api?.stop();
    await ok?.close();
    await failing?.close();
    await db?.drop();
  });

  it(
    'the worker serves /metrics with its deliveries, per-endpoint labels under the cap, queue gauges and claim timings',
    { skip: !available && 'PostgreSQL not reachable', timeout: 60_000 },
    async () => {
      assert.equal(worker.url, null, 'a worker has no API port');
      assert.match(String(worker.opsUrl), /^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new ApiClient(api.url!, CHILD_ADMIN_TOKEN);
      const app = await client.expect(201, 'POST', '/api/v1/app', { name: 'ops' });
      const good = await client.expect(201, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: `${ok.url}/a` });
      const bad = await client.expect(201, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: `${failing.url}/b` });
      const third = await client.expect(201, 'POST', `/api/v1/app/${app.id}/endpoint`, { url: `${ok.url}/c` });
      for (let i = 0; i < 10; i++)
        await client.expect(202, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'ops.test', payload: { i } });
      // 10 messages × 2 successful endpoints, and the failing one tried 3 times each.
      await waitUntil(() => ok.total() >= 20 && failing.total() >= 30, 30_000, 'deliveries');

      let text = '';
      await waitUntil(
        async () => {
          text = (await get(`${worker.opsUrl}/metrics`)).text;
          return (
            sample(text, 'hookrelay_deliveries_total', '{outcome="exhausted"}') === 10 &&
            sample(text, 'hookrelay_queue_depth') === 0
          );
        },
        10_000,
        'the worker to count the exhausted deliveries and their outcomes to commit',
      );
      assert.equal(sample(text, 'hookrelay_deliveries_total', '{outcome="success"}'), 20);
      assert.equal(sample(text, 'hookrelay_deliveries_total', '{outcome="retry"}'), 20);
      // Cap 2: whichever two endpoints were sent to first are labelled; the third is "_other".
      const labelled = [good.id, bad.id, third.id].filter((id) => text.includes(`endpoint_id="${id}"`));
      assert.equal(labelled.length, 2, 'two endpoints have labels of their own');
      const perEndpoint = text.split('\n').filter((l) => l.startsWith('hookrelay_endpoint_attempts_total{'));
      const total = perEndpoint.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      assert.equal(total, 50, 'every attempt is counted once, labelled or _other');
      assert.ok(perEndpoint.some((l) => l.includes('endpoint_id="_other"')));
      assert.ok(sample(text, 'hookrelay_claim_duration_seconds_count') > 0, 'claims are timed');
      assert.equal(sample(text, 'hookrelay_queue_oldest_due_age_seconds'), 0);
      assert.equal(sample(text, 'hookrelay_leases_expired'), 0);

      assert.deepEqual(await get(`${worker.opsUrl}/livez`), { status: 200, text: '{"status":"ok"}' });
      assert.deepEqual(await get(`${worker.opsUrl}/readyz`), { status: 200, text: '{"status":"ok"}' });
    },
  );

  it(
    'the API reports each dependency at /api/v1/health and serves /livez and /readyz on its own port',
    { skip: !available && 'PostgreSQL not reachable' },
    async () => {
      const health = await get(`${api.url}/api/v1/health`);
      assert.equal(health.status, 200);
      const body = JSON.parse(health.text);
      assert.equal(body.database.status, 'ok');
      assert.equal(body.database.information, 'postgres');
      assert.equal(body.queue.status, 'ok');
      assert.match(body.queue.information, /^\d+ deliveries queued; the oldest due one waits \d+ s; 0 expired leases$/);
      assert.equal((await get(`${api.url}/livez`)).status, 200);
      assert.equal((await get(`${api.url}/readyz`)).status, 200);
      assert.match((await get(`${api.url}/metrics`)).text, /^hookrelay_queue_depth /m);
    },
  );
});
