import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

/** Ordered delivery through the API: the endpoint's `ordered`, the message's `orderingKey`, and the head controls. */
describe('ordered delivery: API', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
  });
  after(async () => {
    await h.close();
  });

  it('keeps `ordered` on create, PATCH and read; refuses an ordering key over 256 bytes with 422', async () => {
    const created = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://receiver.example/o', uid: 'ordered', ordered: true },
    });
    assert.deepEqual([created.statusCode, created.json().ordered], [201, true]);
    const patched = await h.call({
      method: 'PATCH',
      url: '/api/v1/app/acme/endpoint/ordered',
      payload: { ordered: false },
    });
    assert.equal(patched.json().ordered, false);
    await h.call({ method: 'PATCH', url: '/api/v1/app/acme/endpoint/ordered', payload: { ordered: true } });
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint/ordered' })).json().ordered, true);

    const send = (orderingKey: string) =>
      h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { eventType: 'x.y', payload: {}, orderingKey } });
    assert.equal((await send('k'.repeat(256))).statusCode, 202, '256 bytes is fine');
    const long = await send('é'.repeat(129)); // 129 characters, 258 bytes
    assert.equal(long.statusCode, 422);
    assert.deepEqual(long.json().detail[0].loc, ['body', 'orderingKey']);
    assert.match(long.json().detail[0].msg, /258/);
  });

  it('skips and retries a head through the routes; 404 without one, 422 on an unordered endpoint', async () => {
    await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://receiver.example/p', uid: 'plain' },
    });
    const call = (ep: string, action: string, key: string) =>
      h.call({ method: 'POST', url: `/api/v1/app/acme/endpoint/${ep}/ordering/${action}`, payload: { key } });
    const first = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/msg',
      payload: { eventType: 'x.y', payload: { n: 1 }, orderingKey: 'sku-1' },
    });
    await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/msg',
      payload: { eventType: 'x.y', payload: { n: 2 }, orderingKey: 'sku-1' },
    });
    const retried = await call('ordered', 'retry-head', 'sku-1');
    assert.deepEqual([retried.statusCode, retried.json().msgId], [200, first.json().id]);
    const skipped = await call('ordered', 'skip-head', 'sku-1');
    assert.deepEqual([skipped.statusCode, skipped.json().msgId], [200, first.json().id]);
    assert.equal((await call('ordered', 'skip-head', 'nothing-here')).statusCode, 404);
    assert.equal((await call('plain', 'skip-head', 'sku-1')).statusCode, 422);
  });

  it('lists the keys held by a failing head, oldest first; 422 on an unordered endpoint', async () => {
    const sent = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/msg',
      payload: { eventType: 'x.y', payload: { n: 9 }, orderingKey: 'sku-9' },
    });
    const now = Date.now();
    const ordered = (await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint/ordered' })).json();
    const claimed = await h.store.claimDeliveries({
      owner: 't',
      limit: 50,
      leaseMs: 60_000,
      now,
      perEndpointLimit: 50,
    });
    const head = claimed.find((c) => c.message.id === sent.json().id && c.endpoint.id === ordered.id)!;
    assert.ok(head, 'the key sku-9 has its head due');
    await h.store.completeDeliveries([
      {
        deliveryId: head.delivery.id,
        owner: 't',
        ordered: true,
        next: { kind: 'retry', at: now + 3_600_000 },
        attempt: {
          id: 'atmpt_sku9',
          url: 'x',
          status: 2,
          responseStatusCode: 500,
          response: '',
          responseDurationMs: 3,
          triggerType: 0,
          now,
        },
      },
    ]);
    const blocked = await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint/ordered/ordering/blocked' });
    assert.equal(blocked.statusCode, 200);
    const row = blocked.json().data.find((b: { key: string }) => b.key === 'sku-9');
    assert.deepEqual([row.msgId, row.failed, row.attempts], [sent.json().id, false, 1]);
    assert.equal(Date.parse(row.blockedSince), now);
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint/plain/ordering/blocked' })).statusCode,
      422,
    );
  });
});
