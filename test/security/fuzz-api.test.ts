import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { openSqliteStore, type StoreOpener } from '../api/api-harness.js';
import { openPostgresStore } from '../api/postgres-harness.js';
import { apiInstance, errorBodyProblem, SEC_ADMIN_TOKEN, type ApiInstance } from '../support/api-instance.js';
import { postgresAvailable } from '../support/postgres.js';
import { apiRoutes, fillPath, type ApiRoute } from '../support/openapi-routes.js';
import { caseArb, type Fixtures, type FuzzCase } from './fuzz-cases.js';

/**
 * Property-based fuzzing of every API route (read from the served OpenAPI document) through
 * `app.inject`: never a 5xx, never a hang, never a crash, and every error body schema-valid.
 * On both stores: at least 200 distinct generated cases per route on SQLite, 30 on PostgreSQL,
 * which is slower per request and is there for what only it refuses (NUL; SOAK=1: 2,000 each).
 */

const SOAK = process.env.SOAK === '1';
const STORES: Array<{ label: string; openStore: StoreOpener; minDistinct: number }> = [
  { label: 'SQLite', openStore: openSqliteStore, minDistinct: SOAK ? 2000 : 200 },
  { label: 'PostgreSQL', openStore: openPostgresStore, minDistinct: SOAK ? 2000 : 30 },
];
const CASE_TIMEOUT_MS = 10_000;

let api: ApiInstance;
let routes: ApiRoute[];
const fixtures: Fixtures = { real: {} };

async function ensureFixtures(): Promise<void> {
  const json = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const r = await api.call({ method, url, payload: payload as object | undefined });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null };
  };
  if ((await json('GET', '/api/v1/event-type/fuzz.event')).status === 404)
    await json('POST', '/api/v1/event-type', { name: 'fuzz.event', description: 'fuzz' });
  let app = await json('GET', '/api/v1/app/fuzz-app');
  if (app.status === 404) app = await json('POST', '/api/v1/app', { name: 'Fuzz', uid: 'fuzz-app' });
  let ep = await json('GET', '/api/v1/app/fuzz-app/endpoint/fuzz-ep');
  if (ep.status === 404)
    ep = await json('POST', '/api/v1/app/fuzz-app/endpoint', { url: 'https://receiver.example/hook', uid: 'fuzz-ep' });
  let sink = await json('GET', '/api/v1/app/fuzz-app/endpoint/fuzz-poll');
  if (sink.status === 404)
    sink = await json('POST', '/api/v1/app/fuzz-app/endpoint', { kind: 'poll', uid: 'fuzz-poll' });
  const msgs = await json('GET', '/api/v1/app/fuzz-app/msg?limit=1');
  let msgId = msgs.body?.data?.[0]?.id as string | undefined;
  if (!msgId)
    msgId = (
      await json('POST', '/api/v1/app/fuzz-app/msg', {
        eventType: 'fuzz.event',
        payload: { a: 1 },
        eventId: `fuzz-${Date.now()}`,
      })
    ).body?.id;
  const channel = await json('POST', '/api/v1/listen', { uid: 'fuzz-channel' });
  fixtures.real = {
    app_id: ['fuzz-app', app.body?.id].filter(Boolean),
    endpoint_id: ['fuzz-ep', ep.body?.id, sink.body?.id].filter(Boolean),
    sink_id: ['fuzz-poll', sink.body?.id].filter(Boolean),
    msg_id: [msgId].filter(Boolean) as string[],
    event_type_name: ['fuzz.event'],
    consumer_id: ['fuzz-consumer'],
    attempt_id: ['atmpt_2aaaaaaaaaaaaaaaaaaaaaaaaaa'],
    channel_id: [channel.body?.id].filter(Boolean),
  };
}

function inject(route: ApiRoute, c: FuzzCase) {
  const headers = { ...c.headers };
  if (headers.authorization === 'admin') headers.authorization = `Bearer ${SEC_ADMIN_TOKEN}`;
  if (c.body === null) delete headers['content-type'];
  const url = fillPath(route.path, c.path) + (c.query ? `?${c.query}` : '');
  const pending = api.app.inject({
    method: route.method,
    url,
    headers,
    ...(c.body === null ? {} : { payload: c.body }),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
  });
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}

function describeCase(route: ApiRoute, c: FuzzCase): string {
  const short = (s: string | null) =>
    s === null ? 'null' : s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s;
  return `${route.method} ${fillPath(route.path, c.path).slice(0, 300)}?${short(c.query)} headers=${short(JSON.stringify(c.headers))} body=${short(c.body)}`;
}

