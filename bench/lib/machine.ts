import { cpus, totalmem, type as osType, release } from 'node:os';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Machine } from '../report/results.js';
import { PG_ADMIN_URL } from './environment.js';

/** What the figures were measured on. */
export async function describeMachine(withPostgres: boolean): Promise<Machine> {
  const db = new Database(':memory:');
  const sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  let postgres: string | null = null;
  if (withPostgres) {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      postgres = ((await c.query('show server_version')).rows[0] as { server_version: string }).server_version;
    } catch {
      postgres = null;
    } finally {
      await c.end().catch(() => {});
    }
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${osType()} ${release()}`,
    sqlite,
    postgres,
  };
}
