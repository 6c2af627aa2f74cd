import { after, before, describe, it, test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { Svix } from 'svix';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { call, pollAll, pollSetup, send, startPullApi, type PullApi } from './pull-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = (page: { data: Array<{ id: string }> }) => page.data.map((m) => m.id);

/** The same cases on both stores; `databaseUrl` null = SQLite. */
function pollerSuite(
  name: string,
  database: () => Promise<{ url: string | null; drop: () => Promise<void> } | null>,
): void {
  describe(`poller routes (${name})`, async () => {
    let api: PullApi;
    const db = await database();
    before(async () => {
      if (db) api = await startPullApi({ databaseUrl: db.url ?? undefined });
    });
    after(async () => {
      if (db) {
        await api.close();
        await db.drop();
      }
    });
    const test = (title: string, fn: () => Promise<void>) => it(title, { skip: !db && 'no PostgreSQL' }, fn);

    test('long-poll returns soon after a message is accepted', async () => {
      const { appId, sinkId } = await pollSetup(api);
      const started = Date.now();
      const poll = call(api, 'GET', `/api/v1/app/${appId}/poller/${sinkId}?wait=10`, undefined, 200);
      await sleep(300);
      const [sent] = await send(api, appId, 1);
      const page = (await poll).body;
      const elapsed = Date.now() - started;
      assert.deepEqual(ids(page), [sent]);
      assert.ok(elapsed >= 250, `the poll waited (${elapsed} ms)`);
      assert.ok(elapsed < 3000, `and returned soon after the message, not at wait=10 s (${elapsed} ms)`);
    });

    test('long-poll with nothing to read ends empty when `wait` runs out', async () => {
      const { appId, sinkId } = await pollSetup(api);
      const started = Date.now();
      const page = (await call(api, 'GET', `/api/v1/app/${appId}/poller/${sinkId}?wait=1`, undefined, 200)).body;
      const elapsed = Date.now() - started;
      assert.deepEqual(page.data, []);
      assert.equal(page.done, true);
      assert.ok(elapsed >= 900 && elapsed < 5000, `waited about 1 s (${elapsed} ms)`);
    });

    test('a page that ends exactly at the end of the log says done: true', async () => {
      const { appId, sinkId } = await pollSetup(api);
      const sent = await send(api, appId, 3);
      const page = (await call(api, 'GET', `/api/v1/app/${appId}/poller/${sinkId}?limit=3`, undefined, 200)).body;
      assert.deepEqual(ids(page), sent);
      assert.equal(page.done, true);
    });

    test("pages in seq order with the same IDs as /msg, starting at the endpoint's creation", async () => {
      const app = (await call(api, 'POST', '/api/v1/app', { name: 'before' }, 201)).body;
      await send(api, app.id, 3); // before the poll endpoint exists: not part of its log
      await sleep(5);
      const ep = (await call(api, 'POST', `/api/v1/app/${app.id}/endpoint`, { kind: 'poll', uid: 'my-sink' }, 201))
        .body;
      const sent = await send(api, app.id, 12);
      const all = await pollAll(api, `/api/v1/app/${app.id}/poller/my-sink`, 5); // by uid
      assert.deepEqual(all.ids, sent);
      const first = (await call(api, 'GET', `/api/v1/app/${app.id}/poller/${ep.id}?limit=2`, undefined, 200)).body;
      assert.deepEqual(ids(first), sent.slice(0, 2));
      assert.equal(first.done, false);
      assert.deepEqual(first.data[0].payload, { i: 0 });
      assert.equal(first.data[0].eventType, 'user.registered');
    });

    test("event_type, channel and the endpoint's own filter narrow the log", async () => {
      const { appId, sinkId } = await pollSetup(api, { filterTypes: ['a.one', 'a.two'] });
      const one = await send(api, appId, 2, 'a.one', { channels: ['red'] });
      const two = await send(api, appId, 2, 'a.two', { channels: ['blue'] });
      await send(api, appId, 2, 'a.three'); // filtered out by the endpoint
      const path = `/api/v1/app/${appId}/poller/${sinkId}`;
      assert.deepEqual((await pollAll(api, path, 50)).ids, [...one, ...two]);
      assert.deepEqual(ids((await call(api, 'GET', `${path}?event_type=a.two`)).body), two);
      assert.deepEqual(ids((await call(api, 'GET', `${path}?channel=red`)).body), one);
      assert.deepEqual(
        ids((await call(api, 'GET', `${path}?event_type=a.three`)).body),
        [],
        'outside the endpoint filter',
      );
    });

    test('errors: bad iterator 400, bad limit 422, push endpoint or unknown sink 404, no token 401, other app 403', async () => {
      const { appId, sinkId } = await pollSetup(api);
      const path = `/api/v1/app/${appId}/poller/${sinkId}`;
      const bad = await call(api, 'GET', `${path}?iterator=not-ours`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 'invalid_iterator');
      const bad2 = await call(api, 'GET', `${path}?iterator=${Buffer.from('{"s":-1}').toString('base64url')}`);
      assert.equal(bad2.body.code, 'invalid_iterator');
      assert.equal((await call(api, 'GET', `${path}?limit=251`)).status, 422);
      assert.equal((await call(api, 'GET', `${path}?wait=31`)).status, 422);
      const push = (await call(api, 'POST', `/api/v1/app/${appId}/endpoint`, { url: 'http://127.0.0.1:9/hook' }, 201))
        .body;
      assert.equal((await call(api, 'GET', `/api/v1/app/${appId}/poller/${push.id}`)).status, 404);
      assert.equal((await call(api, 'GET', `/api/v1/app/${appId}/poller/ep_nope`)).body.code, 'not_found');
      assert.equal((await fetch(api.url + path)).status, 401);
      const other = (await call(api, 'POST', '/api/v1/app', { name: 'other' }, 201)).body;
      const portal = (await call(api, 'POST', `/api/v1/auth/app-portal-access/${other.id}`, {}, 200)).body;
      assert.equal((await call({ url: api.url, token: portal.token }, 'GET', path)).status, 403);
      const own = (await call(api, 'POST', `/api/v1/auth/app-portal-access/${appId}`, {}, 200)).body;
      assert.equal(
        (await call({ url: api.url, token: own.token }, 'GET', path)).status,
        200,
        'an app token reads its own app',
      );
    });

    test('consumers: ack-by-next-poll, explicit commit, independent positions', async () => {
      const { appId, sinkId } = await pollSetup(api);
      const sent = await send(api, appId, 12);
      const c = (name: string, q = '') => `/api/v1/app/${appId}/poller/${sinkId}/consumer/${name}${q}`;

      const p1 = (await call(api, 'GET', c('alpha', '?limit=5'), undefined, 200)).body;
      assert.deepEqual(ids(p1), sent.slice(0, 5));
      const again = (await call(api, 'GET', c('alpha', '?limit=5'), undefined, 200)).body;
      assert.deepEqual(ids(again), sent.slice(0, 5), 'nothing is committed until the next poll passes the iterator');

      const p2 = (await call(api, 'GET', c('alpha', `?limit=5&iterator=${p1.iterator}`), undefined, 200)).body;
      assert.deepEqual(ids(p2), sent.slice(5, 10));
      const resumed = (await call(api, 'GET', c('alpha', '?limit=5'), undefined, 200)).body;
      assert.deepEqual(ids(resumed), sent.slice(5, 10), 'the first page was committed by the second poll');

      assert.deepEqual(
        ids((await call(api, 'GET', c('beta', '?limit=3'), undefined, 200)).body),
        sent.slice(0, 3),
        'another consumer starts on its own',
      );

      assert.equal((await call(api, 'POST', c('alpha', '/commit'), { iterator: p2.iterator })).status, 204);
      const p3 = (await call(api, 'GET', c('alpha'), undefined, 200)).body;
      assert.deepEqual(ids(p3), sent.slice(10));
      assert.equal(p3.done, true);
      assert.equal((await call(api, 'POST', c('alpha', '/commit'), { iterator: '???' })).body.code, 'invalid_iterator');
    });

    test('consumer seek moves the position to a time; consumer long-poll', async () => {
      const { appId, sinkId } = await pollSetup(api);
      const early = await send(api, appId, 4);
      await sleep(30);
      const mark = new Date().toISOString();
      await sleep(30);
      const late = await send(api, appId, 3);
      const c = (q = '') => `/api/v1/app/${appId}/poller/${sinkId}/consumer/gamma${q}`;
      const seek = (await call(api, 'POST', c('/seek'), { after: mark }, 200)).body;
      assert.equal(typeof seek.iterator, 'string');
      assert.deepEqual(ids((await call(api, 'GET', c(), undefined, 200)).body), late, 'continues after the seek time');
      assert.deepEqual(
        ids((await call(api, 'GET', `/api/v1/app/${appId}/poller/${sinkId}?iterator=${seek.iterator}`)).body),
        late,
      );
      const rewind = (await call(api, 'POST', c('/seek'), { after: new Date(0).toISOString() }, 200)).body;
      assert.deepEqual(ids((await call(api, 'GET', c(`?iterator=${rewind.iterator}`), undefined, 200)).body), [
        ...early,
        ...late,
      ]);

      const tail = (await call(api, 'GET', c(), undefined, 200)).body;
      const started = Date.now();
      const waiting = call(api, 'GET', c(`?wait=10&iterator=${tail.iterator}`), undefined, 200);
      await sleep(200);
      const next = await send(api, appId, 1);
      assert.deepEqual(ids((await waiting).body), next);
      assert.ok(Date.now() - started < 3000);
    });

    test("the svix SDK's MessagePoller reads the same shapes", async () => {
      const { appId, sinkId } = await pollSetup(api);
      const sent = await send(api, appId, 3, 'user.registered', { channels: ['c1'], eventId: undefined });
      const svix = new Svix(api.token, { serverUrl: api.url });
      const page = await svix.message.poller.poll(appId, sinkId, { limit: 2 });
      assert.deepEqual(
        page.data.map((m) => m.id),
        sent.slice(0, 2),
      );
      assert.ok(page.data[0].timestamp instanceof Date && !Number.isNaN(page.data[0].timestamp.getTime()));
      assert.deepEqual(page.data[0].channels, ['c1']);
      const rest = await svix.message.poller.poll(appId, sinkId, { iterator: page.iterator });
      assert.deepEqual(
        rest.data.map((m) => m.id),
        sent.slice(2),
      );
      assert.equal(rest.done, true);
      const consumed = await svix.message.poller.consumerPoll(appId, sinkId, 'sdk', { limit: 10 });
      assert.deepEqual(
        consumed.data.map((m) => m.id),
        sent,
      );
      const seek = await svix.message.poller.consumerSeek(appId, sinkId, 'sdk', {
        after: new Date(Date.now() + 60_000),
      });
      assert.equal(typeof seek.iterator, 'string');
      assert.deepEqual((await svix.message.poller.consumerPoll(appId, sinkId, 'sdk')).data, []);
    });
  });
}

pollerSuite('SQLite', async () => ({ url: null, drop: async () => {} }));
pollerSuite('PostgreSQL', async () => ((await postgresAvailable()) ? createTestDatabase('hr_poller') : null));

nodeTest('the stream ends cleanly when the API closes, and close does not hang', async () => {
  const other = await startPullApi();
  try {
    const { appId, sinkId } = await pollSetup(other);
    const res = await fetch(`${other.url}/api/v1/app/${appId}/poller/${sinkId}/stream`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    assert.equal(res.status, 200);
    const longPoll = call(other, 'GET', `/api/v1/app/${appId}/poller/${sinkId}?wait=30`);
    await sleep(200);
    const started = Date.now();
    await other.stop();
    assert.ok(Date.now() - started < 5000, 'close did not wait for the stream or the long-poll');
    const body = await res.text(); // resolves only when the server ended the response
    assert.ok(body.startsWith('retry: 1000'));
    assert.equal((await longPoll).status, 200, 'the waiting long-poll was answered (empty) on close');
  } finally {
    await other.close();
  }
});