for (const { label, openStore, minDistinct: MIN_DISTINCT } of STORES) {
  const totals = { routes: 0, cases: 0, distinct: 0, fiveXx: 0, statuses: new Map<number, number>() };

  describe(`fuzz every API route (${label})`, { timeout: SOAK ? 3_600_000 : 240_000 }, () => {
    let skip = false;
    before(async () => {
      if (label === 'PostgreSQL' && !(await postgresAvailable())) {
        skip = true;
        return;
      }
      api = await apiInstance({}, undefined, openStore);
      routes = (await apiRoutes(api.app)).routes;
      await ensureFixtures();
    });
    after(async () => {
      if (skip) return;
      await api?.close();
      console.log(
        `# fuzz (${label}): routes=${totals.routes} cases=${totals.cases} distinct=${totals.distinct} 5xx=${totals.fiveXx} statuses=${JSON.stringify(Object.fromEntries([...totals.statuses].sort((a, b) => a[0] - b[0])))}`,
      );
    });

    test('the OpenAPI document lists the routes (the fuzzer cannot miss one silently)', (t) => {
      if (skip) return t.skip('no PostgreSQL');
      assert.ok(routes.length >= 40, `only ${routes.length} routes in openapi.json`);
      for (const p of [
        '/api/v1/app/{app_id}/msg',
        '/api/v1/app/{app_id}/endpoint/{endpoint_id}',
        '/api/v1/auth/app-portal-access/{app_id}',
      ]) {
        assert.ok(
          routes.some((r) => r.path === p),
          `${p} missing from the document`,
        );
      }
    });

    test('regressions the fuzzer found: deep nesting is a 400, an oversized body names the real limit', async (t) => {
      if (skip) return t.skip('no PostgreSQL');
      const deep = (d: number) => '{"a":'.repeat(d) + '1' + '}'.repeat(d);
      for (const [url, body] of [
        ['/api/v1/app/fuzz-app/msg', `{"eventType":"fuzz.event","payload":${deep(5000)}}`],
        [
          '/api/v1/app/fuzz-app/msg',
          `{"eventType":"fuzz.event","payload":{"x":${'['.repeat(150_000)}${']'.repeat(150_000)}}}`,
        ],
        ['/api/v1/event-type', `{"name":"deep.one","description":"d","schemas":${deep(5000)}}`],
      ]) {
        const res = await api.call({
          method: 'POST',
          url,
          payload: body,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(res.statusCode, 400, res.body.slice(0, 200));
        assert.equal(JSON.parse(res.body).code, 'invalid_json');
      }
      const fine = await api.call({
        method: 'POST',
        url: '/api/v1/app/fuzz-app/msg',
        payload: `{"eventType":"fuzz.event","payload":${deep(200)}}`,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(fine.statusCode, 202, 'a payload 200 levels deep is still accepted');
      const big = await api.call({
        method: 'POST',
        url: '/api/v1/app/fuzz-app/msg',
        payload: JSON.stringify({ eventType: 'fuzz.event', payload: 'x'.repeat(2 * 1024 * 1024) }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(big.statusCode, 413);
      assert.match(JSON.parse(big.body).detail, new RegExp(`${api.config.maxPayloadBytes} bytes`));
    });

    test('no route answers 5xx, hangs or returns a malformed error body', async (t) => {
      if (skip) return t.skip('no PostgreSQL');
      for (const route of routes) {
        await t.test(`${route.method} ${route.path}`, async () => {
          await ensureFixtures();
          const seen = new Set<string>();
          let cases = 0;
          for (let round = 0; seen.size < MIN_DISTINCT && round < 5; round++) {
            const result = await fc.check(
              fc.asyncProperty(caseArb(route, fixtures), async (c) => {
                const res = await inject(route, c);
                cases++;
                totals.statuses.set(res.statusCode, (totals.statuses.get(res.statusCode) ?? 0) + 1);
                seen.add(createHash('sha1').update(JSON.stringify(c)).digest('hex'));
                if (res.statusCode >= 500) {
                  totals.fiveXx++;
                  throw new Error(`${res.statusCode} ${res.body.slice(0, 300)}`);
                }
                if (res.statusCode >= 400) {
                  const problem = errorBodyProblem(res.statusCode, res.body);
                  if (problem) throw new Error(`${res.statusCode}: ${problem}`);
                }
                if (res.statusCode < 300 && route.method !== 'GET') await ensureFixtures();
              }),
              { numRuns: Math.ceil(MIN_DISTINCT * 1.1), endOnFailure: true },
            );
            if (result.failed) {
              const c = result.counterexample?.[0] as FuzzCase | undefined;
              assert.fail(
                `${(result.errorInstance as Error)?.message ?? 'failed'} — for ${c ? describeCase(route, c) : '?'} (seed ${result.seed})`,
              );
            }
          }
          totals.routes++;
          totals.cases += cases;
          totals.distinct += seen.size;
          assert.ok(seen.size >= MIN_DISTINCT, `only ${seen.size} distinct cases for ${route.method} ${route.path}`);
        });
      }
    });
  });
}
