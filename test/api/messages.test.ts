import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeliveryStatus } from '../../src/domain/model.js';
import { newId } from '../../src/ids.js';
import { harness, type Harness } from './api-harness.js';

describe('messages and attempts API', () => {
  let h: Harness;
  let epId: string;
  before(async () => {
    h = await harness();
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
    epId = (
      await h.call({
        method: 'POST',
        url: '/api/v1/app/acme/endpoint',
        payload: { url: 'https://example.com/a', uid: 'ep-a' },
      })
    ).json().id;
  });
  after(async () => {
    await h.close();
  });

  const send = (payload: object, query = '') =>
    h.call({ method: 'POST', url: `/api/v1/app/acme/msg${query}`, payload });

  it('creates (202) with every MessageIn field, and honours with_content=false', async () => {
    const deliverAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await send({
      eventType: 'user.signup',
      payload: { n: 1 },
      eventId: 'e-1',
      channels: ['eu'],
      tags: ['t'],
      deliverAt,
      payloadRetentionPeriod: 30,
    });
    assert.equal(res.statusCode, 202);
    const msg = res.json();
    assert.match(msg.id, /^msg_/);
    assert.deepEqual(msg.payload, { n: 1 });
    assert.equal(msg.deliverAt, deliverAt);
    const stored = await h.store.getMessage((await h.store.getApplication('acme'))!.id, msg.id);
    assert.ok(Math.abs(stored!.payloadExpiresAt - (Date.parse(deliverAt) + 30 * 86_400_000)) < 5000);

    const lean = await send({ eventType: 'user.signup', payload: { n: 2 } }, '?with_content=false');
    assert.equal(lean.statusCode, 202);
    assert.deepEqual(lean.json().payload, {});
  });

  it('refuses a duplicate eventId with 409 and an unknown app with 404', async () => {
    const dup = await send({ eventType: 'user.signup', payload: {}, eventId: 'e-1' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'conflict');
    const none = await h.call({
      method: 'POST',
      url: '/api/v1/app/ghost/msg',
      payload: { eventType: 'a', payload: {} },
    });
    assert.equal(none.statusCode, 404);
  });

  it('creates the application on the fly when MessageIn.application is given', async () => {
    const res = await h.call({
      method: 'POST',
      url: '/api/v1/app/fresh-app/msg',
      payload: { eventType: 'a.b', payload: {}, application: { name: 'Fresh' } },
    });
    assert.equal(res.statusCode, 202);
    const app = (await h.call({ method: 'GET', url: '/api/v1/app/fresh-app' })).json();
    assert.equal(app.name, 'Fresh');
  });

  it('follows an app uid that was deleted and re-created at once (the app lookup is cached, never trusted)', async () => {
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Moving', uid: 'moving' } });
    const before = await h.call({
      method: 'POST',
      url: '/api/v1/app/moving/msg',
      payload: { eventType: 'a', payload: {} },
    });
    assert.equal(before.statusCode, 202);
    assert.equal((await h.call({ method: 'DELETE', url: '/api/v1/app/moving' })).statusCode, 204);
    const gone = await h.call({
      method: 'POST',
      url: '/api/v1/app/moving/msg',
      payload: { eventType: 'a', payload: {} },
    });
    assert.equal(gone.statusCode, 404);
    const again = (
      await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Moving 2', uid: 'moving' } })
    ).json();
    const after = await h.call({
      method: 'POST',
      url: '/api/v1/app/moving/msg',
      payload: { eventType: 'a', payload: { n: 2 } },
    });
    assert.equal(after.statusCode, 202);
    assert.ok(await h.store.getMessage(again.id, after.json().id), 'the message went to the new app');
    // Deleted behind the API's back (another process): the cached ID is refused by the ingest transaction.
    await h.store.deleteApplication(again.id);
    const stale = await h.call({
      method: 'POST',
      url: '/api/v1/app/moving/msg',
      payload: { eventType: 'a', payload: {} },
    });
    assert.equal(stale.statusCode, 404);
    assert.equal(stale.json().code, 'not_found');
  });

  it('lists newest first with event_types (comma or repeated), channel, before/after; gets by ID or eventId', async () => {
    await send({ eventType: 'invoice.paid', payload: { i: 1 }, channels: ['us'] });
    const all = (await h.call({ method: 'GET', url: '/api/v1/app/acme/msg' })).json();
    const ids = all.data.map((m: { id: string }) => m.id);
    assert.deepEqual(ids, [...ids].sort().reverse(), 'newest first');
    const paid = (await h.call({ method: 'GET', url: '/api/v1/app/acme/msg?event_types=invoice.paid' })).json();
    assert.deepEqual(
      paid.data.map((m: { eventType: string }) => m.eventType),
      ['invoice.paid'],
    );
    const both = (
      await h.call({ method: 'GET', url: '/api/v1/app/acme/msg?event_types=invoice.paid&event_types=user.signup' })
    ).json();
    assert.equal(both.data.length, all.data.length);
    const comma = (
      await h.call({ method: 'GET', url: '/api/v1/app/acme/msg?event_types=invoice.paid,user.signup' })
    ).json();
    assert.equal(comma.data.length, all.data.length);
    const eu = (await h.call({ method: 'GET', url: '/api/v1/app/acme/msg?channel=eu' })).json();
    assert.deepEqual(
      eu.data.map((m: { eventId: string }) => m.eventId),
      ['e-1'],
    );
    const future = (
      await h.call({
        method: 'GET',
        url: `/api/v1/app/acme/msg?after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      })
    ).json();
    assert.equal(future.data.length, 0);
    const noContent = (await h.call({ method: 'GET', url: '/api/v1/app/acme/msg?with_content=false' })).json();
    assert.deepEqual(noContent.data[0].payload, {});

    const byEventId = (await h.call({ method: 'GET', url: '/api/v1/app/acme/msg/e-1' })).json();
    assert.deepEqual(byEventId.payload, { n: 1 });
    assert.equal((await h.call({ method: 'GET', url: `/api/v1/app/acme/msg/${byEventId.id}` })).json().eventId, 'e-1');
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme/msg/msg_nope' })).statusCode, 404);
  });

  it('expunges content (204): the payload reads as {} afterwards', async () => {
    const msg = (await send({ eventType: 'x.y', payload: { secret: 1 } })).json();
    assert.equal((await h.call({ method: 'DELETE', url: `/api/v1/app/acme/msg/${msg.id}/content` })).statusCode, 204);
    assert.deepEqual((await h.call({ method: 'GET', url: `/api/v1/app/acme/msg/${msg.id}` })).json().payload, {});
  });

  it('group commit: 300 concurrent creates are all accepted and all stored', async () => {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => send({ eventType: 'bulk.event', payload: { i }, eventId: `bulk-${i}` })),
    );
    assert.ok(
      results.every((r) => r.statusCode === 202),
      'all 202',
    );
    const appId = (await h.store.getApplication('acme'))!.id;
    let count = 0;
    let iterator: string | null = null;
    do {
      const page = await h.store.listMessages(
        appId,
        { limit: 250, iterator, order: 'descending' },
        { eventTypes: ['bulk.event'] },
      );
      count += page.data.length;
      iterator = page.done ? null : page.iterator;
    } while (iterator);
    assert.equal(count, 300);
    const dupes = await Promise.all([
      send({ eventType: 'bulk.event', payload: {}, eventId: 'bulk-1' }),
      send({ eventType: 'bulk.event', payload: {}, eventId: 'bulk-new' }),
    ]);
    assert.deepEqual(
      dupes.map((r) => r.statusCode),
      [409, 202],
      'a refusal in a batch does not affect its neighbours',
    );
  });

  it('attempts: list by endpoint and by message with filters, get one, expunge its content, destinations, resend', async () => {
    const msg = (await send({ eventType: 'attempt.test', payload: { a: 1 } })).json();
    const appId = (await h.store.getApplication('acme'))!.id;
    // Record a failed attempt the way the delivery engine does.
    const now = Date.now() + 1000;
    const claimed = (
      await h.store.claimDeliveries({ owner: 't', limit: 1000, leaseMs: 60_000, now, perEndpointLimit: 1000 })
    ).filter((c) => c.message.id === msg.id);
    assert.equal(claimed.length, 1);
    const attemptId = newId('attempt');
    await h.store.completeDeliveries([
      {
        deliveryId: claimed[0].delivery.id,
        owner: 't',
        attempt: {
          id: attemptId,
          url: 'https://example.com/a',
          status: DeliveryStatus.Fail,
          responseStatusCode: 503,
          response: 'busy',
          responseDurationMs: 5,
          triggerType: 0,
          now,
        },
        next: { kind: 'retry', at: now + 60_000 },
      },
    ]);
    const rest = await h.store.claimDeliveries({
      owner: 't',
      limit: 1000,
      leaseMs: 60_000,
      now,
      perEndpointLimit: 1000,
    });
    await h.store.releaseDeliveries(
      rest.map((c) => c.delivery.id),
      't',
    );

    const byEp = (
      await h.call({ method: 'GET', url: `/api/v1/app/acme/attempt/endpoint/ep-a?status=2&with_msg=true` })
    ).json();
    assert.deepEqual(
      byEp.data.map((a: { id: string }) => a.id),
      [attemptId],
    );
    assert.equal(byEp.data[0].statusText, 'fail');
    assert.equal(byEp.data[0].msg.id, msg.id);
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/acme/attempt/endpoint/ep-a?status=0' })).json().data.length,
      0,
    );
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/acme/attempt/endpoint/ep-a?status_code_class=500' })).json().data
        .length,
      1,
    );
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/acme/attempt/endpoint/ep-a?status_code_class=200' })).json().data
        .length,
      0,
    );
    const byMsg = (
      await h.call({ method: 'GET', url: `/api/v1/app/acme/attempt/msg/${msg.id}?endpoint_id=ep-a` })
    ).json();
    assert.equal(byMsg.data[0].responseStatusCode, 503);

    const one = await h.call({ method: 'GET', url: `/api/v1/app/acme/msg/${msg.id}/attempt/${attemptId}` });
    assert.equal(one.json().response, 'busy');
    assert.equal(
      (await h.call({ method: 'DELETE', url: `/api/v1/app/acme/msg/${msg.id}/attempt/${attemptId}/content` }))
        .statusCode,
      204,
    );
    assert.equal(
      (await h.call({ method: 'GET', url: `/api/v1/app/acme/msg/${msg.id}/attempt/${attemptId}` })).json().response,
      '',
    );

    const dests = (await h.call({ method: 'GET', url: `/api/v1/app/acme/msg/${msg.id}/endpoint` })).json();
    assert.deepEqual(
      dests.data.map((d: { id: string }) => d.id),
      [epId],
    );
    assert.equal(dests.data[0].statusText, 'pending');
    const sent = (
      await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint/ep-a/msg?event_types=attempt.test' })
    ).json();
    assert.deepEqual(
      sent.data.map((m: { id: string }) => m.id),
      [msg.id],
    );

    const resend = await h.call({ method: 'POST', url: `/api/v1/app/acme/msg/${msg.id}/endpoint/${epId}/resend` });
    assert.equal(resend.statusCode, 202);
    assert.deepEqual(resend.json(), {});
    assert.equal(
      (await h.call({ method: 'POST', url: `/api/v1/app/acme/msg/${msg.id}/endpoint/ep_nope/resend` })).statusCode,
      404,
    );
    void appId;
  });

  it('endpoint stats, recover (202 RecoverOut) and send-example (202, this endpoint only)', async () => {
    const stats = (await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint/ep-a/stats' })).json();
    assert.ok(stats.pending >= 1);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const rec = await h.call({ method: 'POST', url: '/api/v1/app/acme/endpoint/ep-a/recover', payload: { since } });
    assert.equal(rec.statusCode, 202);
    assert.equal(rec.json().task, 'endpoint.recover');
    assert.match(rec.json().id, /^qtask_/);

    await h.call({
      method: 'POST',
      url: '/api/v1/event-type',
      payload: {
        name: 'demo.event',
        description: 'd',
        schemas: { 1: { type: 'object', examples: [{ hello: 'world' }] } },
      },
    });
    const other = (
      await h.call({ method: 'POST', url: '/api/v1/app/acme/endpoint', payload: { url: 'https://example.com/other' } })
    ).json();
    const ex = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint/ep-a/send-example',
      payload: { eventType: 'demo.event' },
    });
    assert.equal(ex.statusCode, 202);
    assert.deepEqual(ex.json().payload, { hello: 'world' });
    const dests = (await h.call({ method: 'GET', url: `/api/v1/app/acme/msg/${ex.json().id}/endpoint` })).json();
    assert.deepEqual(
      dests.data.map((d: { id: string }) => d.id),
      [epId],
      `not to ${other.id}`,
    );
    assert.equal(
      (
        await h.call({
          method: 'POST',
          url: '/api/v1/app/acme/endpoint/ep-a/send-example',
          payload: { eventType: 'no.such' },
        })
      ).statusCode,
      404,
    );
  });
});
