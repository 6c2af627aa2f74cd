import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { forkChild, type Child } from './ipc.js';

/**
 * One scenario run's world: a fresh store (a temp dir for SQLite; a fresh PostgreSQL database,
 * dropped afterwards), the server config, and the server under test in a child process.
 */

export type StoreKind = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.HOOKRELAY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const ADMIN_TOKEN = 'hr_admin_bench_' + randomBytes(12).toString('hex');
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

export interface RunEnv {
  store: StoreKind;
  dataDir: string;
  databaseUrl: string | null;
  /** The config every process of this run uses, with `over` applied. */
  config(over?: Partial<Config>): Config;
  cleanup(): Promise<void>;
}

export async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function createRunEnv(store: StoreKind, label: string): Promise<RunEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), `hr-bench-${label}-`));
  let databaseUrl: string | null = null;
  let dbName: string | null = null;
  if (store === 'postgres') {
    dbName = `hrbench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    await adminQuery(`CREATE DATABASE ${dbName}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = '/' + dbName;
    databaseUrl = url.toString();
  }
  return {
    store,
    dataDir,
    databaseUrl,
    config: (over = {}) =>
      loadConfig(
        {},
        {
          dataDir,
          databaseUrl,
          adminToken: ADMIN_TOKEN,
          encryptionKey: ENCRYPTION_KEY,
          port: 0,
          host: '127.0.0.1',
          allowNetworks: ['127.0.0.0/8'],
          logLevel: 'error',
          ...over,
        },
      ),
    async cleanup() {
      if (dbName)
        await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err) =>
          console.error(`could not drop ${dbName}: ${err.message}`),
        );
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ServerChild {
  child: Child;
  url: string | null;
  pid: number;
  stop(): Promise<void>;
}

/** Directory for `--cpu-prof` output when profiling is on (set by run.ts). */
export const profiling: { dir: string | null } = { dir: null };

/**
 * The server child's script as plain JavaScript (bench/server-process.ts bundled by esbuild), so
 * the server runs as `npm start` runs it: without tsx's loader thread, which would count in its RSS.
 * Built once per invocation, beside bench/ so that its relative import of dist/ still resolves.
 */
const SERVER_SCRIPT = '../.bench-build/server-process.mjs';
let serverBuilt = false;
function serverScript(): string {
  if (serverBuilt) return SERVER_SCRIPT;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  buildSync({
    entryPoints: [join(root, 'bench/server-process.ts')],
    outfile: join(root, '.bench-build/server-process.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  serverBuilt = true;
  return SERVER_SCRIPT;
}

export async function startServerChild(config: Config): Promise<ServerChild> {
  const execArgv = profiling.dir ? ['--cpu-prof', `--cpu-prof-dir=${profiling.dir}`] : [];
  const child = await forkChild(serverScript(), { execArgv });
  try {
    const { url } = await child.call<{ url: string | null }>('start', config, 120_000);
    return { child, url, pid: child.pid, stop: () => child.stop(30_000) };
  } catch (err) {
    await child.stop(2000);
    throw err;
  }
}

/** Resident set size of a process, and its peak so far (VmHWM), in bytes, read from /proc without asking it. */
export function readRss(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}
