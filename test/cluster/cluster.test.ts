import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, pool, sleep, waitUntil } from '../support/api-client.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { CHILD_ADMIN_TOKEN, spawnServer, type ServerProcess } from '../support/server-process.js';
import { startRecorder, type WebhookRecorder } from '../support/webhook-recorder.js';

/**
 * The cluster acceptance test of issue 20: PostgreSQL alone, 2 API and 3 worker processes.
 * 5,000 messages over 50 endpoints (one limited to 20/s), posted through both APIs; one worker
 * is killed with SIGKILL mid-load. Then: nothing lost, duplicates bounded by the killed worker's
 * requests in flight, the limited endpoint never above 22/s over any 5 s window, a listen channel
 * made on API 1 relays a post made to API 2, retention ran once per period across all five
 * processes, and a spent per-app limit answers 429 from both APIs.
 */

const MESSAGES = 5000;
const ENDPOINTS = 50;
const LIMITED_MESSAGES = 200;
const RATE = 20;
const WINDOW_MS = 5000;
const WORKER_CONCURRENCY = 32;
const RETENTION_MS = 3000;
const PER_APP = 60;

const ENV = {
  HOOKRELAY_ALLOW_NETWORKS: '127.0.0.0/8',
  HOOKRELAY_REQUEST_TIMEOUT_MS: '1000',
  HOOKRELAY_LEASE_MS: '2000',
  HOOKRELAY_RETRY_SCHEDULE: '0,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5',
  HOOKRELAY_POLL_INTERVAL_MS: '100',
  HOOKRELAY_WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
  HOOKRELAY_RETENTION_INTERVAL_MS: String(RETENTION_MS),
  HOOKRELAY_API_RATE_LIMIT_PER_APP: String(PER_APP),
  HOOKRELAY_LOG_LEVEL: 'info',
};

/** Retention runs per period, from the "periodic job: run" lines of every process. */
function retentionRuns(processes: ServerProcess[]): Map<string, number> {
  const runs = new Map<string, number>();
  for (const p of processes) {
    for (const line of p.output().split('\n')) {
      if (!line.includes('"periodic job: run"') || !line.includes('"job":"retention"')) continue;
      const period = (JSON.parse(line) as { period: string }).period;
      runs.set(period, (runs.get(period) ?? 0) + 1);
    }
  }
  return runs;
}

