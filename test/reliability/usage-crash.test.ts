import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startRecorder } from '../support/webhook-recorder.js';
import { startCluster, storeAvailable, until, type StoreKind } from './replay-harness.js';
import { insideWindow, windowStart } from '../support/window-start.js';

/**
 * kill -9 while usage reports and threshold crossings are being produced: every worker process
 * is killed once messages have begun to arrive, and replaced. After the restart every report
 * (subject × hour) and every crossing (subject × multiple) arrives, each under exactly one
 * message ID (webhook-id); a delivery in flight at the kill may arrive twice under its one ID
 * (at-least-once), counted and printed. PostgreSQL: two worker processes, both killed.
 */

const SOAK = process.env.SOAK === '1';
const SUBJECTS = SOAK ? 100 : 40;
const HOURS = 48;
/** Usage this hour per subject, in units; the recurring threshold of 1 crosses at each. A run turns at most 1,000 rows into messages, once a second here, so the kill lands mid-way. */
const UNITS_NOW = SOAK ? 20 : 10;
const HOUR = 3_600_000;

for (const store of ['sqlite', 'postgres'] as StoreKind[]) {
  describe(`usage reports and thresholds survive kill -9 (${store})`, { timeout: 300_000 }, () => {
    it(`${SUBJECTS * HOURS} reports and ${SUBJECTS * UNITS_NOW} crossings, each once, across a kill of every worker`, async (t) => {
      if (!(await storeAvailable(store))) return t.skip('no PostgreSQL');
      const c = await startCluster(store, 2, { HOOKRELAY_USAGE_REPORT_INTERVAL_MS: '1000' });
      const r = await startRecorder();
      try {
        await c.client.expect(201, 'POST', '/api/v1/app', { name: 'Billing', uid: 'billing' });
        await c.client.expect(201, 'POST', '/api/v1/app/billing/endpoint', { url: r.url });
        // The hour written into must neither close mid-test (its report would be one message more) nor
        // be so new that the hour before is still checked for thresholds (crossings of the past events).
        await insideWindow(HOUR, { startMs: 15_000, endMs: 90_000 });
        const thisHour = windowStart(HOUR);
        const first = thisHour - HOURS * HOUR;
        const events: object[] = [];
        for (let s = 0; s < SUBJECTS; s++) {
          for (let h = 0; h < HOURS; h++)
            for (let k = 0; k < 3; k++)
              events.push({
                id: `p-${s}-${h}-${k}`,
                source: 'crash',
                type: 'units',
                subject: `cust-${s}`,
                time: new Date(first + h * HOUR + k * 1000).toISOString(),
                data: { n: 1 },
              });
          for (let k = 0; k < UNITS_NOW; k++)
            events.push({ id: `n-${s}-${k}`, source: 'crash', type: 'units', subject: `cust-${s}`, data: { n: 1 } });
        }
        for (let i = 0; i < events.length; i += 1000)
          await c.client.expect(200, 'POST', '/api/v1/usage/events', events.slice(i, i + 1000));
        await c.client.expect(201, 'POST', '/api/v1/meter', {
          key: 'units',
          name: 'Units',
          eventType: 'units',
          aggregation: 'count',
          report: { every: 'hour', graceSeconds: 0, deliverTo: 'billing', startAt: new Date(first).toISOString() },
          thresholds: [{ code: 'each', value: 1, recurring: true }],
        });

        const expected = SUBJECTS * HOURS + SUBJECTS * UNITS_NOW;
        await until('the first messages to arrive', () => r.distinct() >= 200, 120_000);
        const atKill = r.distinct();
        await Promise.all(c.workers.map((_, i) => c.replaceWorker(i))); // every worker killed at once
        assert.ok(atKill < expected, `the kill came mid-way (${atKill} of ${expected} had arrived)`);
        await until(`all ${expected} messages`, () => r.distinct() >= expected, 180_000);
        await new Promise((res) => setTimeout(res, 1500)); // a later run would show any second message

        const seen = new Map<string, string[]>();
        for (const [id, body] of r.payloads) {
          const { type, data } = body as { type: string; data: Record<string, unknown> };
          const key =
            type === 'usage.report'
              ? `report ${data.subject} ${data.periodStart} v${data.version}`
              : `crossing ${data.subject} ${data.periodStart} ${data.code} ×${data.multiple}`;
          seen.set(key, [...(seen.get(key) ?? []), id]);
          if (type === 'usage.report') assert.equal(data.value, 3, `${key}: three events an hour`);
          else assert.equal(Date.parse(String(data.periodStart)), thisHour, `${key}: crossed in the current hour`);
        }
        const twice = [...seen].filter(([, ids]) => ids.length > 1);
        assert.deepEqual(twice, [], 'no report or crossing under two message IDs');
        assert.equal(seen.size, expected, 'every report and crossing, nothing else');
        const reports = [...seen.keys()].filter((k) => k.startsWith('report'));
        assert.equal(reports.length, SUBJECTS * HOURS);
        assert.ok(
          reports.every((k) => k.endsWith(' v1')),
          'no late events: version 1 only',
        );
        console.log(
          `# usage kill -9 (${store}): ${atKill}/${expected} distinct messages had arrived at the kill; ` +
            `${r.duplicates()} redeliveries of one message ID after it`,
        );
      } finally {
        await r.close();
        await c.close();
      }
    });
  });
}
