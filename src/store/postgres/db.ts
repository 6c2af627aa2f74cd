import pg from 'pg';
import type { SecretBox } from '../../domain/secret-box.js';
import { isConnectionError, mapPgError } from './errors.js';
import type { CatalogContext } from '../catalog/catalog-context.js';
import { SecretCodec } from '../secret-codec.js';
import { postgresCatalogContext } from './catalog-values.js';

/**
 * Type parsers set on our clients only, never in pg's global registry, so an application that
 * embeds Hookrelay keeps its own. int8 values (epoch ms, seqs, counts) stay below 2^53, so they
 * are read as JavaScript numbers.
 */
const INT8_OID = 20;
export const hookrelayTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && (format ?? 'text') === 'text') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

export type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * A statement PostgreSQL prepares once per session under `name` and afterwards only binds, so the
 * pool must keep sessions (no transaction-mode pooler in front). Result columns are listed, never
 * `*`: a prepared statement fails once a migration changes the columns behind `*`.
 */
export interface NamedStatement {
  name: string;
  text: string;
}

export const bind = (statement: NamedStatement, values: unknown[]): pg.QueryConfig => ({ ...statement, values });

/** One array per key, of the rows' values in row order: the parameters of an `unnest($1::…[], $2::…[], …)`. */
export const columns = <T>(rows: readonly T[], ...keys: Array<keyof T>): unknown[][] =>
  keys.map((k) => rows.map((r) => r[k]));

/**
 * Set when an outcome connection opens and kept for its life: the settings of tx's `relaxed` and
 * `generic`, so that its transactions need not set them each time.
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
   * How long a statement may wait for its answer before StoreUnavailableError (the connection is
   * discarded), so a silent partition answers 503 rather than hanging; keep it well above lock
   * waits. (Default: none; the server passes HOOKRELAY_DATABASE_QUERY_TIMEOUT_MS)
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
    // An idle client whose server went away emits `error` on the pool: unhandled, it would crash
    // the process; handled, pg drops the client and the next query reconnects.
    pool.on('error', () => {});
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
   * A client for several statements. A checked-out client has no pool `error` listener, so one
   * that dies between statements would crash the process: this listener records it, and
   * `release()` destroys the client rather than pooling it.
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
        client.release(dead ?? (destroy || (err !== undefined && isConnectionError(err))));
      },
    };
  }

  /**
   * Runs `fn` in one transaction on one client and rolls it back on any error. The options are
   * set in the same round trip as BEGIN:
   * - `relaxed`: the commit does not wait for the WAL flush. For leases and outcomes only, whose
   *   loss in a server crash only sends a delivery again; accepted messages always wait.
   * - `lock`: takes that transaction-scoped advisory lock (advisory-locks.ts).
   * - `generic`: named statements keep the plan made at their first run, with sequential scans
   *   ruled out, because on an empty table a scan looks cheaper than any seek.
   * - `keyOrder`: sorting is ruled out, so `ORDER BY … LIMIT` reads an index in order.
   * - `outcome`: runs on an outcome connection, which already has the `relaxed` and `generic` settings.
   * - `snapshot`: REPEATABLE READ, READ ONLY, so every statement reads the same committed state.
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