describe('cluster: 2 API + 3 worker processes on one PostgreSQL database', () => {
  let skip = false;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  const processes: ServerProcess[] = [];
  const clients: ApiClient[] = [];
  const recorders: WebhookRecorder[] = [];

  before(async () => {
    skip = !(await postgresAvailable());
    if (skip && process.env.CI) throw new Error('PostgreSQL is unreachable at 127.0.0.1:5432; CI requires it');
    if (!skip) db = await createTestDatabase('cluster');
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.kill9()));
    for (const c of clients) await c.close();
    for (const r of recorders) await r.close();
    await db?.drop();
  });

  it('loses nothing through a worker kill, holds the rate limit, shares listen channels, runs retention once per period, limits from both APIs', async (t) => {
    if (skip) return t.skip('PostgreSQL unavailable (outside CI)');
    const env = { ...ENV, HOOKRELAY_DATABASE_URL: db!.url };
    // The first process migrates alone; the other four start together.
    processes.push(await spawnServer({ env: { ...env, HOOKRELAY_ROLE: 'api' } }));
    processes.push(
      ...(await Promise.all([
        spawnServer({ env: { ...env, HOOKRELAY_ROLE: 'api' } }),
        ...[0, 1, 2].map(() => spawnServer({ env: { ...env, HOOKRELAY_ROLE: 'worker' } })),
      ])),
    );
    const [api1, api2] = processes.slice(0, 2).map((p) => new ApiClient(p.url!, CHILD_ADMIN_TOKEN));
    clients.push(api1, api2);
    const workers = processes.slice(2);

    // Receivers hold each request a little, so the killed worker has requests in flight.
    const slow = () =>
      startRecorder(async (_q, res) => {
        await sleep(15);
        res.end('ok');
      });
    const limitedRx = await startRecorder((_q, res) => res.end('ok'), '127.0.0.1', true);
    const rx = await slow();
    recorders.push(limitedRx, rx);

    const apps: string[] = [];
    for (let i = 0; i < ENDPOINTS; i++) {
      const api = i % 2 ? api2 : api1;
      const app = await api.expect(201, 'POST', '/api/v1/app', { name: `Tenant ${i}`, uid: `tenant-${i}` });
      await api.expect(
        201,
        'POST',
        `/api/v1/app/${app.id}/endpoint`,
        i === 0 ? { url: limitedRx.url, rateLimit: RATE } : { url: `${rx.url}?ep=${i}` },
      );
      apps.push(app.id);
    }

    // Listen channel: made on API 1, streamed on API 1, posted to through API 2.
    const channel = await api1.expect(201, 'POST', '/api/v1/listen', { uid: 'cluster' });
    const ac = new AbortController();
    const stream = await fetch(`${processes[0].url}/in/${channel.id}?format=raw`, {
      headers: { accept: 'text/event-stream' },
      signal: ac.signal,
    });
    assert.equal(stream.status, 200);
    let streamed = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>)
        streamed += decoder.decode(chunk, { stream: true });
    })().catch(() => {});

    // The load: the limited endpoint's share first in the list, the rest round-robin over apps.
    const plan: string[] = [];
    for (let i = 0; i < LIMITED_MESSAGES; i++) plan.push(apps[0]);
    for (let i = 0; plan.length < MESSAGES; i++) plan.push(apps[1 + (i % (ENDPOINTS - 1))]);
    const accepted = new Set<string>();
    let refusedByLimit = 0;
    let killed: { at: number } | null = null;
    const loading = pool(plan, 24, async (appId, i) => {
      const api = i % 2 ? api2 : api1;
      for (let attempt = 0; attempt < 50; attempt++) {
        const r = await api.call('POST', `/api/v1/app/${appId}/msg`, {
          eventType: 'order.placed',
          payload: { i },
          eventId: `evt-${i}`,
        });
        if (r.status === 202 || r.status === 409) {
          // 409: an earlier attempt of this eventId was accepted; its ID is not in this answer.
          if (r.status === 202) accepted.add((r.body as { id: string }).id);
          return;
        }
        if (r.status === 429) refusedByLimit++;
        else throw new Error(`POST msg ${i}: ${r.status} ${r.error ?? JSON.stringify(r.body)}`);
        await sleep(100);
      }
      throw new Error(`message ${i} was refused 50 times`);
    });
    const killing = (async () => {
      await waitUntil(() => rx.total() >= 1500, 60_000, '1,500 deliveries before the kill');
      killed = { at: rx.total() };
      await workers[1].kill9();
    })();
    await Promise.all([loading, killing]);
    assert.equal(accepted.size, MESSAGES, 'every message accepted once (eventIds unique)');

    const posted = await api2.call('POST', `/in/${channel.id}`, { hello: 'from API 2' });
    assert.equal(posted.status, 200);
    await waitUntil(
      () => streamed.includes(Buffer.from(JSON.stringify({ hello: 'from API 2' })).toString('base64')),
      10_000,
      "the listen post on API 1's stream",
    );
    ac.abort();
    await reading;

    await waitUntil(() => limitedRx.distinct() + rx.distinct() >= MESSAGES, 90_000, `${MESSAGES} distinct deliveries`);
    await sleep(1500); // anything sent twice after a lease ran out would arrive now
    const delivered = new Set([...limitedRx.counts.keys(), ...rx.counts.keys()]);
    const lost = [...accepted].filter((id) => !delivered.has(id)).length;
    const duplicates = limitedRx.duplicates() + rx.duplicates();

    const at = limitedRx.requests.map((r) => r.at).sort((a, b) => a - b);
    let busiest = 0;
    for (const start of at) busiest = Math.max(busiest, at.filter((x) => x >= start && x < start + WINDOW_MS).length);

    // Retention: read the runs after the load, over whole periods seen by every process.
    await sleep(RETENTION_MS);
    const runs = retentionRuns(processes);
    const twice = [...runs].filter(([, n]) => n > 1);

    // A spent per-app limit: a burst of reads of one app through both APIs.
    const quota = await api1.expect(201, 'POST', '/api/v1/app', { name: 'Quota', uid: 'quota' });
    const burst = await Promise.all(
      Array.from({ length: 3 * PER_APP }, (_, i) =>
        (i % 2 ? api2 : api1).call('GET', `/api/v1/app/${quota.id}`).then((r) => ({ api: i % 2, r })),
      ),
    );
    const limitedBy = [0, 1].map((n) => burst.filter((b) => b.api === n && b.r.status === 429));
    const other = burst.filter((b) => b.r.status !== 200 && b.r.status !== 429);

    t.diagnostic(
      `accepted=${accepted.size} delivered=${delivered.size} lost=${lost} duplicates=${duplicates} (killed worker after ${killed!.at} deliveries; concurrency ${WORKER_CONCURRENCY}) load 429s=${refusedByLimit}`,
    );
    t.diagnostic(
      `limited endpoint: ${at.length} arrivals, busiest 5 s window ${busiest} (${(busiest / 5).toFixed(1)}/s)`,
    );
    t.diagnostic(`retention: ${runs.size} periods, runs per period ${[...runs.values()].join(',')}`);
    t.diagnostic(`per-app limit burst: 429 from API 1 ×${limitedBy[0].length}, from API 2 ×${limitedBy[1].length}`);

    assert.equal(lost, 0, `${lost} accepted messages never arrived`);
    assert.ok(
      duplicates <= WORKER_CONCURRENCY * 2,
      `${duplicates} duplicates: more than the killed worker could have had in flight`,
    );
    assert.ok(
      busiest <= (RATE * 1.1 * WINDOW_MS) / 1000,
      `${busiest} deliveries to the limited endpoint in one 5 s window`,
    );
    assert.ok(runs.size >= 3, `retention ran in only ${runs.size} periods`);
    assert.deepEqual(twice, [], 'no retention period ran twice');
    for (const n of [0, 1]) {
      assert.ok(limitedBy[n].length > 0, `API ${n + 1} never answered 429`);
      const body = limitedBy[n][0].r.body as { code: string; detail: string };
      assert.equal(body.code, 'rate_limited');
      assert.match(body.detail, /HOOKRELAY_API_RATE_LIMIT_PER_APP/);
    }
    assert.deepEqual(
      other.map((b) => b.r.status),
      [],
      'nothing but 200 and 429',
    );
    for (const p of [processes[0], processes[1], workers[0], workers[2]])
      assert.equal(p.child.exitCode, null, 'the others kept running');
  });
});
