import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FailureReason } from '../../src/domain/failure-reason.js';
import { harness, type Harness } from './api-harness.js';

/** The dead-letter routes: list with filters and links, counts per endpoint, resend as a task; admin only; bad input 4xx. */
describe('dead-letter routes', () => {
  let h: Harness;
  const msgIds: string[] = [];
  let flaky = '';
  before(async () => {
    h = await harness();
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
    const ep = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://receiver.example/hook', uid: 'flaky' },
    });
    flaky = ep.json().id;
    const reasons: FailureReason[] = ['http_status', 'blocked', 'timeout'];
    for (const eventType of ['a.done', 'b.done', 'a.done']) {
      const m = await h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { eventType, payload: {} } });
      msgIds.push(m.json().id);
    }
    // The worker's part, through the store: each delivery attempted once and failed for good.
    const now = Date.now();
    const claimed = await h.store.claimDeliveries({
      owner: 'w',
      limit: 10,
      leaseMs: 60_000,
      now,
      perEndpointLimit: 10,
    });
    await h.store.completeDeliveries(
      claimed.map((c) => {
        const reason = reasons[msgIds.indexOf(c.message.id)];
        return {
          deliveryId: c.delivery.id,
          owner: 'w',
          attempt: {
            id: `atmpt_${c.message.id.slice(4)}`,
            url: c.endpoint.url,
            status: 2 as const,
            responseStatusCode: reason === 'http_status' ? 500 : 0,
            response: reason,
            responseDurationMs: 5,
            triggerType: 0 as const,
            now,
          },
          next: { kind: 'fail' as const, reason },
        };
      }),
    );
  });
  after(async () => {
    await h.close();
  });

  const get = async (url: string, token?: string | null) => h.call({ method: 'GET', url, token });

  it('lists them newest first with reason, class and a link to the last attempt that resolves', async () => {
    const r = await get('/api/v1/dead-letter?appId=acme');
    assert.equal(r.statusCode, 200);
    const rows = r.json().data;
    assert.deepEqual(
      rows.map((d: any) => [d.msgId, d.reason, d.reasonClass, d.attempts]),
      [
        [msgIds[2], 'timeout', 'endpoint', 1],
        [msgIds[1], 'blocked', 'platform', 1],
        [msgIds[0], 'http_status', 'endpoint', 1],
      ],
    );
    const attempt = await get(rows[2].lastAttempt.url);
    assert.equal(attempt.statusCode, 200);
    assert.equal(attempt.json().responseStatusCode, 500);
    const platform = await get('/api/v1/dead-letter?reasonClass=platform&eventType=b.done');
    assert.deepEqual(
      platform.json().data.map((d: any) => d.msgId),
      [msgIds[1]],
    );
  });

  it('counts per endpoint by class', async () => {
    const r = await get('/api/v1/dead-letter/counts?appId=acme&endpointId=flaky');
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().data, [
      { appId: r.json().data[0].appId, endpointId: flaky, endpoint: 2, platform: 1, unclassified: 0, held: 0 },
    ]);
  });

  it('resends a selection as one task (dry run first), and refuses bad input with a clear 4xx', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const post = (payload: object, token?: string | null) =>
      h.call({ method: 'POST', url: '/api/v1/dead-letter/resend', payload, token });
    const dry = await post({ since, reasonClass: 'endpoint', dryRun: true });
    assert.deepEqual([dry.statusCode, dry.json().data], [200, { matched: 2, sent: 2, skipped: 0 }]);
    const started = await post({ since, reasonClass: 'endpoint', appId: 'acme' });
    assert.equal(started.statusCode, 202);
    assert.equal(started.json().task, 'dead-letter.resend');
    const task = await get(`/api/v1/background-task/${started.json().id}`);
    assert.deepEqual([task.json().status, task.json().task], ['running', 'dead-letter.resend']);

    assert.equal((await post({ since, endpointId: 'flaky' })).statusCode, 422, 'an endpoint needs its app');
    assert.equal((await post({ since, appId: 'nope' })).statusCode, 404);
    assert.equal((await post({ since, reasonClass: 'cosmic' })).statusCode, 422);
    const backwards = await post({ since, until: new Date(Date.now() - 120_000).toISOString() });
    assert.deepEqual([backwards.statusCode, backwards.json().detail[0].loc], [422, ['body', 'until']]);
    assert.equal((await get('/api/v1/dead-letter?reasonClass=cosmic')).statusCode, 422);
    assert.equal((await get('/api/v1/dead-letter', null)).statusCode, 401);
  });
});
