import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NewMessage } from '../../src/domain/model.js';
import { newId } from '../../src/ids.js';
import { Outbox } from '../../src/outbox/outbox.js';
import type { Store } from '../../src/store/store.js';
import { UsageReporter } from '../../src/usage/usage-reporter.js';
import { openSqliteStore } from '../api/api-harness.js';

const HOUR = 3_600_000;
const T = Date.parse('2026-12-01T00:00:00Z');

/**
 * The reporter on a real store with an injected clock: hours pass in a call, not in a sleep.
 * Messages go through a real Outbox into the store; `sent` records every submit and its result.
 */
describe('usage reporter (injected clock)', () => {
  let store: Store;
  let cleanup: () => void;
  let now = T;
  const sent: Array<{ eventId: string | null; ok: boolean }> = [];
  let failSubmits = false;
  const reporter = () => {
    const outbox = new Outbox(store);
    return new UsageReporter({
      store,
      outbox: {
        async submit(m: NewMessage) {
          if (failSubmits) throw new Error('the process died here');
          const r = await outbox.submit(m);
          sent.push({ eventId: m.eventId, ok: r.ok });
          return r;
        },
      },
      retentionDays: 30,
      clock: { now: () => now },
      logger: { warn: () => {} },
    });
  };

  before(async () => {
    ({ store, cleanup } = await openSqliteStore());
    await store.createApplication({
      id: newId('application'),
      uid: 'acme',
      name: 'acme',
      rateLimit: null,
      metadata: {},
      now: T,
    });
    await store.createMeter({
      key: 'calls',
      name: 'calls',
      eventType: 'api.call',
      aggregation: 'count',
      valueProperty: null,
      groupBy: {},
      filter: {},
      report: {
        every: 'hour',
        timezone: 'UTC',
        graceSeconds: 60,
        deliverTo: 'subject',
        allSubjects: false,
        startAt: T,
      },
      thresholds: [],
      createdAt: T,
      updatedAt: T,
    });
    await store.recordUsageEvents(
      Array.from({ length: 7 }, (_, i) => ({
        source: 's',
        id: `e${i}`,
        type: 'api.call',
        subject: 'acme',
        time: T + i * 60_000,
        data: {},
      })),
      T + 10 * 60_000,
    );
  });
  after(async () => {
    await store.close();
    cleanup();
  });

  it('reports a period only once its grace has passed, and once however many runs or reporters look', async () => {
    now = T + HOUR + 30_000;
    await reporter().run();
    assert.equal(sent.length, 0, 'inside the grace: nothing yet');
    now = T + HOUR + 61_000;
    await Promise.all([reporter().run(), reporter().run()]); // two processes at once
    await reporter().run();
    const created = sent.filter((s) => s.ok);
    assert.equal(created.length, 1, 'one message for (calls, acme, first hour)');
    const [row] = (await store.listUsageReports('calls', 'acme', { limit: 10, iterator: null, order: 'descending' }))
      .data;
    assert.deepEqual([row.value, row.version, row.msgStatus], [7, 1, 'sent']);
  });

  it('a run that dies after writing its rows leaves them pending; the next run sends each once', async () => {
    now = T + 2 * HOUR + 61_000; // the second hour: acme has no usage in it, so no report for it
    await store.recordUsageEvents(
      [{ source: 's', id: 'late', type: 'api.call', subject: 'acme', time: T + 5_000, data: {} }],
      now,
    );
    failSubmits = true;
    await assert.rejects(reporter().run(), /died here/);
    failSubmits = false;
    const pending = await store.pendingUsageMessages(10);
    assert.deepEqual(
      pending.reports.map((r) => [r.version, r.value]),
      [[2, 8]],
      'the correction is written, not yet sent',
    );
    await reporter().run();
    await reporter().run();
    const v2 = sent.filter((s) => s.ok && s.eventId === `usage.${pending.reports[0].id}`);
    assert.equal(v2.length, 1, 'version 2 sent once');
    assert.equal((await store.pendingUsageMessages(10)).reports.length, 0);
  });
});
