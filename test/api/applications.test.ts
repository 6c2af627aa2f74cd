import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

describe('applications API', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.close();
  });

  it('creates (201), fetches by ID and uid, and answers get_if_exists with the existing app (200)', async () => {
    const res = await h.call({
      method: 'POST',
      url: '/api/v1/app',
      payload: { name: 'Acme', uid: 'acme', throttleRate: 7, metadata: { k: 'v' } },
    });
    assert.equal(res.statusCode, 201);
    const app = res.json();
    assert.match(app.id, /^app_[0-9A-Za-z]{27}$/);
    assert.equal(app.rateLimit, 7, 'throttleRate is accepted as an alias of rateLimit');
    assert.equal(app.throttleRate, 7);
    assert.ok(!Number.isNaN(Date.parse(app.createdAt)) && app.createdAt.endsWith('Z'));

    assert.equal((await h.call({ method: 'GET', url: `/api/v1/app/${app.id}` })).json().uid, 'acme');
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme' })).json().id, app.id);

    const again = await h.call({
      method: 'POST',
      url: '/api/v1/app?get_if_exists=true',
      payload: { name: 'x', uid: 'acme' },
    });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, app.id);
    const dup = await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'x', uid: 'acme' } });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'conflict');
  });

  it('PUT replaces, PATCH changes only what is given, DELETE removes (204 then 404)', async () => {
    const app = (
      await h.call({
        method: 'POST',
        url: '/api/v1/app',
        payload: { name: 'B', uid: 'bee', rateLimit: 3, metadata: { a: '1' } },
      })
    ).json();
    const put = await h.call({ method: 'PUT', url: '/api/v1/app/bee', payload: { name: 'B2' } });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().name, 'B2');
    assert.equal(put.json().rateLimit, null);
    assert.deepEqual(put.json().metadata, {});
    assert.equal(put.json().uid, 'bee', 'uid kept when omitted');

    const patch = await h.call({ method: 'PATCH', url: `/api/v1/app/${app.id}`, payload: { metadata: { b: '2' } } });
    assert.equal(patch.json().name, 'B2');
    assert.deepEqual(patch.json().metadata, { b: '2' });

    assert.equal((await h.call({ method: 'PUT', url: '/api/v1/app/nope', payload: { name: 'x' } })).statusCode, 404);
    assert.equal((await h.call({ method: 'DELETE', url: '/api/v1/app/bee' })).statusCode, 204);
    const gone = await h.call({ method: 'GET', url: `/api/v1/app/${app.id}` });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().code, 'not_found');
  });

  it('lists ascending by default, pages with iterator/prevIterator, and honours order', async () => {
    for (const n of ['p1', 'p2', 'p3'])
      await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: n, uid: n } });
    const all = (await h.call({ method: 'GET', url: '/api/v1/app?limit=250' })).json();
    assert.equal(all.done, true);
    const ids = all.data.map((a: { id: string }) => a.id);
    assert.deepEqual([...ids].sort(), ids, 'ascending by ID (creation order)');

    const first = (await h.call({ method: 'GET', url: '/api/v1/app?limit=2' })).json();
    assert.equal(first.data.length, 2);
    assert.equal(first.done, false);
    const second = (await h.call({ method: 'GET', url: `/api/v1/app?limit=2&iterator=${first.iterator}` })).json();
    assert.deepEqual(
      second.data.map((a: { id: string }) => a.id),
      ids.slice(2, 4),
    );

    const desc = (await h.call({ method: 'GET', url: '/api/v1/app?order=descending&limit=250' })).json();
    assert.deepEqual(
      desc.data.map((a: { id: string }) => a.id),
      [...ids].reverse(),
    );
  });
});
