import type { MessageId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { testConfig } from '../../../src/config.js';
import { SecretBox } from '../../../src/domain/secret-box.js';
import { StoreUnavailableError } from '../../../src/errors.js';
import { attemptIn, claim, ids, mkApp, mkEndpoint, mkMessages, msgIn, pq, SUCCESS, T0 } from '../contract/fixtures.js';
import { openStore } from '../../../src/store/open-store.js';
import { runStoreContract } from '../store.contract.js';
import { migrate } from '../../../src/store/sqlite/migrate.js';
import { MIGRATIONS } from '../../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { PROMOTE } from '../../../src/store/sqlite/ordering.js';
import { sqliteContractHarness } from './contract-harness.js';

const root = mkdtempSync(join(tmpdir(), 'hookrelay-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
runStoreContract(
  'sqlite',
  sqliteContractHarness(root, async (file, secretBox) => new SqliteStore({ file, secretBox, synchronous: 'NORMAL' })),
  { ingestHandOff: false },
);

describe('SqliteStore specifics', () => {
  it('creates the data directory and file with no configuration but dataDir', async () => {
    const dataDir = join(root, 'fresh', 'nested');
    const store = await openStore(testConfig({ dataDir }), SecretBox.random());
    try {
      assert.equal(store.dialect, 'sqlite');
      assert.ok(existsSync(join(dataDir, 'hookrelay.db')));
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it('runs in WAL mode with foreign keys, busy timeout and the chosen synchronous level', async () => {
    const file = join(root, 'pragmas', 'x.db');
    const full = new SqliteStore({ file, secretBox: SecretBox.random() });
    await full.migrate();
    await full.close();
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal'); // persistent in the file
    } finally {
      db.close();
    }
    // The connection's own settings, read through a store-private handle.
    for (const [opt, expected] of [
      [undefined, 2],
      ['NORMAL', 1],
    ] as const) {
      const s = new SqliteStore({ file, secretBox: SecretBox.random(), synchronous: opt });
      const conn = (s as unknown as { db: Database.Database }).db;
      assert.equal(conn.pragma('synchronous', { simple: true }), expected);
      assert.equal(conn.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(conn.pragma('busy_timeout', { simple: true }), 5000);
      await s.close();
    }
  });

  it('applies migrations once, idempotently, across reopen', async () => {
    const file = join(root, 'migrations', 'x.db');
    const box = SecretBox.random();
    const s1 = new SqliteStore({ file, secretBox: box });
    await s1.migrate();
    await s1.migrate();
    await s1.createApplication({ id: 'app_keep', uid: 'keep', name: 'Keep', rateLimit: null, metadata: {}, now: 1 });
    await s1.close();
    const s2 = new SqliteStore({ file, secretBox: box });
    await s2.migrate();
    assert.equal((await s2.getApplication('keep'))?.id, 'app_keep');
    await s2.close();
    const db = new Database(file, { readonly: true });
    try {
      assert.deepEqual(
        db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(),
        MIGRATIONS.map((m) => m.version),
      );
    } finally {
      db.close();
    }
  });

  /** Columns today's endpoint and outcome writes name that migrations 9 and 11 add. */
  const LENT = [
    ['deliveries', 'dead_reason TEXT'],
    ['deliveries', 'order_key TEXT'],
    ['deliveries', 'order_seq INTEGER'],
    ['endpoints', 'ordered INTEGER NOT NULL DEFAULT 0'],
    ['messages', 'trace_context TEXT'],
  ];

  it('keeps the attempts of a version-2 database through migration 3, which then cascade from their endpoint', async () => {
    const file = join(root, 'from-v2', 'x.db');
    const box = SecretBox.random();
    mkdirSync(dirname(file), { recursive: true });
    const raw = new Database(file);
    migrate(
      raw,
      MIGRATIONS.filter((m) => m.version <= 2),
    );
    // Today's writes name columns later migrations add: lent for the writes below, dropped before migrating.
    for (const [table, column] of LENT) raw.exec(`ALTER TABLE ${table} ADD COLUMN ${column}`);
    raw.close();
    const s1 = new SqliteStore({ file, secretBox: box });
    const app = await mkApp(s1);
    const [a, b] = [await mkEndpoint(s1, app.id), await mkEndpoint(s1, app.id)];
    const [msg] = await mkMessages(s1, [msgIn(app.id)]);
    const rows = await claim(s1, { now: T0 + 100 });
    const atts = rows.map((r, i) => ({ row: r, attempt: attemptIn(SUCCESS, T0 + 101 + i) }));
    await s1.completeDeliveries(
      atts.map(({ row, attempt }) => ({
        deliveryId: row.delivery.id,
        owner: 'worker-1',
        attempt,
        next: { kind: 'success' },
      })),
    );
    await s1.close();
    const v2 = new Database(file);
    for (const [table, column] of LENT) v2.exec(`ALTER TABLE ${table} DROP COLUMN ${column.split(' ')[0]}`);
    v2.close();

    const s2 = new SqliteStore({ file, secretBox: box });
    try {
      await s2.migrate();
      const listed = await s2.listAttemptsByMessage(app.id, msg.id, pq(), {});
      assert.deepEqual(
        ids(listed.data),
        atts.map((x) => x.attempt.id),
      );
      assert.equal(await s2.deleteEndpoint(app.id, a.id), true);
      const left = await s2.listAttemptsByMessage(app.id, msg.id, pq(), {});
      assert.deepEqual(
        left.data.map((x) => x.endpointId),
        [b.id],
      );
    } finally {
      await s2.close();
    }
  });

  it('refuses a database migrated by a newer version', async () => {
    const file = join(root, 'newer', 'x.db');
    const s1 = new SqliteStore({ file, secretBox: SecretBox.random() });
    await s1.migrate();
    await s1.close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(9999, 'future', 0);
    db.close();
    const s2 = new SqliteStore({ file, secretBox: SecretBox.random() });
    await assert.rejects(s2.migrate(), StoreUnavailableError);
    await s2.close();
  });

  it('answers StoreUnavailableError when the file cannot be opened or the store is closed', async () => {
    const blocker = join(root, 'blocker');
    const s = new SqliteStore({ file: join(root, 'ok', 'x.db'), secretBox: SecretBox.random() });
    await s.close();
    await assert.rejects(s.ping(), StoreUnavailableError);
    // A directory where the file should be: SQLite cannot open it.
    const dirAsFile = join(blocker, 'is-a-dir.db');
    new SqliteStore({ file: join(dirAsFile, 'inner.db'), secretBox: SecretBox.random() }).close();
    assert.throws(() => new SqliteStore({ file: dirAsFile, secretBox: SecretBox.random() }), StoreUnavailableError);
  });

  it('survives a listener that throws and keeps the batch committed', async () => {
    const s = new SqliteStore({ file: join(root, 'listeners', 'x.db'), secretBox: SecretBox.random() });
    await s.migrate();
    const app = await s.createApplication({ id: 'app_l', uid: null, name: 'L', rateLimit: null, metadata: {}, now: 1 });
    s.onMessages(() => {
      throw new Error('boom');
    });
    const [r] = await s.createMessages([
      {
        id: 'msg_l1' as MessageId,
        appId: app.id,
        eventType: 't',
        eventId: null,
        channels: null,
        tags: null,
        payload: '{}',
        now: 1,
        deliverAt: 1,
        payloadExpiresAt: 2,
      },
    ]);
    assert.ok(r.ok);
    assert.equal((await s.getMessage(app.id, 'msg_l1'))?.id, 'msg_l1');
    await s.close();
  });

  it("plans ordered heads by their indexes: a key's live head, its next waiting row, a blocked head's first attempt", async () => {
    // Without statistics SQLite's planner may take any index on (endpoint, key) for the live-head look,
    // and one holding the waiting rows would read all of a headless key's backlog.
    // The store's own connection, the one that migrated: the statistics hold from its first query.
    const s = new SqliteStore({ file: join(root, 'promote-plan', 'x.db'), secretBox: SecretBox.random() });
    await s.migrate();
    const db = (s as unknown as { db: Database.Database }).db;
    try {
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN ${PROMOTE}`)
        .all({ keys: '[]', now: T0, owner: null, expiresAt: null, limit: 0 }) as Array<{ detail: string }>;
      const seeks = plan.map((r) => r.detail).filter((d) => /^SEARCH [hx] /.test(d));
      assert.deepEqual(seeks.sort(), [
        'SEARCH h USING INDEX deliveries_order_live (endpoint_id=? AND order_key=?)',
        'SEARCH x USING INDEX deliveries_order_waiting (endpoint_id=? AND order_key=?)',
      ]);
      // A blocked head's first attempt (catalog/dead-letters.ts): by its message, not along its endpoint's attempts.
      const firstAttempt = db
        .prepare('EXPLAIN QUERY PLAN SELECT min(a.created_at) FROM attempts a WHERE a.msg_id = ? AND a.endpoint_id = ?')
        .all('m', 'e') as Array<{ detail: string }>;
      assert.deepEqual(
        firstAttempt.map((r) => r.detail),
        ['SEARCH a USING INDEX attempts_msg (msg_id=?)'],
      );
    } finally {
      await s.close();
    }
  });
});
