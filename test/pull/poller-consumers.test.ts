import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from '../api/api-harness.js';

/** The consumers of a poll endpoint and their committed positions, as the portal lists them. */
describe("listing a polling endpoint's consumers", () => {
  let h: Harness;
  const base = '/api/v1/app/acme/poller/inbox';
  before(async () => {
    h = await harness();
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Other', uid: 'other' } });
    await h.call({ method: 'POST', url: '/api/v1/app/acme/endpoint', payload: { kind: 'poll', uid: 'inbox' } });
    await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://example.com/hook', uid: 'pushed' },
    });
    for (let i = 0; i < 3; i++)
      await h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { eventType: 'e', payload: { i } } });
  });
  after(async () => {
    await h.close();
  });

  it('lists nobody before any consumer commits', async () => {
    assert.deepEqual((await h.call({ method: 'GET', url: `${base}/consumer` })).json(), {
      data: [],
      iterator: null,
      prevIterator: null,
      done: true,
    });
  });

  it("shows each consumer's committed position as the iterator the poller gave it, and when it was committed", async () => {
    const firstPage = (await h.call({ method: 'GET', url: `${base}/consumer/billing?limit=2` })).json();
    assert.equal(firstPage.data.length, 2);
    const t = Date.now();
    await h.call({ method: 'GET', url: `${base}/consumer/billing?iterator=${firstPage.iterator}` }); // commits the first page
    const seek = (
      await h.call({
        method: 'POST',
        url: `${base}/consumer/-nightly/seek`,
        payload: { after: '2020-01-01T00:00:00Z' },
      })
    ).json();
    await h.call({ method: 'POST', url: `${base}/consumer/audit/commit`, payload: { iterator: firstPage.iterator } });
    const list = (await h.call({ method: 'GET', url: `${base}/consumer` })).json();
    assert.deepEqual(
      list.data.map((c: { consumerId: string; position: string }) => [c.consumerId, c.position]),
      [
        ['-nightly', seek.iterator],
        ['audit', firstPage.iterator],
        ['billing', firstPage.iterator],
      ],
    );
    for (const c of list.data) assert.ok(Date.parse(c.updatedAt) >= t - 1000, c.updatedAt);
    // The listed position continues the consumer where it stands.
    const next = (await h.call({ method: 'GET', url: `${base}?iterator=${list.data[2].position}` })).json();
    assert.deepEqual(
      next.data.map((m: { payload: { i: number } }) => m.payload.i),
      [2],
    );
  });

  it('pages by consumer ID, forwards and back, a consumer named `-nightly` included', async () => {
    const p1 = (await h.call({ method: 'GET', url: `${base}/consumer?limit=1` })).json();
    assert.deepEqual([p1.data[0].consumerId, p1.iterator, p1.done], ['-nightly', 'c-nightly', false]);
    const p2 = (await h.call({ method: 'GET', url: `${base}/consumer?limit=1&iterator=${p1.iterator}` })).json();
    assert.equal(p2.data[0].consumerId, 'audit');
    const back = (await h.call({ method: 'GET', url: `${base}/consumer?limit=1&iterator=${p2.prevIterator}` })).json();
    assert.equal(back.data[0].consumerId, '-nightly');
    const desc = (await h.call({ method: 'GET', url: `${base}/consumer?order=descending` })).json();
    assert.deepEqual(
      desc.data.map((c: { consumerId: string }) => c.consumerId),
      ['billing', 'audit', '-nightly'],
    );
    const bad = await h.call({ method: 'GET', url: `${base}/consumer?iterator=nightly` });
    assert.deepEqual([bad.statusCode, bad.json().code], [400, 'invalid_iterator']);
  });

  it("answers 404 for a push endpoint or an unknown one, and lets only this app's tokens in", async () => {
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme/poller/pushed/consumer' })).statusCode, 404);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme/poller/ghost/consumer' })).statusCode, 404);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/ghost/poller/inbox/consumer' })).statusCode, 404);
    const own = (await h.call({ method: 'POST', url: '/api/v1/auth/app-portal-access/acme', payload: {} })).json()
      .token;
    const other = (await h.call({ method: 'POST', url: '/api/v1/auth/app-portal-access/other', payload: {} })).json()
      .token;
    assert.equal((await h.call({ method: 'GET', url: `${base}/consumer`, token: own })).statusCode, 200);
    assert.equal((await h.call({ method: 'GET', url: `${base}/consumer`, token: other })).statusCode, 403);
    assert.equal((await h.call({ method: 'GET', url: `${base}/consumer`, token: null })).statusCode, 401);
  });
});
