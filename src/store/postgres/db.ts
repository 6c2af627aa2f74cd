import pg from 'pg';
import type { SecretBox } from '../../domain/secret-box.js';
import { coerceError } from '../../errors.js';
import { isConnectionError, mapPgError } from './errors.js';
import type { CatalogContext } from '../catalog/catalog-context.js';
import { SecretCodec } from '../secret-codec.js';
import { postgresCatalogContext } from './catalog-values.js';

/**
 * The connection pool and the two ways the adapter talks to it: `query` (one statement,
 * autocommit) and `tx` (BEGIN … COMMIT on one client). Both map errors through errors.ts,
 * so every module below sees ConflictError / StoreUnavailableError and nothing else.
 */

/**
 * Type parsers for OUR clients only (the `types` option), never pg's global registry, so an
 * application that embeds Hookrelay keeps its own parsing. bigint (int8) columns hold epoch ms
 * and seqs — always below 2^53 — so they become JS numbers; `count(*)` is int8 too.
 */
const INT8_OID = 20;
export const hookrelayTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && (format ?? 'text') === 'text') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** A result row as pg gives it: jsonb as objects, text[] as arrays, int8 as numbers (hookrelayTypes). */
export type Row = Record<string, unknown>;

/**
 * Fixed SQL that each connection prepares once, by name, and then only binds and executes: no
 * parse per call, and PostgreSQL may keep its plan. For hot statements only, and never
 * `SELECT *` / `RETURNING *`: a prepared statement whose result columns change (another
 * process migrating the schema) fails with "cached plan must not change result type". Needs a
 * session per pool connection (a direct connection, or a pooler that keeps prepared statements).
 */
export interface NamedStatement {
  name: string;
  text: string;
}

export const bind = (statement: NamedStatement, values: unknown[]): pg.QueryConfig => ({ ...statement, values });

/**
 * The settings of an outcome session, what tx's `relaxed` and `generic` set per transaction: held
 * by the session, they need no BEGIN, so an outcome commit can be a statement on its own.
 */
const OUTCOME_SESSION =
  'SET synchronous_commit TO OFF; SET plan_cache_mode TO force_generic_plan; SET enable_seqscan TO off';

export interface DbOptions {
  url: string;
  /** Connections in the pool. (Default: 10) */
  poolSize?: number;
  /** How long a query waits for a free connection before StoreUnavailableError. (Default: 10000 ms) */
  connectTimeoutMs?: number;
  /**
   * How long one statement may wait for its answer before StoreUnavailableError (and the
   * connection is discarded). Without it, a silent network partition (no reset) would hold API
   * requests until the network returns instead of answering 503. It also cuts a statement that
   * waits on a lock for that long, so it must stay well above normal lock waits.
   * (Default: none; the server passes HOOKRELAY_DATABASE_QUERY_TIMEOUT_MS)
   */
  queryTimeoutMs?: number;
}

export class Db {
  readonly pool: pg.Pool;
  /** Sessions with OUTCOME_SESSION's settings: outcome commits, and the worker's next due time (next-due.ts). */
  readonly outcomePool: pg.Pool;
  /** Seals endpoint secrets before writes, opens them on reads. */
  readonly secrets: SecretCodec;
  /** The shared catalog's view of this dialect (catalog/), for the plain tables and their row mappers. */
  readonly catalog: CatalogContext;
  /** The last error an idle connection reported (a restart, a network drop); for diagnostics. */
  lastIdleError: Error | null = null;
  /** Backend PIDs of our pool connections, to recognise our own NOTIFYs (notifications.ts). */
  readonly backendPids = new Set<number>();

  constructor(options: DbOptions, box: SecretBox) {
    this.secrets = new SecretCodec(box);
    this.catalog = postgresCatalogContext(this.secrets);
    this.pool = this.openPool(options, options.poolSize ?? 10, 'hookrelay');
    this.outcomePool = this.openPool(options, 2, 'hookrelay-outcomes', OUTCOME_SESSION);
  }

