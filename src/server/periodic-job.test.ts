import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecretBox } from '../domain/secret-box.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { PeriodicJob } from './periodic-job.js';

const silent = { info: () => {}, warn: () => {} };

/** One store the "processes" share: the job runs are rows of its job_runs table. */
async function sharedStore(): Promise<SqliteStore> {
  const store = new SqliteStore({ file: ':memory:', secretBox: SecretBox.random() });
  await store.migrate();
  return store;
}

describe('PeriodicJob', () => {
  it('runs each period once across processes sharing a store', async () => {
    const store = await sharedStore();
    const clock = {
      t: 3_600_000 * 10 + 5,
      now() {
        return this.t;
      },
    };
    const ran: Array<[string, number]> = [];
    const jobs = ['p1', 'p2', 'p3'].map(
      (p) =>
        new PeriodicJob(store, silent, {
          name: 'retention',
          periodMs: 3_600_000,
          clock,
          run: async (period) => {
            ran.push([p, period]);
          },
        }),
    );
    for (let i = 0; i < 3; i++) for (const j of jobs) await j.tick();
    clock.t += 3_600_000;
    for (const j of jobs) await j.tick();
    assert.deepEqual(
      ran.map(([, period]) => period),
      [3_600_000 * 10, 3_600_000 * 11],
    );
  });

  it('a run that fails (or whose process dies) is taken over after its lease, not a period later', async () => {
    const store = await sharedStore();
    const clock = {
      t: 1_000_000,
      now() {
        return this.t;
      },
    };
    let attempts = 0;
    const make = () =>
      new PeriodicJob(store, silent, {
        name: 'retention',
        periodMs: 600_000,
        leaseMs: 30_000,
        clock,
        run: async () => {
          attempts++;
          if (attempts === 1) throw new Error('database went away');
        },
      });
    const [a, b] = [make(), make()];
    assert.equal(await a.tick(), true);
    assert.equal(await b.tick(), false, "a's lease still holds the period");
    clock.t += 30_000;
    assert.equal(await b.tick(), true, 'b takes the unfinished period over');
    clock.t += 30_000;
    assert.equal(await a.tick(), false, 'finished by b');
    assert.equal(attempts, 2);
  });
});
