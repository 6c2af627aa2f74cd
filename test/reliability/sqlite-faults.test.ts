import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ApiClient } from '../support/api-client.js';
import { CHILD_ADMIN_TOKEN, spawnServer, type ServerProcess } from '../support/server-process.js';

/**
 * SQLite's storage faults: a read-only data dir, a database made read-only, and a full disk
 * (ulimit -f) give a clear error at start or a 503, never a 500 and never a silent loss.
 */

describe('SQLite storage faults', { timeout: 180_000 }, () => {
  test('SQLite: a read-only data dir is a clear error at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookrelay-ro-'));
    chmodSync(dir, 0o555);
    try {
      // As root, permissions do not bite: the child runs as nobody (65534).
      await assert.rejects(
        spawnServer({ env: { HOOKRELAY_DATA_DIR: dir }, uid: asNobody() }),
        (err: Error) =>
          /HOOKRELAY_CHILD_FAILED .*store_unavailable.*hookrelay\.db/.test(err.message) && /writable/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SQLite: an existing database made read-only answers 503 or refuses to start, and keeps its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookrelay-ro-db-'));
    let server: ServerProcess | null = await spawnServer({ env: { HOOKRELAY_DATA_DIR: dir } });
    const client = new ApiClient(server.url!, CHILD_ADMIN_TOKEN);
    try {
      await client.expect(201, 'POST', '/api/v1/app', { name: 'RO', uid: 'ro' });
      const before = await client.expect(202, 'POST', '/api/v1/app/ro/msg', {
        eventType: 'ro.test',
        payload: { before: true },
      });
      await server.stop();
      server = null;
      for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o444);
      chmodSync(dir, 0o555);
      let outcome: string;
      try {
        server = await spawnServer({ env: { HOOKRELAY_DATA_DIR: dir }, uid: asNobody() });
        client.baseUrl = server.url!;
        const write = await client.call('POST', '/api/v1/app/ro/msg', {
          eventType: 'ro.test',
          payload: { after: true },
        });
        assert.equal(
          write.status,
          503,
          `a write to a read-only database: ${write.status} ${JSON.stringify(write.body)}`,
        );
        assert.equal((write.body as { code: string }).code, 'store_unavailable');
        outcome = `started, write answered 503: ${(write.body as { detail: string }).detail}`;
      } catch (err) {
        assert.match(
          (err as Error).message,
          /HOOKRELAY_CHILD_FAILED .*store_unavailable/,
          'a start failure must be the clear store_unavailable error',
        );
        outcome = 'refused to start with store_unavailable';
      }
      await server?.kill9();
      chmodSync(dir, 0o755);
      for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
      server = await spawnServer({ env: { HOOKRELAY_DATA_DIR: dir } });
      client.baseUrl = server.url!;
      assert.equal(
        (await client.expect(200, 'GET', `/api/v1/app/ro/msg/${before.id}`)).id,
        before.id,
        'data written before is intact',
      );
      console.log(`# db-faults[sqlite/read-only]: ${outcome}`);
    } finally {
      await server?.kill9();
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SQLite: a full disk (ulimit -f) answers 503, never 500, and loses nothing acknowledged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookrelay-full-'));
    // File size limit 3 MiB (bash counts 1 KiB blocks); SIGXFSZ ignored so writes fail with EFBIG.
    let server: ServerProcess | null = await spawnServer({
      env: { HOOKRELAY_DATA_DIR: dir },
      shellPrefix: "trap '' XFSZ; ulimit -f 3072;",
    });
    const client = new ApiClient(server.url!, CHILD_ADMIN_TOKEN);
    try {
      await client.expect(201, 'POST', '/api/v1/app', { name: 'Full', uid: 'full' });
      const acked: string[] = [];
      const statuses = new Map<number, number>();
      const filler = 'z'.repeat(8 * 1024);
      let unavailable = 0;
      for (let i = 0; i < 2000 && unavailable < 20; i++) {
        const r = await client.call('POST', '/api/v1/app/full/msg', { eventType: 'full.test', payload: { i, filler } });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 202) acked.push((r.body as { id: string }).id);
        else if (r.status === 503) {
          unavailable++;
          assert.equal((r.body as { code: string }).code, 'store_unavailable');
        } else assert.fail(`message ${i}: ${r.status} ${r.error ?? JSON.stringify(r.body)}`);
      }
      assert.ok(unavailable > 0, `the disk never filled (${JSON.stringify(Object.fromEntries(statuses))})`);
      await server.kill9();
      server = await spawnServer({ env: { HOOKRELAY_DATA_DIR: dir } });
      client.baseUrl = server.url!;
      const stored = new Set((await client.listAll('/api/v1/app/full/msg')).map((m: { id: string }) => m.id));
      const lost = acked.filter((id) => !stored.has(id));
      console.log(
        `# db-faults[sqlite/disk-full]: acked=${acked.length} 503=${unavailable} lost=${lost.length} statuses=${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      assert.deepEqual(lost, [], 'acknowledged messages lost after the disk filled');
    } finally {
      await server?.kill9();
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The uid to run a child as so that file permissions apply (root ignores them). */
function asNobody(): number | undefined {
  return process.getuid?.() === 0 ? 65534 : undefined;
}
