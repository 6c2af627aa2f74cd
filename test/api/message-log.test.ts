import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

/**
 * The portal's message log: the app's messages with Svix's filters (event_types, channel, tag,
 * before, after) and an endpoint's messages by delivery status, paged; and the operator's
 * application search.
 */
describe('message log filters and application search', () => {
  let h: Harness;
  let appId: string;
  const ids: Record<string, string> = {};
  before(async () => {
    h = await harness();
    appId = (await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme Store', uid: 'acme' } })).json()
      .id;
    await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://example.com/hook', uid: 'ep' },
    });
    const send = async (name: string, body: object) => {
      ids[name] = (
        await h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { payload: { name }, ...body } })
      ).json().id;
    };
    await send('a', { eventType: 'order.paid', tags: ['vip'], channels: ['eu'] });
    await send('b', { eventType: 'order.refunded', tags: ['vip', 'late'] });
    await send('c', { eventType: 'order.paid' });
    // The engine's outcomes: a succeeded, b failed for good, c still pending.
    const claimed = await h.store.claimDeliveries({
      owner: 't',
      limit: 10,
      leaseMs: 60_000,
      now: Date.now(),
      perEndpointLimit: 10,
    });
    const row = (n: string) => claimed.find((c) => c.message.id === ids[n])!.delivery.id;
    await h.store.completeDeliveries([
      { deliveryId: row('a'), owner: 't', next: { kind: 'success' } },
      { deliveryId: row('b'), owner: 't', next: { kind: 'fail' } },
    ]);
    await h.store.releaseDeliveries([row('c')], 't');
  });
  after(async () => {
    await h.close();
  });

  const names = (body: { data: Array<{ id: string }> }) =>
    body.data.map((m) => Object.keys(ids).find((k) => ids[k] === m.id));
  const get = async (url: string) => {
    const res = await h.call({ method: 'GET', url });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json();
  };

  it("filters the app's messages by tag, with the other filters, newest first", async () => {
    assert.deepEqual(names(await get('/api/v1/app/acme/msg?tag=vip')), ['b', 'a']);
    assert.deepEqual(names(await get('/api/v1/app/acme/msg?tag=late')), ['b']);
    assert.deepEqual(names(await get('/api/v1/app/acme/msg?tag=vip&event_types=order.paid')), ['a']);
    assert.deepEqual(names(await get('/api/v1/app/acme/msg?tag=vip&channel=eu')), ['a']);
    assert.deepEqual(names(await get('/api/v1/app/acme/msg?tag=none')), []);
    const first = await get('/api/v1/app/acme/msg?limit=1&event_types=order.paid');
    assert.deepEqual(names(first), ['c']);
    assert.deepEqual(
      names(await get(`/api/v1/app/acme/msg?limit=1&event_types=order.paid&iterator=${first.iterator}`)),
      ['a'],
    );
  });

  it('filters by creation time on both sides of a message, to the millisecond', async () => {
    const at = Date.parse((await get(`/api/v1/app/acme/msg/${ids.b}`)).timestamp);
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    assert.ok(names(await get(`/api/v1/app/acme/msg?before=${iso(at + 1)}`)).includes('b'));
    assert.ok(!names(await get(`/api/v1/app/acme/msg?before=${iso(at)}`)).includes('b'));
    assert.ok(names(await get(`/api/v1/app/acme/msg?after=${iso(at - 1)}`)).includes('b'));
    assert.ok(!names(await get(`/api/v1/app/acme/msg?after=${iso(at)}`)).includes('b'));
    assert.ok(
      names(await get(`/api/v1/app/acme/endpoint/ep/msg?after=${iso(at - 1)}&before=${iso(at + 1)}`)).includes('b'),
    );
  });

  it("lists an endpoint's messages by delivery status, with the tag filter", async () => {
    const failed = await get('/api/v1/app/acme/endpoint/ep/msg?status=2');
    assert.deepEqual(names(failed), ['b']);
    assert.deepEqual([failed.data[0].status, failed.data[0].statusText], [2, 'fail']);
    assert.deepEqual(names(await get('/api/v1/app/acme/endpoint/ep/msg?status=0')), ['a']);
    assert.deepEqual(names(await get('/api/v1/app/acme/endpoint/ep/msg?status=1')), ['c']);
    assert.deepEqual(names(await get('/api/v1/app/acme/endpoint/ep/msg?tag=vip')), ['b', 'a']);
    assert.deepEqual(names(await get('/api/v1/app/acme/endpoint/ep/msg?tag=vip&status=0')), ['a']);
    const paged = await get('/api/v1/app/acme/endpoint/ep/msg?limit=2');
    assert.deepEqual(names(paged), ['c', 'b']);
    assert.deepEqual(names(await get(`/api/v1/app/acme/endpoint/ep/msg?limit=2&iterator=${paged.iterator}`)), ['a']);
  });

  it('refuses bad dates and statuses (422) and unknown apps and endpoints (404)', async () => {
    for (const url of [
      '/api/v1/app/acme/msg?after=soon',
      '/api/v1/app/acme/endpoint/ep/msg?status=9',
      '/api/v1/app/acme/endpoint/ep/msg?before=2026-02-30T00:00:00Z',
    ]) {
      assert.equal((await h.call({ method: 'GET', url })).statusCode, 422, url);
    }
    for (const url of ['/api/v1/app/ghost/msg?tag=vip', '/api/v1/app/acme/endpoint/ghost/msg?status=2']) {
      assert.equal((await h.call({ method: 'GET', url })).statusCode, 404, url);
    }
  });

  it('searches applications by ID, or by part of the uid or name in any case', async () => {
    const other = (
      await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Globex', uid: 'globex-eu' } })
    ).json();
    const search = async (text: string) =>
      (await get(`/api/v1/app?search=${encodeURIComponent(text)}`)).data.map((a: { id: string }) => a.id);
    assert.deepEqual(await search('STORE'), [appId]);
    assert.deepEqual(await search('-eu'), [other.id]);
    assert.deepEqual(await search(appId), [appId]);
    assert.deepEqual(await search('zzz'), []);
    assert.deepEqual((await search('o')).sort(), [appId, other.id].sort());
    const page = await get('/api/v1/app?search=o&limit=1');
    assert.equal(page.done, false);
    assert.equal((await get(`/api/v1/app?search=o&limit=1&iterator=${page.iterator}`)).data.length, 1);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app?search=' })).statusCode, 422);
  });
});
