import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { startInProcessServer, type InProcessServer } from '../support/in-process-server.js';
import { postgresAvailable } from '../support/postgres.js';
import { startRecorder, type WebhookRecorder } from '../support/webhook-recorder.js';
import { insideWindow, windowStart } from '../support/window-start.js';

const TOKEN = 'hr_admin_usage_reports_0123456789';
const DAY = 86_400_000;

// The days are fixed when the file loads: a UTC midnight during the run would make one more period due.
await insideWindow(DAY, { startMs: 15_000, endMs: 120_000 });

/**
 * Usage reports and thresholds end to end, on each store: a server (API and worker in one
 * process) with its reporting every 300 ms; meters reporting calendar days in UTC from three
 * days back, so three periods are due at once; a real receiver checks each message arrives once
 * (by webhook-id), signed, with the value computed here from the events sent.
 */
for (const store of ['SQLite', 'PostgreSQL'] as const)
  describe(`usage reports and thresholds as webhooks (${store})`, () => {
    let skip = false;
    let hookrelay: InProcessServer;
    let recorder: WebhookRecorder;
    const secrets = new Map<string, string>();
    const today = windowStart(DAY);
    const days = [today - 3 * DAY, today - 2 * DAY, today - DAY];

    const api = (method: string, path: string, body?: unknown) => hookrelay.api(method, path, body);
    /** The messages of `type` that arrived, by webhook-id, each checked against its endpoint's secret. */
    const arrived = (type: string) =>
      [...recorder.requests]
        .filter((r) => JSON.parse(r.body).type === type)
        .map((r) => {
          const app = r.url.split('/').pop()!;
          new Webhook(secrets.get(app)!).verify(r.body, r.headers as Record<string, string>);
          return { id: String(r.headers['webhook-id']), app, data: JSON.parse(r.body).data };
        });
    const until = async (what: string, ok: () => boolean) => {
      for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(ok(), `timed out waiting for ${what}`);
    };

    before(async () => {
      skip = store === 'PostgreSQL' && !(await postgresAvailable());
      if (skip) return;
      recorder = await startRecorder(undefined, '127.0.0.1', true);
      hookrelay = await startInProcessServer(store, TOKEN, { usageReportIntervalMs: 300 });
      for (const uid of ['acme', 'globex', 'billing']) {
        assert.equal((await api('POST', '/api/v1/app', { name: uid, uid })).status, 201);
        const ep = await api('POST', `/api/v1/app/${uid}/endpoint`, { url: `${recorder.url}/${uid}` });
        assert.equal(ep.status, 201, JSON.stringify(ep.body));
        secrets.set(uid, (await api('GET', `/api/v1/app/${uid}/endpoint/${ep.body.id}/secret`)).body.key);
      }
    });
    after(async () => {
      if (skip) return;
      await hookrelay.close();
      await recorder.close();
    });

    /** Events of three past days and today, shuffled; the sums per (subject, day) and route computed here. */
    const expected = new Map<string, number>();
    const byRoute = new Map<string, number>();
    const events: object[] = [];
    let n = 0;
    for (const subject of ['acme', 'globex'])
      for (const day of days)
        for (let i = 0; i < 40; i++) {
          const tokens = 1 + ((i * 7 + subject.length) % 13);
          const route = i % 3 === 0 ? '/export' : '/search';
          const time = day + 1000 + i * 60_000;
          events.push({
            id: `e${n++}`,
            source: 'gw',
            type: 'api.call',
            subject,
            time: new Date(time).toISOString(),
            data: { tokens, route },
          });
          expected.set(`${subject}/${day}`, (expected.get(`${subject}/${day}`) ?? 0) + tokens);
          byRoute.set(`${subject}/${day}/${route}`, (byRoute.get(`${subject}/${day}/${route}`) ?? 0) + tokens);
        }
    events.reverse();

    it('reports each subject and day once, signed, with the exact value; to the subject or to one application', async (t) => {
      if (skip) return t.skip('PostgreSQL unavailable');
      const ingest = await api('POST', '/api/v1/usage/events', events);
      assert.equal(ingest.body.accepted, events.length);
      const report = { every: 'day', timezone: 'UTC', graceSeconds: 0, startAt: new Date(days[0]).toISOString() };
      const meter = (key: string, over: object) =>
        api('POST', '/api/v1/meter', {
          key,
          name: key,
          eventType: 'api.call',
          aggregation: 'sum',
          valueProperty: '$.tokens',
          ...over,
        });
      assert.equal(
        (await meter('tokens', { groupBy: { route: '$.route' }, report: { ...report, deliverTo: 'subject' } })).status,
        201,
      );
      assert.equal((await meter('tokens-billing', { report: { ...report, deliverTo: 'billing' } })).status, 201);

      await until('six reports to the subjects and six to billing', () => arrived('usage.report').length >= 12);
      await new Promise((r) => setTimeout(r, 1000)); // a second look: nothing more arrives
      const reports = arrived('usage.report');
      assert.equal(reports.length, 12, 'one message per (meter, subject, day)');
      assert.equal(new Set(reports.map((r) => r.id)).size, 12, 'no webhook-id twice');
      for (const r of reports) {
        const key = `${r.data.subject}/${Date.parse(r.data.periodStart)}`;
        assert.equal(r.data.value, expected.get(key), `value of ${key}`);
        assert.equal(r.data.version, 1);
        assert.equal(Date.parse(r.data.periodEnd) - Date.parse(r.data.periodStart), DAY);
        assert.equal(r.app, r.data.meter === 'tokens' ? r.data.subject : 'billing');
        if (r.data.meter === 'tokens')
          for (const g of r.data.groups)
            assert.equal(g.value, byRoute.get(`${key}/${g.groupBy.route}`), `${key} ${g.groupBy.route}`);
      }
      const types = await api('GET', '/api/v1/event-type/usage.report');
      assert.equal(types.status, 200, 'usage.report is in the catalog');
      assert.ok(types.body.schemas['1'].examples.length > 0, 'with an example');
    });

    it('a late event inside a reported day produces version 2 with the corrected value, listed in the audit', async (t) => {
      if (skip) return t.skip('PostgreSQL unavailable');
      const late = {
        id: 'late-1',
        source: 'gw',
        type: 'api.call',
        subject: 'acme',
        time: new Date(days[1] + 5000).toISOString(),
        data: { tokens: 1000, route: '/search' },
      };
      assert.equal((await api('POST', '/api/v1/usage/events', late)).body.accepted, 1);
      const v2 = () => arrived('usage.report').filter((r) => r.data.version === 2);
      await until('version 2 of acme, day 2, to acme and to billing', () => v2().length >= 2);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(v2().length, 2, 'one correction per meter');
      for (const r of v2()) {
        assert.equal(r.data.subject, 'acme');
        assert.equal(Date.parse(r.data.periodStart), days[1]);
        assert.equal(r.data.value, expected.get(`acme/${days[1]}`)! + 1000);
      }
      const audit = await api('GET', '/api/v1/meter/tokens/report?subject=acme&limit=50');
      assert.equal(audit.status, 200);
      const versions = audit.body.data
        .filter((x: { periodStart: string }) => Date.parse(x.periodStart) === days[1])
        .map((x: { version: number; status: string }) => [x.version, x.status]);
      assert.deepEqual(versions.sort(), [
        [1, 'sent'],
        [2, 'sent'],
      ]);
    });

    it('thresholds fire once per code and multiple in the current period', async (t) => {
      if (skip) return t.skip('PostgreSQL unavailable');
      const patched = await api('PATCH', '/api/v1/meter/tokens', {
        thresholds: [
          { code: 'over-100', value: 100 },
          { code: 'each-50', value: 50, recurring: true },
        ],
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      const spend = (id: string, tokens: number) =>
        api('POST', '/api/v1/usage/events', {
          id,
          source: 'gw',
          type: 'api.call',
          subject: 'globex',
          data: { tokens, route: '/search' },
        });
      await spend('now-1', 60);
      await spend('now-2', 60); // 120: over-100 once, each-50 ×1 and ×2
      const crossed = () => arrived('usage.threshold.crossed').map((r) => `${r.data.code}×${r.data.multiple}`);
      await until('three crossings', () => crossed().length >= 3);
      await spend('now-3', 40); // 160: each-50 ×3 only
      await until('the fourth crossing', () => crossed().length >= 4);
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(crossed().sort(), ['each-50×1', 'each-50×2', 'each-50×3', 'over-100×1']);
      assert.ok(arrived('usage.threshold.crossed').every((r) => r.app === 'globex'));
    });

    it('refuses what cannot apply: an unknown time zone or application, a code twice', async (t) => {
      if (skip) return t.skip('PostgreSQL unavailable');
      const bad = (report: object, thresholds: object[] = []) =>
        api('POST', '/api/v1/meter', {
          key: 'bad',
          name: 'bad',
          eventType: 'x',
          aggregation: 'count',
          report,
          thresholds,
        });
      const zone = await bad({ every: 'day', timezone: 'Mars/Olympus', deliverTo: 'subject' });
      assert.equal(zone.status, 422);
      assert.match(zone.body.detail[0].msg, /Mars\/Olympus is not an IANA time zone/);
      assert.equal((await bad({ every: 'day', deliverTo: 'nobody' })).status, 422);
      assert.equal((await bad({ every: 'week', deliverTo: 'subject' })).status, 422);
      const twice = await bad({ every: 'day', deliverTo: 'subject' }, [
        { code: 'a', value: 1 },
        { code: 'a', value: 2 },
      ]);
      assert.equal(twice.status, 422);
      assert.equal((await api('GET', '/api/v1/meter/bad')).status, 404, 'nothing half-written');
    });
  });
