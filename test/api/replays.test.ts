import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

/** The recovery and replay routes: bad input is a clear 422 naming the field and starts no task; a dry run starts none either. */
describe('recover, replay-missing and bulk-replay routes', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ retentionDays: 30 });
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
    await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://receiver.example/hook', uid: 'ep' },
    });
    await h.call({ method: 'POST', url: '/api/v1/app/acme/endpoint', payload: { kind: 'poll', uid: 'sink' } });
  });
  after(async () => {
    await h.close();
  });

  const post = (route: string, payload: object, endpoint = 'ep') =>
    h.call({ method: 'POST', url: `/api/v1/app/acme/endpoint/${endpoint}/${route}`, payload });
  const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
  const tasks = async () => (await h.call({ method: 'GET', url: '/api/v1/background-task' })).json().data.length;

  it('refuses since after until, a future since, a since before the retention window, and a bad status', async () => {
    const cases: Array<[string, object, string]> = [
      ['replay-missing', { since: iso(1000), until: iso(5000) }, 'until'],
      ['bulk-replay', { since: iso(-60_000) }, 'since'],
      ['replay-missing', { since: iso(31 * 86_400_000) }, 'since'],
      ['bulk-replay', { since: iso(31 * 86_400_000) }, 'since'],
      ['bulk-replay', { since: iso(1000), status: 3 }, 'status'],
      ['bulk-replay', { since: iso(1000), status: 1 }, 'status'],
      ['recover', { since: iso(1000), until: iso(5000) }, 'until'],
    ];
    for (const [route, payload, field] of cases) {
      const r = await post(route, payload);
      assert.equal(r.statusCode, 422, `${route} ${JSON.stringify(payload)}`);
      // Svix's HTTPValidationError: {detail: [{loc, msg, type}]}.
      const body = r.json();
      assert.deepEqual(body.detail[0].loc, ['body', field], `${route} names ${field}`);
      assert.equal(typeof body.detail[0].msg, 'string');
    }
    assert.equal(await tasks(), 0, 'no task was started');
  });

  it('refuses to replay to a polling endpoint, and 404s an unknown endpoint', async () => {
    const r = await post('replay-missing', { since: iso(1000) }, 'sink');
    assert.equal(r.statusCode, 422);
    assert.deepEqual(r.json().detail[0].loc, ['path', 'endpoint_id']);
    assert.equal((await post('bulk-replay', { since: iso(1000) }, 'nope')).statusCode, 404);
    assert.equal(await tasks(), 0);
  });

  it('starts a task for a good request (202, then listed); cancels it once (200), then 409; an unknown task 404s', async () => {
    const r = await post('bulk-replay', { since: iso(1000), eventTypes: ['user.created'], channel: 'eu' });
    assert.equal(r.statusCode, 202);
    const id = r.json().id as string;
    assert.match(id, /^qtask_/);
    assert.equal(r.json().task, 'endpoint.bulk-replay');
    assert.equal(await tasks(), 1);
    const cancel = (taskId: string) => h.call({ method: 'POST', url: `/api/v1/background-task/${taskId}/cancel` });
    const first = await cancel(id);
    assert.equal(first.statusCode, 200);
    assert.equal(first.json().status, 'failed');
    assert.equal(first.json().data.cancelled, true);
    const again = await cancel(id);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'conflict');
    assert.equal((await cancel('qtask_000000000000000000000000000')).statusCode, 404);
  });

  it('answers a dry run with the counts the task would have, and starts nothing', async () => {
    await h.call({ method: 'POST', url: '/api/v1/event-type', payload: { name: 'order.placed', description: 'x' } });
    await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://receiver.example/late', uid: 'late', filterTypes: ['order.placed'] },
    });
    for (const eventType of ['user.created', 'user.created', 'order.placed'])
      assert.equal(
        (await h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { eventType, payload: {} } })).statusCode,
        202,
      );
    const before = await tasks();
    const dry = async (route: string, payload: object) => {
      const r = await post(route, { since: iso(60_000), ...payload, dryRun: true }, 'late');
      assert.equal(r.statusCode, 200, route);
      return r.json();
    };
    // Filtered out: nothing is missing yet; then the filter widens and the two user.created are.
    assert.deepEqual((await dry('replay-missing', {})).data, { matched: 3, sent: 0, skipped: 3 });
    await h.call({ method: 'PATCH', url: '/api/v1/app/acme/endpoint/late', payload: { filterTypes: null } });
    const missing = await dry('replay-missing', {});
    assert.deepEqual(missing, { task: 'endpoint.replay', dryRun: true, data: { matched: 3, sent: 2, skipped: 1 } });
    assert.deepEqual((await dry('bulk-replay', { status: 0 })).data, { matched: 0, sent: 0, skipped: 0 });
    assert.equal((await dry('recover', {})).task, 'endpoint.recover');
    assert.equal(await tasks(), before, 'no task was started');
  });
});
