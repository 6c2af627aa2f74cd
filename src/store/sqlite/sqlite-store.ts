import type Database from 'better-sqlite3';
import type { SecretBox } from '../../domain/secret-box.js';
import type { RateBudgetGrant, RateBudgetTake, Store } from '../store.js';
import { claimDeliveries, completeAndClaim } from './outbox-claim.js';
import { completeDeliveries } from './outbox-complete.js';
import { nextDueAt } from './next-due.js';
import { sqliteOrderedKeys } from './ordering.js';
import * as messages from './outbox-write.js';
import { migrate } from './migrate.js';
import { SecretCodec } from '../secret-codec.js';
import { MemoryRateBudgets } from './rate-budgets.js';
import type { SqliteContext } from './sqlite-context.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { OutboxStore, type OutboxPort } from '../outbox-store.js';
import type { CatalogContext } from '../catalog/catalog-context.js';
import type { Steps } from '../catalog/steps.js';
import type { CatalogTransaction } from '../catalog/usage-catalog-store.js';
import { runSteps } from './catalog-runner.js';
import { translateSqliteError } from './sqlite-errors.js';
import { WalSync } from './wal-sync.js';
import { StoreUnavailableError } from '../../errors.js';

export interface SqliteStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string;
  /** Seals endpoint secrets at rest. */
  secretBox: SecretBox;
  /** FULL fsyncs every commit; NORMAL (WAL) may lose the last commits on power loss. (Default: 'FULL') */
  synchronous?: 'FULL' | 'NORMAL';
}

/** The embedded store: one SQLite file (WAL), one connection and writer; each batch is one transaction. */
export class SqliteStore extends OutboxStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly ctx: SqliteContext;
  /** Present when commits must be durable (FULL) and the database is a file. */
  private readonly walSync: WalSync | null;
  private readonly budgets = new MemoryRateBudgets();

  constructor(options: SqliteStoreOptions) {
    super();
    const synchronous = options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL';
    ({ db: this.db, ctx: this.ctx } = openSqliteConnection(
      options.file,
      synchronous,
      new SecretCodec(options.secretBox),
    ));
    this.walSync = synchronous === 'FULL' && options.file !== ':memory:' ? new WalSync(`${options.file}-wal`) : null;
  }

  /** Run a synchronous store step, translating SQLite errors into our hierarchy. */
  protected run<T>(fn: (ctx: SqliteContext) => T): Promise<T> {
    try {
      return Promise.resolve(fn(this.ctx));
    } catch (err) {
      return Promise.reject(translateSqliteError(err));
    }
  }

  /** A catalog operation (catalog/): a write in an IMMEDIATE transaction, a snapshot in a DEFERRED one. */
  protected catalog<T>(op: (c: CatalogContext) => Steps<T>, transaction?: CatalogTransaction): Promise<T> {
    return this.run((c) => {
      if (!transaction) return runSteps(c, op(c.catalog));
      const tx = c.db.transaction(() => runSteps(c, op(c.catalog)));
      return transaction === 'write' ? tx.immediate() : tx.deferred();
    });
  }

  migrate(): Promise<void> {
    return this.run(() => migrate(this.db));
  }
  ping(): Promise<void> {
    return this.run((c) => {
      c.stmt('SELECT 1').get();
    });
  }
  private async durable(): Promise<void> {
    if (!this.walSync) return;
    try {
      await this.walSync.sync();
    } catch (err) {
      throw new StoreUnavailableError(
        `Could not sync the SQLite WAL to disk (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
        { cause: err },
      );
    }
  }

  close(): Promise<void> {
    this.walSync?.close();
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }

  protected readonly outbox: OutboxPort = {
    write: async (inputs) => {
      // The commit itself does not wait for the disk; walSync does, off the event loop (wal-sync.ts).
      const results = await this.run((c) => c.relaxed(() => messages.createMessages(c, inputs)));
      await this.durable();
      return results;
    },
    claim: (req) => this.run((c) => claimDeliveries(c, req)),
    complete: (outcomes) => this.run((c) => completeDeliveries(c, outcomes)),
    completeAndClaim: (outcomes, claim) => this.run((c) => completeAndClaim(c, outcomes, claim)),
    nextDueAt: () => this.run((c) => nextDueAt(c)),
    orderedKeys: sqliteOrderedKeys,
  };

  takeRateBudget(take: RateBudgetTake): Promise<RateBudgetGrant> {
    return this.run(() => this.budgets.take(take));
  }
  pruneRateBudgets(now: number): Promise<number> {
    return this.run(() => this.budgets.prune(now));
  }
}
