import pg from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * The real PostgreSQL server for tests. Each test file gets its own fresh database
 * (graphile-worker style) and drops it afterwards.
 *
 * Server URL: HOOKRELAY_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres.
 * In CI (CI=true) an unreachable server is a failure; elsewhere the suite is skipped with a
 * clear line, so `npm test` works on a machine without PostgreSQL.
 */
export const PG_ADMIN_URL = process.env.HOOKRELAY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<boolean> | undefined;

export function postgresAvailable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (err) {
      if (process.env.CI === 'true' || process.env.CI === '1') {
        throw new Error(`PostgreSQL is required in CI but unreachable at ${PG_ADMIN_URL}: ${(err as Error).message}`);
      }
      console.log(
        `# SKIP PostgreSQL suite: no server at ${PG_ADMIN_URL} (${(err as Error).message}). Set HOOKRELAY_TEST_PG_URL or start PostgreSQL to run it.`,
      );
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** Create a fresh database; returns its URL and a drop function. */
export async function createTestDatabase(label = 'hr'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${label}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = '/' + name;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
