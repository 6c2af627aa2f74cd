import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { testConfig } from '../../../src/config.js';
import { SecretBox } from '../../../src/domain/secret-box.js';
import { ConflictError, StoreUnavailableError } from '../../../src/errors.js';
import { openStore } from '../../../src/store/open-store.js';
import { mkApp, mkEndpoint, mkMessages, msgIn } from '../contract/fixtures.js';
import { runStoreContract } from '../store.contract.js';
import { sqliteContractHarness } from './contract-harness.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { ThreadedSqliteStore } from '../../../src/store/sqlite/threaded-sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'hookrelay-sqlite-thread-'));
after(() => rmSync(root, { recursive: true, force: true }));

// The whole store contract again, every call crossing the thread boundary.
runStoreContract(
  'sqlite (store thread)',
  sqliteContractHarness(root, (file, secretBox) =>
    ThreadedSqliteStore.open({ file, secretBox, synchronous: 'NORMAL' }),
  ),
  { ingestHandOff: false },
);

/** A migrated store on its own file under `root/name`, closed after `fn`. */
async function withStore(name: string, fn: (s: ThreadedSqliteStore) => Promise<void>): Promise<void> {
  const s = await ThreadedSqliteStore.open({ file: join(root, name, 'x.db'), secretBox: SecretBox.random() });
  try {
    await s.migrate();
    await fn(s);
  } finally {
    await s.close();
  }
}

describe('ThreadedSqliteStore', () => {
  it('is what openStore gives for a SQLite file by default, and the plain store with sqliteThread off', async () => {
    const threaded = await openStore(testConfig({ dataDir: join(root, 'open-default') }), SecretBox.random());
    const plain = await openStore(
      testConfig({ dataDir: join(root, 'open-plain'), sqliteThread: false }),
      SecretBox.random(),
    );
    try {
      assert.ok(threaded instanceof ThreadedSqliteStore);
      assert.ok(plain instanceof SqliteStore);
    } finally {
      await threaded.close();
      await plain.close();
    }
  });

  it('keeps the event loop free while SQLite works: timers run during a long call', async () => {
    // The same batch on the plain store blocks the caller's thread for the whole call (its
    // statements run synchronously), so not one timer could fire before it returns.
    await withStore('free-loop', async (s) => {
      const a = await mkApp(s);
      for (let i = 0; i < 20; i++) await mkEndpoint(s, a.id);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const started = performance.now();
      await mkMessages(
        s,
        Array.from({ length: 5000 }, () => msgIn(a.id)),
      ); // 100,000 delivery rows
      const tookMs = performance.now() - started;
      clearInterval(timer);
      assert.ok(tookMs > 20, `the batch took only ${tookMs.toFixed(1)} ms: too short to show anything`);
      assert.ok(ticks >= 5, `only ${ticks} timer ticks during a ${tookMs.toFixed(0)} ms call`);
      assert.equal(await s.queueDepth(), 100_000);
    });
  });

  it('gives back our own error classes, with their code, status and fields', async () => {
    await withStore('errors', async (s) => {
      await mkApp(s, { uid: 'same' });
      const err = await mkApp(s, { uid: 'same' }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ConflictError, `got ${String(err)}`);
      assert.equal(err.code, 'conflict');
      assert.equal(err.status, 409);
      assert.match(err.message, /already exists/);
    });
  });

  it('fires onWork and onMessages before the call that caused them resolves', async () => {
    await withStore('listeners', async (s) => {
      const a = await mkApp(s);
      await mkEndpoint(s, a.id);
      const seen: string[] = [];
      s.onWork(() => seen.push('work'));
      s.onMessages((appId) => seen.push(`messages:${appId}`));
      await mkMessages(s, [msgIn(a.id)]);
      assert.deepEqual(seen, ['work', `messages:${a.id}`]);
    });
  });

  it('fails to open with StoreUnavailableError naming the file when SQLite cannot open it', async () => {
    // A directory where the file should be: SQLite cannot open it.
    const blocker = join(root, 'blocker', 'is-a-dir.db');
    mkdirSync(blocker, { recursive: true });
    await assert.rejects(ThreadedSqliteStore.open({ file: blocker, secretBox: SecretBox.random() }), (err: unknown) => {
      assert.ok(err instanceof StoreUnavailableError, `got ${String(err)}`);
      assert.match(err.message, /blocker/);
      return true;
    });
  });

  it('starts its thread again when the thread dies, and later calls see the same database', async () => {
    await withStore('restart', async (s) => {
      const a = await mkApp(s, { name: 'before the crash' });
      // Ending the thread from outside, as a crash or an out-of-memory would.
      const thread = (s as unknown as { thread: { worker: Worker } }).thread.worker;
      await thread.terminate();
      assert.equal((await s.getApplication(a.id))?.name, 'before the crash');
      assert.notEqual(
        (s as unknown as { thread: { worker: Worker } }).thread.worker,
        thread,
        'a new thread serves the calls',
      );
      await mkApp(s, { name: 'after the crash' });
      assert.equal((await s.listApplications({ limit: 10, iterator: null, order: 'ascending' })).data.length, 2);
    });
  });

  it('answers every call after close() with StoreUnavailableError', async () => {
    const s = await ThreadedSqliteStore.open({ file: join(root, 'closed', 'x.db'), secretBox: SecretBox.random() });
    await s.migrate();
    await s.close();
    await assert.rejects(s.ping(), StoreUnavailableError);
    await s.close(); // twice is harmless
  });
});
