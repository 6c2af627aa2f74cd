import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { startRecorder } from '../support/webhook-recorder.js';
import { startCluster, storeAvailable, until, type StoreKind } from './replay-harness.js';
import { insideWindow, windowStart } from '../support/window-start.js';

/**
 * Exactness at scale: EVENTS usage events over 50 subjects and three past days, sent in batches
 * of 1,000 in reverse time order with a fifth of the batches sent twice (same IDs). Each
 * aggregation's query, per subject and per day, equals what this test computes from the events
 * it sent; the daily report of each subject arrives once, signed, with the same value; a late
 * event produces version 2; a threshold crossed today fires once per subject.
 */

// The 100,000 with SOAK=1 (`npm run test:acceptance`, which CI runs); fewer in npm test.
const EVENTS = process.env.SOAK === '1' ? 100_000 : 25_000;
const SUBJECTS = 50;
const DAY = 86_400_000;

type Ev = { id: string; subject: string; time: number; tokens: number; user: string; region: string };

/** Deterministic pseudo-random numbers (a test that fails must fail the same way again). */
function random(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

for (const store of ['sqlite', 'postgres'] as StoreKind[]) {
  describe(`usage meters are exact (${store})`, { timeout: 300_000 }, () => {
    it(`${EVENTS} events, every aggregation per subject and day; reports once; a late event's version 2; thresholds once`, async (t) => {
      if (!(await storeAvailable(store))) return t.skip('no PostgreSQL');
      const c = await startCluster(store, 1, { HOOKRELAY_USAGE_REPORT_INTERVAL_MS: '400' });
      const r = await startRecorder(undefined, '127.0.0.1', true);
      try {
        // Today must neither end mid-test (its report and threshold would land on another day) nor be so
        // new that yesterday is still checked for thresholds.
        await insideWindow(DAY, { startMs: 15_000, endMs: 120_000 });
        const today = windowStart(DAY);
        const days = [today - 3 * DAY, today - 2 * DAY, today - DAY];
        const rnd = random(42);
        const events: Ev[] = Array.from({ length: EVENTS }, (_, i) => ({
          id: `ev-${i}`,
          subject: `cust-${i % SUBJECTS}`,
          time: days[0] + Math.floor((i / EVENTS) * 3 * DAY), // distinct times: `last` has no ties
          tokens: 1 + Math.floor(rnd() * 500),
          user: `u${Math.floor(rnd() * 300)}`,
          region: rnd() < 0.5 ? 'eu' : 'us',
        }));
        const wire = (e: Ev) => ({
          id: e.id,
          source: 'exact',
          type: 'tokens',
          subject: e.subject,
          time: new Date(e.time).toISOString(),
          data: { tokens: e.tokens, user: e.user, region: e.region },
        });
        const batches: Ev[][] = [];
        for (let i = EVENTS; i > 0; i -= 1000) batches.push(events.slice(Math.max(0, i - 1000), i).reverse());
        let accepted = 0;
        for (const [i, b] of batches.entries()) {
          const first = await c.client.expect(200, 'POST', '/api/v1/usage/events', b.map(wire));
          accepted += first.accepted;
          if (i % 5 === 0) {
            const again = await c.client.expect(200, 'POST', '/api/v1/usage/events', b.map(wire));
            assert.deepEqual([again.accepted, again.duplicates], [0, b.length], 'a retried batch counts nothing');
          }
        }
        assert.equal(accepted, EVENTS);

        await c.client.expect(201, 'POST', '/api/v1/app', { name: 'Billing', uid: 'billing' });
        const ep = await c.client.expect(201, 'POST', '/api/v1/app/billing/endpoint', { url: r.url });
        const secret = (await c.client.expect(200, 'GET', `/api/v1/app/billing/endpoint/${ep.id}/secret`)).key;
        const values: Record<string, { prop?: string; of: (es: Ev[]) => number }> = {
          count: { of: (es) => es.length },
          sum: { prop: '$.tokens', of: (es) => es.reduce((a, e) => a + e.tokens, 0) },
          max: { prop: '$.tokens', of: (es) => Math.max(...es.map((e) => e.tokens)) },
          last: { prop: '$.tokens', of: (es) => es.reduce((a, e) => (e.time > a.time ? e : a)).tokens },
          unique_count: { prop: '$.user', of: (es) => new Set(es.map((e) => e.user)).size },
        };
        for (const [aggregation, v] of Object.entries(values))
          await c.client.expect(201, 'POST', '/api/v1/meter', {
            key: aggregation,
            name: aggregation,
            eventType: 'tokens',
            aggregation,
            valueProperty: v.prop ?? null,
            groupBy: { region: '$.region' },
            ...(aggregation === 'sum'
              ? {
                  report: {
                    every: 'day',
                    graceSeconds: 0,
                    deliverTo: 'billing',
                    startAt: new Date(days[0]).toISOString(),
                  },
                  thresholds: [{ code: 'big-today', value: 1000 }],
                }
              : {}),
          });

        const from = new Date(days[0]).toISOString();
        const to = new Date(today).toISOString();
        let compared = 0;
        for (const [aggregation, v] of Object.entries(values)) {
          const q = await c.client.expect(
            200,
            'GET',
            `/api/v1/meter/${aggregation}/query?from=${from}&to=${to}&windowSize=day&groupBy=region`,
          );
          const got = new Map<string, number>(
            q.data.map((row: any) => [`${row.subject} ${row.windowStart} ${row.groupBy.region}`, row.value]),
          );
          const want = new Map<string, Ev[]>();
          for (const e of events) {
            const k = `${e.subject} ${new Date(e.time - (e.time % DAY)).toISOString()} ${e.region}`;
            want.set(k, [...(want.get(k) ?? []), e]);
          }
          assert.equal(got.size, want.size, `${aggregation}: one row per subject, day and region`);
          for (const [k, es] of want) {
            assert.equal(got.get(k), v.of(es), `${aggregation} of ${k}`);
            compared++;
          }
        }
        assert.equal(compared, 5 * SUBJECTS * 3 * 2);

        // The daily reports of the sum meter, and a threshold crossed today by each subject.
        for (let s = 0; s < SUBJECTS; s++)
          await c.client.expect(200, 'POST', '/api/v1/usage/events', [
            {
              id: `today-${s}`,
              source: 'exact',
              type: 'tokens',
              subject: `cust-${s}`,
              data: { tokens: 1500, region: 'eu' },
            },
          ]);
        const arrived = (type: string) =>
          r.requests
            .filter((q) => JSON.parse(q.body).type === type)
            .map((q) => {
              new Webhook(secret).verify(q.body, q.headers as Record<string, string>);
              return { id: String(q.headers['webhook-id']), data: JSON.parse(q.body).data };
            });
        await until(
          '150 reports and 50 crossings',
          () => arrived('usage.report').length >= 150 && arrived('usage.threshold.crossed').length >= 50,
          120_000,
        ).catch((err: Error) => {
          const n = (type: string) => arrived(type).length;
          const logs = c.workers.map((w) => w.output().slice(-3000)).join('\n');
          throw new Error(
            `${err.message}: ${n('usage.report')} reports, ${n('usage.threshold.crossed')} crossings\n${logs}`,
          );
        });
        const sumOf = (subject: string, day: number) =>
          values.sum.of(events.filter((e) => e.subject === subject && e.time >= day && e.time < day + DAY));
        for (const { data } of arrived('usage.report'))
          assert.equal(
            data.value,
            sumOf(data.subject, Date.parse(data.periodStart)),
            `report ${data.subject} ${data.periodStart}`,
          );

        const late = {
          id: 'late',
          source: 'exact',
          type: 'tokens',
          subject: 'cust-7',
          time: new Date(days[1] + 1).toISOString(),
          data: { tokens: 5, region: 'us' },
        };
        await c.client.expect(200, 'POST', '/api/v1/usage/events', late);
        await until('version 2', () => arrived('usage.report').some((x) => x.data.version === 2), 60_000);
        await new Promise((res) => setTimeout(res, 1500));
        const reports = arrived('usage.report');
        assert.equal(reports.length, 151, 'each subject and day once, and one correction');
        assert.equal(new Set(reports.map((x) => x.id)).size, 151, 'each under its own webhook-id');
        const v2 = reports.find((x) => x.data.version === 2)!.data;
        assert.deepEqual(
          [v2.subject, Date.parse(v2.periodStart), v2.value],
          ['cust-7', days[1], sumOf('cust-7', days[1]) + 5],
        );
        const crossings = arrived('usage.threshold.crossed');
        assert.equal(crossings.length, SUBJECTS, 'one crossing per subject');
        assert.equal(new Set(crossings.map((x) => x.data.subject)).size, SUBJECTS);
      } finally {
        await r.close();
        await c.close();
      }
    });
  });
}
