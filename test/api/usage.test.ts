import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

/** Usage events in (CloudEvents, single and batch), meters and their queries through the API; bad input 4xx. */
describe('usage events and meters', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.close();
  });

  const now = Date.now();
  const event = (id: string, over: object = {}) => ({
    specversion: '1.0',
    id,
    source: 'billing-test',
    type: 'api.call',
    subject: 'acme',
    time: new Date(now - 60_000).toISOString(),
    data: { ms: 10, route: '/a' },
    ...over,
  });
  const send = (payload: unknown, contentType = 'application/cloudevents-batch+json') =>
    h.call({
      method: 'POST',
      url: '/api/v1/usage/events',
      headers: { 'content-type': contentType },
      payload: JSON.stringify(payload),
    });

  it('requests at once are written together, and an event two of them carry counts once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, r) =>
        send(Array.from({ length: 50 }, (_, i) => event(`gc-${r * 25 + i}`, { type: 'gc.call' }))),
      ),
    );
    const bodies = answers.map((a) => a.json());
    const accepted = bodies.reduce((n, b) => n + b.accepted, 0);
    assert.equal(accepted, 7 * 25 + 50, 'each of the 225 distinct IDs once, across the eight requests');
    assert.equal(
      bodies.reduce((n, b) => n + b.duplicates, 0),
      8 * 50 - accepted,
    );
  });

  it('takes a batch and a single event; a retried batch counts nothing twice; bad events are refused one by one', async () => {
    const first = await send([event('a1'), event('a2'), event('a3', { data: { ms: 5, route: '/b' } })]);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), { accepted: 3, duplicates: 0, rejected: [] });
    const single = await send(event('a4'), 'application/cloudevents+json');
    assert.deepEqual(single.json(), { accepted: 1, duplicates: 0, rejected: [] });

    const retried = await send([
      event('a1'),
      event('a5'),
      event('old', { time: new Date(now - 40 * 86_400_000).toISOString() }),
      event('future', { time: new Date(now + 3_600_000).toISOString() }),
      { id: 'no-subject', source: 's', type: 't' },
      event('a5'),
    ]);
    const body = retried.json();
    assert.deepEqual([body.accepted, body.duplicates], [1, 2], 'a5 once; a1 and the second a5 are duplicates');
    assert.deepEqual(
      body.rejected.map((r: { index: number; id: string | null }) => [r.index, r.id]),
      [
        [2, 'old'],
        [3, 'future'],
        [4, 'no-subject'],
      ],
    );
    assert.match(body.rejected[0].reason, /usage window/);
  });

  it('refuses a batch over the limit (413) and a body that is no event (422)', async () => {
    const big = Array.from({ length: 1001 }, (_, i) => event(`big${i}`));
    const r = await send(big);
    assert.deepEqual([r.statusCode, r.json().code], [413, 'payload_too_large']);
    assert.equal((await send('just text', 'application/cloudevents+json')).statusCode, 422);
  });

  it('creates meters (bad aggregation or path 422, a taken key 409) and answers their queries exactly', async () => {
    const create = (payload: object) => h.call({ method: 'POST', url: '/api/v1/meter', payload });
    const ok = await create({
      key: 'api-ms',
      name: 'API time',
      eventType: 'api.call',
      aggregation: 'sum',
      valueProperty: '$.ms',
      groupBy: { route: '$.route' },
    });
    assert.equal(ok.statusCode, 201);
    assert.equal(
      (await create({ key: 'api-ms', name: 'x', eventType: 'api.call', aggregation: 'count' })).statusCode,
      409,
    );
    const bad = [
      { key: 'm1', name: 'x', eventType: 'api.call', aggregation: 'median', valueProperty: '$.ms' },
      { key: 'm2', name: 'x', eventType: 'api.call', aggregation: 'sum' },
      { key: 'm3', name: 'x', eventType: 'api.call', aggregation: 'sum', valueProperty: 'ms[0]' },
      { key: 'm4', name: 'x', eventType: 'api.call', aggregation: 'count', groupBy: { r: '$..deep' } },
    ];
    for (const payload of bad) assert.equal((await create(payload)).statusCode, 422, JSON.stringify(payload));

    const from = new Date(now - 3_600_000).toISOString();
    const to = new Date(now + 1000).toISOString();
    const q = await h.call({
      method: 'GET',
      url: `/api/v1/meter/api-ms/query?from=${from}&to=${to}&subject=acme&groupBy=route`,
    });
    assert.equal(q.statusCode, 200);
    const byRoute = Object.fromEntries(q.json().data.map((r: any) => [r.groupBy.route, r.value]));
    assert.deepEqual(byRoute, { '/a': 40, '/b': 5 }, 'a1, a2, a4, a5 on /a (10 each); a3 on /b');

    const backwards = await h.call({ method: 'GET', url: `/api/v1/meter/api-ms/query?from=${to}&to=${from}` });
    assert.deepEqual([backwards.statusCode, backwards.json().detail[0].loc], [422, ['query', 'to']]);
    const noGroup = await h.call({
      method: 'GET',
      url: `/api/v1/meter/api-ms/query?from=${from}&to=${to}&groupBy=zone`,
    });
    assert.equal(noGroup.statusCode, 422);
    assert.equal(
      (await h.call({ method: 'GET', url: `/api/v1/meter/nope/query?from=${from}&to=${to}` })).statusCode,
      404,
    );
    assert.equal((await h.call({ method: 'DELETE', url: '/api/v1/meter/api-ms' })).statusCode, 204);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/meter/api-ms' })).statusCode, 404);
  });
});
