import type { AppId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestDatabase, postgresAvailable } from '../../support/postgres.js';
import { newId } from '../../../src/ids.js';
import { T0, mkApp, mkMessages, msgIn } from '../contract/fixtures.js';
import { Db } from '../../../src/store/postgres/db.js';
import { eventually, openPgStore, rawQuery, twoProcesses } from './postgres-test-harness.js';

/**
 * PostgresStore's connections: what happens when they are killed (as in a server restart), the
 * byte order of IDs, our type parsers, an unreachable server. Two stores = two "processes".
 */
const available = await postgresAvailable();

describe('PostgresStore connections', { skip: !available }, () => {
  const p = twoProcesses(() => createTestDatabase('hr_pgconn'));

  it('survives its connections being killed (as in a PostgreSQL restart): queries resume, LISTEN reconnects', async () => {
    const app = await mkApp(p.a);
    const woke: string[] = [];
    p.b.onMessages((appId) => woke.push(appId));
    await p.b.listening();
    await p.b.ping(); // the pool holds an idle connection to kill
    const killed = await rawQuery<{ n: number }>(
      p.url,
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    assert.ok(killed[0].n >= 2);
    // The idle pool connection died with 57P01; the store answers on a fresh one (retry: the
    // first query may race the termination and fail with StoreUnavailableError).
    await eventually(
      async () => {
        try {
          await p.b.ping();
          return true;
        } catch {
          return false;
        }
      },
      10_000,
      'pool recovery',
    );
    assert.equal((await p.b.getApplication(app.id))?.id, app.id);
    // The LISTEN session comes back by itself and hears the other process again.
    await eventually(
      async () => {
        await mkMessages(p.a, [msgIn(app.id)]);
        return woke.length > 0;
      },
      10_000,
      'LISTEN reconnect',
    );
    assert.equal(woke[0], app.id);
  });

  it('a connection killed while checked out between statements neither crashes the process nor returns to the pool', async () => {
    const dbx = new Db({ url: p.url, poolSize: 1 }, p.box);
    try {
      const { client, release } = await dbx.checkout();
      await client.query('BEGIN');
      const pid = (client as unknown as { processID: number }).processID;
      await rawQuery(p.url, 'SELECT pg_terminate_backend($1)', [pid]);
      // No listener of ours here: the store's own must absorb the 'error' event (else: uncaught, the run dies).
      await eventually(
        () => (client as unknown as { _queryable: boolean })._queryable === false,
        5_000,
        'the checked-out client to see its connection die',
      );
      await new Promise((r) => setTimeout(r, 50));
      release();
      // The pool (size 1) hands out a fresh connection, not the dead one.
      const { rows } = await dbx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      assert.notEqual(rows[0].pid, pid);
    } finally {
      await dbx.end();
    }
  });

  it('outcome sessions commit without waiting for the flush and plan generically; the main pool keeps the defaults', async () => {
    const dbx = new Db({ url: p.url, poolSize: 1 }, p.box);
    // pg warns (once per process) when a client is sent a query while one is running: the
    // session's own setup must be over before its first statement.
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const settings = `SELECT current_setting('synchronous_commit') AS sync, current_setting('plan_cache_mode') AS plans,
        current_setting('enable_seqscan') AS seqscan`;
      const outcome = await Promise.all([1, 2, 3].map(() => dbx.query(settings, [], { outcome: true })));
      for (const { rows } of outcome)
        assert.deepEqual(rows[0], { sync: 'off', plans: 'force_generic_plan', seqscan: 'off' });
      const { rows: main } = await dbx.query(settings);
      assert.deepEqual(main[0], { sync: 'on', plans: 'auto', seqscan: 'on' });
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      assert.deepEqual(
        warnings.map((w) => w.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      await dbx.end();
    }
  });

  it('a snapshot transaction reads one committed state: a commit between its statements is not seen, and it writes nothing', async () => {
    const app = await mkApp(p.a);
    const dbx = new Db({ url: p.url, poolSize: 2 }, p.box);
    const count = 'SELECT count(*)::int AS n FROM messages WHERE app_id = $1';
    try {
      const [before, after] = await dbx.tx(
        async (client) => {
          const first = (await client.query<{ n: number }>(count, [app.id])).rows[0].n;
          await mkMessages(p.a, [msgIn(app.id)]); // committed by another connection meanwhile
          const second = (await client.query<{ n: number }>(count, [app.id])).rows[0].n;
          return [first, second];
        },
        { snapshot: true },
      );
      assert.equal(after, before, 'the second statement reads the state of the first');
      assert.equal((await dbx.query<{ n: number }>(count, [app.id])).rows[0].n, before + 1, 'the commit landed');
      await assert.rejects(
        dbx.tx((client) => client.query('DELETE FROM messages WHERE app_id = $1', [app.id]), { snapshot: true }),
        /read-only/,
      );
    } finally {
      await dbx.end();
    }
  });

  it('orders IDs by bytes (COLLATE "C"): mixed-case KSUIDs page in creation order', async () => {
    const ids = ['app_0aZ', 'app_0B9', 'app_0Ba', 'app_0a0', 'app_Zz'];
    for (const id of ids)
      await p.a.createApplication({ id, uid: null, name: id, rateLimit: null, metadata: {}, now: T0 });
    const page = await p.a.listApplications({ limit: 10, iterator: null, order: 'ascending' });
    assert.deepEqual(
      page.data.map((x) => x.id),
      [...ids].sort(),
    ); // JS sort is UTF-16 code unit order = byte order here
    const generated = Array.from({ length: 30 }, () => newId('application'));
    assert.deepEqual([...generated].sort(), generated);
    // This server's default collation may already be bytewise; the schema must not rely on it.
    const cols = await rawQuery<{ table_name: string; column_name: string; collation_name: string | null }>(
      p.url,
      `SELECT table_name, column_name, collation_name FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type = 'text' AND (column_name IN ('id', 'uid') OR column_name LIKE '%\\_id' OR
             (table_name = 'event_types' AND column_name = 'name'))`,
    );
    assert.ok(cols.length >= 15, `found ${cols.length} ID columns`);
    const notC = cols.filter((c) => c.collation_name !== 'C' && !(c.column_name === 'event_id'));
    assert.deepEqual(notC, []);
  });

  it("bigint columns come back as numbers from our pool, without touching pg's global parsers", async () => {
    const app = await mkApp(p.a, { now: T0 });
    assert.equal(typeof (await p.a.getApplication(app.id))!.createdAt, 'number');
    const rows = await rawQuery<{ n: unknown }>(p.url, 'SELECT 9007199254740993::bigint AS n');
    assert.equal(rows[0].n, '9007199254740993');
  });

  it('maps an unreachable server to StoreUnavailableError', async () => {
    const { StoreUnavailableError } = await import('../../../src/errors.js');
    const dead = openPgStore('postgres://postgres@127.0.0.1:1/none', p.box);
    try {
      await assert.rejects(dead.ping(), StoreUnavailableError);
      await assert.rejects(dead.createMessages([msgIn('app_x' as AppId)]), StoreUnavailableError);
    } finally {
      await dead.close();
    }
  });
});
