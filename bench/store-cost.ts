import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type Database from 'better-sqlite3';
import { testConfig } from '../src/config.js';
import { newId } from '../src/ids.js';
import { loadSecretBox } from '../src/server/encryption-key.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { ClaimedDelivery, ClaimRequest, DeliveryOutcome } from '../src/store/store.js';
import { createApp, createEndpoint, seedMessages } from './lib/seed.js';

/**
 * The SQLite store's share of a drain, alone in one thread: N accepted messages for one
 * endpoint, a lease window of 256 rows, then the worker's loop without any HTTP: each batch of
 * outcomes is committed with the next claim (`completeAndClaim`), as the outcome writer does.
 * Prints wall and CPU time per delivery. Usage:
 *
 *   node --import tsx bench/store-cost.ts [--n 60000] [--batch 38] [--statements] [--wal]
 *
 *   --batch n      outcomes per commit (the drain commits ~38 at a time on a 2-core box)
 *   --statements   time spent in each SQL statement, per delivery
 *   --wal          WAL frames written per delivery, by the table or index that owns the page
 *                  now (pages freed and reused are counted under their new owner)
 */

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '60000' },
    batch: { type: 'string', default: '38' },
    statements: { type: 'boolean', default: false },
    wal: { type: 'boolean', default: false },
  },
});
const n = Number(values.n);
const batchSize = Number(values.batch);
const WINDOW = 256;
const PAGE = 4096;

const dir = mkdtempSync(join(tmpdir(), 'hookrelay-store-cost-'));
const file = join(dir, 'x.db');
const store = new SqliteStore({ file, secretBox: loadSecretBox(testConfig()), synchronous: 'FULL' });
const db = (store as unknown as { db: Database.Database }).db;

/** Time inside each statement's run/all/get, keyed by the start of its SQL. */
function timeStatements(): Map<string, number> {
  const spent = new Map<string, number>();
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  for (const method of ['run', 'all', 'get']) {
    const original = proto[method];
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const t = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const key = this.source.replace(/\s+/g, ' ').slice(0, 72);
        spent.set(key, (spent.get(key) ?? 0) + Number(process.hrtime.bigint() - t));
      }
    };
  }
  return spent;
}

/** WAL frames by the B-tree that owns each page (dbstat). */
function walFrames(): Map<string, number> {
  const wal = readFileSync(`${file}-wal`);
  const owner = new Map<number, string>();
  for (const r of db.prepare('SELECT name, pageno FROM dbstat').all() as Array<{ name: string; pageno: number }>)
    owner.set(r.pageno, r.name);
  const frames = new Map<string, number>();
  for (let off = 32; off + 24 + PAGE <= wal.length; off += 24 + PAGE) {
    const name = owner.get(wal.readUInt32BE(off)) ?? '(free or page 1)';
    frames.set(name, (frames.get(name) ?? 0) + 1);
  }
  return frames;
}

try {
  await store.migrate();
  const app = await createApp(store);
  await createEndpoint(store, app.id, 'http://127.0.0.1:9/never-sent');
  await seedMessages(store, app.id, n);
  if (values.wal) db.exec('PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint = 0;');

  const owner = 'store-cost';
  const request = (limit: number): ClaimRequest => ({
    owner,
    limit,
    leaseMs: 30_000,
    now: Date.now(),
    perEndpointLimit: WINDOW,
  });
  const held: ClaimedDelivery[] = await store.claimDeliveries(request(WINDOW));
  const spent = values.statements ? timeStatements() : null;
  let done = 0;
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  while (held.length > 0) {
    const batch = held.splice(0, batchSize);
    const now = Date.now();
    const outcomes: DeliveryOutcome[] = batch.map((c) => ({
      deliveryId: c.delivery.id,
      owner,
      attempt: {
        id: newId('attempt', now),
        url: c.endpoint.url,
        status: 0,
        responseStatusCode: 200,
        response: 'ok',
        responseDurationMs: 1,
        triggerType: 0,
        now,
      },
      next: { kind: 'success' },
      endpointUpdate: { endpointId: c.endpoint.id, failed: false, disable: false, now },
    }));
    held.push(...(await store.completeAndClaim(outcomes, request(batchSize))));
    done += batch.length;
  }
  const wallUs = Number(process.hrtime.bigint() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const per = (us: number) => (us / done).toFixed(1);
  console.log(
    `${done} deliveries, ${batchSize} per commit: ${per(wallUs)} µs wall, ${per(cpu.user + cpu.system)} µs CPU (user ${per(cpu.user)}, system ${per(cpu.system)}) per delivery`,
  );
  if (spent) {
    for (const [sql, ns] of [...spent].sort((a, b) => b[1] - a[1]))
      console.log(`${per(ns / 1000).padStart(7)} µs  ${sql}`);
  }
  if (values.wal) {
    const frames = walFrames();
    const total = [...frames.values()].reduce((a, b) => a + b, 0);
    console.log(
      `${(total / done).toFixed(2)} WAL frames per delivery, ${((total / done) * batchSize).toFixed(1)} per commit:`,
    );
    for (const [name, count] of [...frames].sort((a, b) => b[1] - a[1]))
      console.log(`${((count / done) * batchSize).toFixed(2).padStart(7)} per commit  ${name}`);
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
