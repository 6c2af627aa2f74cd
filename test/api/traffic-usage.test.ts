import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ATTEMPT_SETTLE_MS, TrafficFeeder } from '../../src/usage/traffic-feed.js';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server.js';
import { postgresAvailable } from '../support/postgres.js';
import { startRecorder, type WebhookRecorder } from '../support/webhook-recorder.js';

const TOKEN = 'hr_admin_traffic_usage_0123456789';

/**
 * Meters over Hookrelay's own traffic, on each store: messages sent through the API and delivered
 * to a real receiver become `hookrelay.message.accepted` / `hookrelay.delivery.succeeded` usage
 * events per application (uid, else ID), counted once however often the feed runs. The feeder
 * runs here with a clock one settling time ahead, after the outcomes are written and their
 * second (an attempt ID's resolution) has passed; the server's own job is idle.
 */
for (const store of ['SQLite', 'PostgreSQL'] as const)
  describe(`metering Hookrelay's own traffic (${store})`, () => {
    let skip = false;
    let hookrelay: InProcessServer;
    let recorder: WebhookRecorder;
    let feeder: TrafficFeeder;
    let noUidApp = '';
    const started = Date.now();

    const api = (method: string, path: string, body?: unknown) => hookrelay.api(method, path, body);
    /** Feed twice (the second run must add nothing), once the second of the last outcome is over. */
    const feed = async () => {
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 50));
      const meters = [{ eventType: 'hookrelay.message.accepted' }, { eventType: 'hookrelay.delivery.succeeded' }];
      await feeder.run(meters);
      await feeder.run(meters);
    };
    /** The meter's count per subject (and group, when asked) over the whole test. */
    const counts = async (key: string, groupBy?: string) => {
      const q = new URLSearchParams({
        from: new Date(started - 60_000).toISOString(),
        to: new Date(Date.now() + 60_000).toISOString(),
      });
      if (groupBy) q.set('groupBy', groupBy);
      const res = await api('GET', `/api/v1/meter/${key}/query?${q}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const out: Record<string, number> = {};
      for (const r of res.body.data) {
        const k = groupBy ? `${r.subject}/${r.groupBy[groupBy]}` : r.subject;
        out[k] = (out[k] ?? 0) + r.value;
      }
      return out;
    };

    before(async () => {
      skip = store === 'PostgreSQL' && !(await postgresAvailable());
      if (skip) return;
      recorder = await startRecorder(undefined, '127.0.0.1', true);
      hookrelay = await startInProcessServer(store, TOKEN, { usageReportIntervalMs: 3_600_000 });
      // Attempts made up to now count as settled (the test waits for their outcomes first).
      feeder = new TrafficFeeder(hookrelay.server.store, { now: () => Date.now() + ATTEMPT_SETTLE_MS });
    });
    after(async () => {
      if (skip) return;
      await hookrelay.close();
      await recorder.close();
    });

    it('counts each message accepted and each delivery succeeded per application, once', async (t) => {
      if (skip) return t.skip('PostgreSQL is not reachable');
      // acme: 7 messages to 2 endpoints; globex: 4 to 1; a third app without a uid: 2 to 1.
      const plan = {
        acme: { messages: 7, endpoints: 2 },
        globex: { messages: 4, endpoints: 1 },
        '': { messages: 2, endpoints: 1 },
      };
      for (const [uid, p] of Object.entries(plan)) {
        const app = await api('POST', '/api/v1/app', uid ? { name: uid, uid } : { name: 'no uid' });
        assert.equal(app.status, 201);
        if (!uid) noUidApp = app.body.id;
        for (let e = 0; e < p.endpoints; e++)
          assert.equal(
            (await api('POST', `/api/v1/app/${app.body.id}/endpoint`, { url: `${recorder.url}/${uid}${e}` })).status,
            201,
          );
        for (let i = 0; i < p.messages; i++) {
          const eventType = i % 2 === 0 ? 'invoice.paid' : 'user.created';
          const msg = await api('POST', `/api/v1/app/${app.body.id}/msg`, { eventType, payload: { i } });
          assert.equal(msg.status, 202, JSON.stringify(msg.body));
        }
      }
      const deliveries = 7 * 2 + 4 + 2;
      for (let i = 0; i < 300 && recorder.requests.length < deliveries; i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.equal(recorder.requests.length, deliveries);

      for (const [key, eventType] of [
        ['messages', 'hookrelay.message.accepted'],
        ['deliveries', 'hookrelay.delivery.succeeded'],
      ])
        assert.equal(
          (
            await api('POST', '/api/v1/meter', {
              key,
              name: key,
              eventType,
              aggregation: 'count',
              groupBy: { type: '$.eventType' },
            })
          ).status,
          201,
        );
      // Outcomes are written after the receiver answers: wait for the last one before feeding.
      for (let i = 0; i < 100; i++) {
        const page = await api(
          'GET',
          `/api/v1/app/globex/attempt/endpoint/${(await api('GET', '/api/v1/app/globex/endpoint')).body.data[0].id}`,
        );
        if (page.body.data.length === 4) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await feed();

      assert.deepEqual(await counts('messages'), { acme: 7, globex: 4, [noUidApp]: 2 });
      assert.deepEqual(await counts('deliveries'), { acme: 14, globex: 4, [noUidApp]: 2 });
      assert.deepEqual(await counts('messages', 'type'), {
        'acme/invoice.paid': 4,
        'acme/user.created': 3,
        'globex/invoice.paid': 2,
        'globex/user.created': 2,
        [`${noUidApp}/invoice.paid`]: 1,
        [`${noUidApp}/user.created`]: 1,
      });
    });

    it('counts later traffic from where the feed stopped, and not a delivery that failed', async (t) => {
      if (skip) return t.skip('PostgreSQL is not reachable');
      const down = await api('POST', '/api/v1/app/globex/endpoint', { url: 'http://127.0.0.1:9/refused' });
      assert.equal(down.status, 201);
      const before = recorder.requests.length;
      assert.equal(
        (await api('POST', '/api/v1/app/globex/msg', { eventType: 'invoice.paid', payload: {} })).status,
        202,
      );
      for (let i = 0; i < 200 && recorder.requests.length < before + 1; i++)
        await new Promise((r) => setTimeout(r, 50));
      // The refused endpoint's first attempt is recorded as a failure.
      for (let i = 0; i < 200; i++) {
        const page = await api('GET', `/api/v1/app/globex/attempt/endpoint/${down.body.id}`);
        if (page.body.data.length > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await feed();
      assert.equal((await counts('messages')).globex, 5);
      assert.equal((await counts('deliveries')).globex, 5);
    });

    it('refuses hookrelay.* usage events from producers, and a meter of an unknown hookrelay.* type', async (t) => {
      if (skip) return t.skip('PostgreSQL is not reachable');
      const res = await api('POST', '/api/v1/usage/events', [
        { specversion: '1.0', id: 'x1', source: 'gw', type: 'hookrelay.message.accepted', subject: 'acme' },
        { specversion: '1.0', id: 'x2', source: 'gw', type: 'api.call', subject: 'acme' },
      ]);
      assert.equal(res.status, 200);
      assert.equal(res.body.accepted, 1);
      assert.deepEqual(
        res.body.rejected.map((r: { index: number }) => r.index),
        [0],
      );
      assert.match(res.body.rejected[0].reason, /Hookrelay's own traffic/);
      assert.equal((await counts('messages')).acme, 7);

      const bad = await api('POST', '/api/v1/meter', {
        key: 'bad',
        name: 'bad',
        eventType: 'hookrelay.attempt.failed',
        aggregation: 'count',
      });
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.body.detail[0].loc, ['body', 'eventType']);
      assert.match(bad.body.detail[0].msg, /hookrelay\.message\.accepted/);
    });
  });
