import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeliveryWorker } from '../../src/delivery/worker.js';
import { startReceiver, type Receiver } from '../delivery/receiver.js';
import { startWorker, waitFor, workerConfig } from '../delivery/worker-harness.js';
import { harness, type Harness } from './api-harness.js';

/**
 * Statistics over real deliveries: a worker sends three messages of app `acme` to a receiver on
 * 127.0.0.1 that answers 200 on /good and 500 on /bad, until the /bad deliveries run out of
 * retries. The Svix statistics routes and the operator's views must count exactly what the
 * attempt logs hold.
 */
describe('statistics API over real deliveries', () => {
  let h: Harness;
  let receiver: Receiver;
  let worker: DeliveryWorker;
  let good: { id: string };
  let bad: { id: string };
  let badAttempts: number;
  let appToken: string;
  let otherToken: string;
  let t0: number;
  const q = (params: Record<string, string | number>) =>
    new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

  before(async () => {
    t0 = Date.now();
    receiver = await startReceiver((req, res) => {
      if (req.url.startsWith('/bad')) {
        res.statusCode = 500;
        res.end('down');
      } else res.end('ok');
    });
    h = await harness({ allowNetworks: ['127.0.0.0/8'] });
    worker = startWorker(h.store, workerConfig({ retrySchedule: [0, 0.05, 0.05] })).worker;
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Quiet', uid: 'quiet' } });
    good = (
      await h.call({
        method: 'POST',
        url: '/api/v1/app/acme/endpoint',
        payload: { url: receiver.url.replace('/hook', '/good'), uid: 'good' },
      })
    ).json();
    bad = (
      await h.call({
        method: 'POST',
        url: '/api/v1/app/acme/endpoint',
        payload: { url: receiver.url.replace('/hook', '/bad'), uid: 'bad' },
      })
    ).json();
    for (const eventType of ['order.paid', 'order.paid', 'order.refunded']) {
      assert.equal(
        (await h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { eventType, payload: { eventType } } }))
          .statusCode,
        202,
      );
    }
    const stats = async (ep: string) =>
      (await h.call({ method: 'GET', url: `/api/v1/app/acme/endpoint/${ep}/stats` })).json();
    await waitFor(
      async () => (await stats('good')).success === 3 && (await stats('bad')).fail === 3,
      10_000,
      'every delivery settled',
    );
    await worker.stop();
    const attempts = (await h.call({ method: 'GET', url: `/api/v1/app/acme/attempt/endpoint/bad?limit=250` })).json();
    badAttempts = attempts.data.length;
    assert.equal(badAttempts, 9, 'three attempts per /bad delivery (the schedule has three entries)');
    appToken = (await h.call({ method: 'POST', url: '/api/v1/auth/app-portal-access/acme', payload: {} })).json().token;
    otherToken = (await h.call({ method: 'POST', url: '/api/v1/auth/app-portal-access/quiet', payload: {} })).json()
      .token;
  });
  after(async () => {
    await worker?.stop();
    await h?.close();
    await receiver?.close();
  });

  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const window = () => ({
    since: new Date(t0 - 60_000).toISOString(),
    until: new Date(Date.now() + 60_000).toISOString(),
  });

  describe('Svix statistics of one application', () => {
    it('counts attempts per period from startDate rounded down to the period, by endpoint and event type', async () => {
      const { since, until } = window();
      const res = await h.call({
        method: 'GET',
        url: `/api/v1/stats/app/acme/attempt?${q({ startDate: since, endDate: until, period: 'FiveMinutes' })}`,
      });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.period, 'FiveMinutes');
      assert.equal(Date.parse(body.startDate) % 300_000, 0);
      assert.ok(Date.parse(body.startDate) <= Date.parse(since));
      assert.equal(body.endDate, until);
      const points = Math.ceil((Date.parse(until) - Date.parse(body.startDate)) / 300_000);
      for (const series of ['successCount', 'failureCount', 'canceledCount'])
        assert.equal(body.data[series].length, points, series);
      assert.equal(sum(body.data.successCount), 3);
      assert.equal(sum(body.data.failureCount), badAttempts);
      assert.equal(sum(body.data.canceledCount), 0);

      const ofBad = (
        await h.call({
          method: 'GET',
          url: `/api/v1/stats/app/acme/attempt?${q({ startDate: since, endDate: until, endpointId: 'bad' })}`,
        })
      ).json();
      assert.equal(ofBad.period, 'OneHour');
      assert.deepEqual([sum(ofBad.data.successCount), sum(ofBad.data.failureCount)], [0, badAttempts]);
      const refunds = (
        await h.call({
          method: 'GET',
          url: `/api/v1/stats/app/acme/attempt?${q({ startDate: since, endDate: until, event_types: 'order.refunded' })}`,
        })
      ).json();
      assert.deepEqual([sum(refunds.data.successCount), sum(refunds.data.failureCount)], [1, badAttempts / 3]);
      const ofGood = (
        await h.call({
          method: 'GET',
          url: `/api/v1/stats/app/acme/attempt?${q({ startDate: since, endDate: until, endpointId: good.id })}`,
        })
      ).json();
      assert.deepEqual([sum(ofGood.data.successCount), sum(ofGood.data.failureCount)], [3, 0]);
      const byDefault = (await h.call({ method: 'GET', url: '/api/v1/stats/app/acme/attempt' })).json();
      assert.equal(byDefault.period, 'OneHour');
      assert.ok(
        byDefault.data.successCount.length === 24 || byDefault.data.successCount.length === 25,
        'a day of hours',
      );
      assert.equal(sum(byDefault.data.successCount), 3);
      const quiet = (await h.call({ method: 'GET', url: '/api/v1/stats/app/quiet/attempt?period=OneDay' })).json();
      assert.equal(sum(quiet.data.successCount) + sum(quiet.data.failureCount), 0);
    });

    it('counts attempts by event type between since and until', async () => {
      const { since, until } = window();
      const res = await h.call({ method: 'GET', url: `/api/v1/app/acme/stats/attempts?${q({ since, until })}` });
      assert.equal(res.statusCode, 200);
      const per = badAttempts / 3;
      assert.deepEqual(res.json(), {
        by_event_type: {
          'order.paid': { success: 2, failure: 2 * per, canceled: 0 },
          'order.refunded': { success: 1, failure: per, canceled: 0 },
        },
        total_success: 3,
        total_failure: badAttempts,
        total_canceled: 0,
        since,
        until,
      });
      const paid = (
        await h.call({
          method: 'GET',
          url: `/api/v1/app/acme/stats/attempts?${q({ since, until, event_types: 'order.paid' })}`,
        })
      ).json();
      assert.deepEqual(Object.keys(paid.by_event_type), ['order.paid']);
      const before = (
        await h.call({
          method: 'GET',
          url: `/api/v1/app/acme/stats/attempts?${q({ since: '2020-01-01T00:00:00Z', until: '2020-01-02T00:00:00Z' })}`,
        })
      ).json();
      assert.deepEqual([before.by_event_type, before.total_success, before.total_failure], [{}, 0, 0]);
    });

    it("refuses bad dates, reversed ranges, too many points, unknown apps and endpoints, and other apps' tokens", async () => {
      const expect422 = async (url: string, loc: Array<string | number>) => {
        const res = await h.call({ method: 'GET', url });
        assert.equal(res.statusCode, 422, url);
        assert.deepEqual(res.json().detail[0].loc, loc, url);
      };
      await expect422('/api/v1/stats/app/acme/attempt?startDate=yesterday', ['query', 'startDate']);
      await expect422('/api/v1/stats/app/acme/attempt?period=OneWeek', ['query', 'period']);
      await expect422(
        `/api/v1/stats/app/acme/attempt?${q({ startDate: '2026-01-02T00:00:00Z', endDate: '2026-01-01T00:00:00Z' })}`,
        ['query', 'endDate'],
      );
      await expect422(
        `/api/v1/stats/app/acme/attempt?${q({ startDate: '2026-01-01T00:00:00Z', endDate: '2026-02-01T00:00:00Z', period: 'FiveMinutes' })}`,
        ['query', 'startDate'],
      );
      await expect422('/api/v1/app/acme/stats/attempts?until=2026-01-01T00:00:00Z', ['query', 'since']);
      await expect422(
        `/api/v1/app/acme/stats/attempts?${q({ since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' })}`,
        ['query', 'until'],
      );
      await expect422(
        `/api/v1/app/acme/stats/attempts?${q({ since: '2026-02-30T00:00:00Z', until: '2026-03-01T00:00:00Z' })}`,
        ['query', 'since'],
      );
      for (const url of [
        '/api/v1/stats/app/ghost/attempt',
        `/api/v1/app/ghost/stats/attempts?${q(window())}`,
        '/api/v1/stats/app/acme/attempt?endpointId=ghost',
      ]) {
        const res = await h.call({ method: 'GET', url });
        assert.equal(res.statusCode, 404, url);
        assert.equal(res.json().code, 'not_found');
      }
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/stats/app/acme/attempt', token: appToken })).statusCode,
        200,
      );
      assert.equal(
        (await h.call({ method: 'GET', url: `/api/v1/app/acme/stats/attempts?${q(window())}`, token: appToken }))
          .statusCode,
        200,
      );
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/stats/app/acme/attempt', token: otherToken })).statusCode,
        403,
      );
      assert.equal(
        (await h.call({ method: 'GET', url: `/api/v1/app/acme/stats/attempts?${q(window())}`, token: otherToken }))
          .statusCode,
        403,
      );
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/stats/app/acme/attempt', token: null })).statusCode,
        401,
      );
    });
  });

  describe('operator views (admin only)', () => {
    it('overview: deliveries per minute, first-attempt latency, queue, endpoint and app totals', async () => {
      const res = await h.call({ method: 'GET', url: '/api/v1/stats/overview?minutes=5' });
      assert.equal(res.statusCode, 200);
      const o = res.json();
      assert.equal(o.perMinute.length, 5);
      const minutes = o.perMinute.map((m: { minute: string }) => Date.parse(m.minute));
      assert.ok(
        minutes.every((m: number, i: number) => m % 60_000 === 0 && (i === 0 || m - minutes[i - 1] === 60_000)),
        'whole, consecutive minutes',
      );
      assert.equal(o.since, o.perMinute[0].minute);
      const total = (k: string) => sum(o.perMinute.map((m: Record<string, number>) => m[k]));
      assert.deepEqual(
        { succeeded: total('succeeded'), failed: total('failed'), retrying: total('retrying') },
        { succeeded: 3, failed: 3, retrying: badAttempts - 3 },
      );
      assert.equal(o.latencyMs.count, 6, 'one first attempt per delivery');
      assert.ok(
        o.latencyMs.p50 >= 0 && o.latencyMs.p99 >= o.latencyMs.p50 && o.latencyMs.p99 < 10_000,
        JSON.stringify(o.latencyMs),
      );
      assert.deepEqual(o.queue, { depth: 0, oldestPendingAgeMs: 0 });
      assert.deepEqual(o.endpoints, { total: 2, disabled: 0, failing: 1 });
      assert.deepEqual(o.apps, { total: 2 });
      const byDefault = (await h.call({ method: 'GET', url: '/api/v1/stats/overview' })).json();
      assert.equal(byDefault.perMinute.length, 60);
      for (const minutes of ['0', '1441', 'abc'])
        assert.equal(
          (await h.call({ method: 'GET', url: `/api/v1/stats/overview?minutes=${minutes}` })).statusCode,
          422,
          minutes,
        );
    });

    it('overview: a due delivery that waits shows in the queue with its age', async () => {
      const stuck = (
        await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Stuck', uid: 'stuck' } })
      ).json();
      await h.call({ method: 'POST', url: '/api/v1/app/stuck/endpoint', payload: { url: receiver.url } });
      await h.call({ method: 'POST', url: '/api/v1/app/stuck/msg', payload: { eventType: 'x', payload: {} } });
      await new Promise((r) => setTimeout(r, 30));
      const o = (await h.call({ method: 'GET', url: '/api/v1/stats/overview?minutes=1' })).json();
      assert.equal(o.queue.depth, 1);
      assert.ok(o.queue.oldestPendingAgeMs >= 30, `age ${o.queue.oldestPendingAgeMs}`);
      assert.equal((await h.call({ method: 'DELETE', url: `/api/v1/app/${stuck.id}` })).statusCode, 204);
    });

    it('app health: the apps asked for, or those with activity; success rate null without attempts', async () => {
      const { since, until } = window();
      const res = await h.call({
        method: 'GET',
        url: `/api/v1/stats/app-health?${q({ appIds: 'acme,quiet', since, until })}`,
      });
      assert.equal(res.statusCode, 200);
      const acmeId = (await h.call({ method: 'GET', url: '/api/v1/app/acme' })).json().id;
      const quietId = (await h.call({ method: 'GET', url: '/api/v1/app/quiet' })).json().id;
      const rows = res.json().data;
      assert.deepEqual(
        rows,
        [
          {
            appId: acmeId,
            success: 3,
            failure: badAttempts,
            successRate: 3 / (3 + badAttempts),
            failingEndpoints: 1,
            disabledEndpoints: 0,
          },
          { appId: quietId, success: 0, failure: 0, successRate: null, failingEndpoints: 0, disabledEndpoints: 0 },
        ].sort((a, b) => (a.appId < b.appId ? -1 : 1)),
      );
      const active = (await h.call({ method: 'GET', url: '/api/v1/stats/app-health' })).json().data;
      assert.deepEqual(
        active.map((r: { appId: string }) => r.appId),
        [acmeId],
      );
      const repeated = (
        await h.call({ method: 'GET', url: `/api/v1/stats/app-health?appIds=quiet&appIds=${quietId}` })
      ).json().data;
      assert.equal(repeated.length, 1, 'one row per app however it is named');
      assert.equal((await h.call({ method: 'GET', url: '/api/v1/stats/app-health?appIds=ghost' })).statusCode, 404);
      assert.equal(
        (
          await h.call({
            method: 'GET',
            url: `/api/v1/stats/app-health?${q({ since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' })}`,
          })
        ).statusCode,
        422,
      );
      assert.equal((await h.call({ method: 'GET', url: '/api/v1/stats/app-health?since=last-week' })).statusCode, 422);
      const many = Array.from({ length: 101 }, (_, i) => `app${i}`).join(',');
      assert.equal((await h.call({ method: 'GET', url: `/api/v1/stats/app-health?appIds=${many}` })).statusCode, 422);
    });

    it('failing endpoints: the failing one with its app, latest attempt and exhaustion; paged; by app', async () => {
      const res = await h.call({ method: 'GET', url: '/api/v1/stats/failing-endpoints' });
      assert.equal(res.statusCode, 200);
      const page = res.json();
      assert.equal(page.done, true);
      assert.equal(page.data.length, 1);
      const [row] = page.data;
      assert.equal(row.endpointId, bad.id);
      assert.equal(row.endpointUid, 'bad');
      assert.deepEqual([row.appUid, row.appName, row.disabled, row.exhausted], ['acme', 'Acme', false, true]);
      assert.equal(row.url, receiver.url.replace('/hook', '/bad'));
      assert.ok(Date.parse(row.failingSince) >= t0);
      const latest = (await h.call({ method: 'GET', url: '/api/v1/app/acme/attempt/endpoint/bad?limit=1' })).json()
        .data[0];
      assert.deepEqual(row.lastAttempt, {
        id: latest.id,
        msgId: latest.msgId,
        responseStatusCode: 500,
        response: 'down',
        timestamp: latest.timestamp,
      });

      // A second failing endpoint, in another app: two pages of one.
      const quietEp = (
        await h.call({ method: 'POST', url: '/api/v1/app/quiet/endpoint', payload: { url: receiver.url } })
      ).json();
      const quietApp = (await h.call({ method: 'GET', url: '/api/v1/app/quiet' })).json();
      await h.store.updateEndpoint(quietApp.id, quietEp.id, { failingSince: Date.now() }, Date.now());
      const first = (await h.call({ method: 'GET', url: '/api/v1/stats/failing-endpoints?limit=1' })).json();
      const second = (
        await h.call({ method: 'GET', url: `/api/v1/stats/failing-endpoints?limit=1&iterator=${first.iterator}` })
      ).json();
      assert.deepEqual([first.done, second.done], [false, true]);
      assert.deepEqual([first.data[0].endpointId, second.data[0].endpointId], [bad.id, quietEp.id].sort());
      const ofQuiet = (await h.call({ method: 'GET', url: '/api/v1/stats/failing-endpoints?appId=quiet' })).json();
      assert.deepEqual(
        ofQuiet.data.map((r: { endpointId: string; lastAttempt: unknown; exhausted: boolean }) => [
          r.endpointId,
          r.lastAttempt,
          r.exhausted,
        ]),
        [[quietEp.id, null, false]],
      );
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/stats/failing-endpoints?appId=ghost' })).statusCode,
        404,
      );
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/stats/failing-endpoints?iterator=nope' })).statusCode,
        400,
      );
    });

    it('refuses app tokens (403) and missing tokens (401)', async () => {
      for (const url of [
        '/api/v1/stats/overview',
        '/api/v1/stats/app-health',
        '/api/v1/stats/failing-endpoints',
        '/api/v1/app?search=acme',
      ]) {
        const res = await h.call({ method: 'GET', url, token: appToken });
        assert.equal(res.statusCode, 403, url);
        assert.equal((await h.call({ method: 'GET', url, token: null })).statusCode, 401, url);
      }
    });
  });
});