  /** `setup` runs on each new connection before the pool hands it out (pg-pool awaits onConnect). */
  private openPool(options: DbOptions, max: number, name: string, setup?: string): pg.Pool {
    const pool = new pg.Pool({
      connectionString: options.url,
      max,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      query_timeout: options.queryTimeoutMs,
      idleTimeoutMillis: 30_000,
      // TCP keepalive notices a peer that vanished without a reset (network partition, VM gone).
      keepAlive: true,
      application_name: name,
      types: hookrelayTypes,
      onConnect: setup ? (client: pg.ClientBase) => client.query(setup) : undefined,
    });
    // An idle client whose server went away (PostgreSQL restart, admin shutdown) emits
    // `error` on the pool. Without a handler Node would crash the process; with it, pg drops
    // that client and the next query opens a fresh connection — the server resumes by itself.
    pool.on('error', (err) => {
      this.lastIdleError = err;
    });
    pool.on('connect', (client) => {
      const pid = (client as unknown as { processID: number | null }).processID;
      if (pid) this.backendPids.add(pid);
    });
    pool.on('remove', (client) => {
      const pid = (client as unknown as { processID: number | null }).processID;
      if (pid) this.backendPids.delete(pid);
    });
    return pool;
  }

  /** One statement, its own transaction; `outcome`: on an outcome session. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string | NamedStatement,
    values?: unknown[],
    options: { outcome?: boolean } = {},
  ): Promise<pg.QueryResult<R>> {
    const pool = options.outcome ? this.outcomePool : this.pool;
    try {
      return await (typeof sql === 'string' ? pool.query<R>(sql, values) : pool.query<R>(bind(sql, values ?? [])));
    } catch (err) {
      throw mapPgError(err);
    }
  }

  /**
   * A client for several statements. pg-pool removes its own `error` listener while a client
   * is checked out, and a connection that dies between two statements emits `error` with
   * nobody listening — which would crash the process. This listener records it instead;
   * `release()` then destroys the broken client rather than pooling it.
   */
  async checkout(
    pool = this.pool,
  ): Promise<{ client: pg.PoolClient; release: (err?: unknown, destroy?: boolean) => void }> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw mapPgError(err);
    }
    let dead: Error | undefined;
    const onError = (err: Error) => {
      dead = err;
    };
    client.on('error', onError);
    return {
      client,
      release: (err?: unknown, destroy = false) => {
        client.removeListener('error', onError);
        const broken =
          dead ?? (err !== undefined && (destroy || isConnectionError(err)) ? coerceError(err) : undefined);
        client.release(broken);
      },
    };
  }

  /**
   * Run `fn` in one transaction on one client; ROLLBACK on any error. Options, set in BEGIN's round trip:
   * - `relaxed`: commit without waiting for the WAL flush, for lease and outcome writes (a loss in
   *   a server crash only sends a delivery again); accepted messages always wait for it.
   * - `lock`: that transaction-scoped advisory lock (advisory-locks.ts).
   * - `generic`: named statements run on plans cached at their first run on the connection, so
   *   they are written to seek by key, and planned with sequential scans ruled out (on an empty
   *   table a scan looks cheaper than any seek); postgres-generic-plans.test.ts checks them.
   * - `keyOrder`: sorting ruled out while planning, so `ORDER BY … LIMIT` reads an index in order (catalog/paginate.ts).
   * - `outcome`: on an outcome session (OUTCOME_SESSION: `relaxed` and `generic` already hold).
   * - `snapshot`: REPEATABLE READ, READ ONLY: every statement reads the state committed at the first.
   */
  async tx<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    options: {
      relaxed?: boolean;
      lock?: number;
      generic?: boolean;
      keyOrder?: boolean;
      outcome?: boolean;
      snapshot?: boolean;
    } = {},
  ): Promise<T> {
    const begin = [options.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN'];
    if (options.relaxed) begin.push('SET LOCAL synchronous_commit TO OFF');
    if (options.generic)
      begin.push('SET LOCAL plan_cache_mode TO force_generic_plan', 'SET LOCAL enable_seqscan TO off');
    if (options.keyOrder) begin.push('SET LOCAL enable_sort TO off');
    if (options.lock !== undefined) {
      if (!Number.isSafeInteger(options.lock)) throw new Error(`advisory lock key ${options.lock} is not an integer`);
      begin.push(`SELECT pg_advisory_xact_lock(${options.lock})`);
    }
    const { client, release } = await this.checkout(options.outcome ? this.outcomePool : this.pool);
    let failure: unknown;
    try {
      await client.query(begin.join('; '));
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      failure = err;
      if (!isConnectionError(err))
        await client.query('ROLLBACK').catch((rollbackErr: Error) => {
          failure = rollbackErr;
        });
      throw mapPgError(err);
    } finally {
      release(failure);
    }
  }

  async end(): Promise<void> {
    await Promise.all([this.pool.end(), this.outcomePool.end()]);
  }
}
