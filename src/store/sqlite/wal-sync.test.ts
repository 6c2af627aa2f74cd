import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WalSync } from './wal-sync.js';

describe('WalSync', () => {
  it('answers each caller after a sync that started after its call, sharing one sync among callers that wait', async () => {
    const syncs: Array<{ startedAt: number; finish: () => void }> = [];
    let clock = 0;
    const wal = new WalSync(
      'unused',
      () =>
        new Promise<void>((resolve) => {
          syncs.push({ startedAt: ++clock, finish: resolve });
        }),
    );
    const done: string[] = [];
    const a = wal.sync().then(() => done.push('a'));
    const calledB = ++clock;
    const b = wal.sync().then(() => done.push('b'));
    const c = wal.sync().then(() => done.push('c'));
    assert.equal(syncs.length, 1, 'b and c wait for the running sync, then share the next');
    syncs[0].finish();
    await a;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(done, ['a']);
    assert.equal(syncs.length, 2);
    assert.ok(syncs[1].startedAt > calledB, 'the sync that answers b started after b was called');
    syncs[1].finish();
    await Promise.all([b, c]);
    assert.deepEqual(done, ['a', 'b', 'c']);
    assert.equal(syncs.length, 2);
  });

  it('fdatasyncs the real file, and rejects when it cannot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'walsync-'));
    try {
      const file = join(dir, 'db-wal');
      writeFileSync(file, 'frames');
      const wal = new WalSync(file);
      await wal.sync();
      wal.close();
      const missing = new WalSync(join(dir, 'absent-wal'));
      await assert.rejects(missing.sync(), /ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
