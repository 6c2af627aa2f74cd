import type { SecretBox } from '../../domain/secret-box.js';
import type {
  ClaimedDelivery,
  ClaimRequest,
  CreateMessageResult,
  NewMessage,
  RateBudgetGrant,
  RateBudgetTake,
  Store,
} from '../store.js';
import { Db } from './db.js';
import { claimDeliveries } from './outbox-claim.js';
import { completeAndClaim, completeDeliveries } from './outbox-complete.js';
import { nextDueAt } from './next-due.js';
import { postgresOrderedKeys } from './ordering.js';
import { migrate } from './migrate.js';
import { createMessages } from './outbox-write.js';
import { Notifications } from './notifications.js';
import { OutboxStore, type OutboxPort } from '../outbox-store.js';
import type { CatalogContext } from '../catalog/catalog-context.js';
import type { Steps } from '../catalog/steps.js';
import type { CatalogTransaction } from '../catalog/usage-catalog-store.js';
import { runSteps } from './catalog-runner.js';
import * as budgets from './rate-budgets.js';
import type { AppId } from '../../ids.js';

export interface PostgresStoreOptions {
  /** postgres:// URL (HOOKRELAY_DATABASE_URL). */
  url: string;
  /** Seals endpoint secrets at rest; every process sharing the database needs the same key. */
  secretBox: SecretBox;
  /** Connections in this process's pool, plus up to two for outcome commits (db.ts) and one for LISTEN. (Default: 10) */
  poolSize?: number;
  /** Client-side timeout of one statement (db.ts). (Default: none) */
  queryTimeoutMs?: number;
}

/**
 * The scale-out store: many API and worker processes share one PostgreSQL database, each batch
 * one transaction, claims under row locks (outbox-claim.ts), other processes heard through
 * LISTEN (notifications.ts); the pools drop dead connections, so a restarted server is rejoined.
 */
export class PostgresStore extends OutboxStore implements Store {
  readonly dialect = 'postgres' as const;
  protected readonly db: Db;
  private readonly notifications: Notifications;
  private closing: Promise<void> | null = null;

  constructor(options: PostgresStoreOptions) {
    super();
    // A silent partition stalls new connections' handshakes too: they get the query timeout.
    const connectTimeoutMs =
      options.queryTimeoutMs === undefined ? undefined : Math.min(10_000, options.queryTimeoutMs);
    this.db = new Db(
      { url: options.url, poolSize: options.poolSize, queryTimeoutMs: options.queryTimeoutMs, connectTimeoutMs },
      options.secretBox,
    );
    this.notifications = new Notifications({
      url: options.url,
      isOwnBackend: (pid) => this.db.backendPids.has(pid),
      heard: {
        work: () => this.workQueued(),
        messages: (appId) => this.messagesCommitted([appId]),
        listen: (channelId) => this.listenAppended(channelId),
      },
    });
  }

  /** A catalog operation (catalog/); a snapshot is a REPEATABLE READ transaction. */
  protected catalog<T>(op: (c: CatalogContext) => Steps<T>, transaction?: CatalogTransaction): Promise<T> {
    const steps = op(this.db.catalog);
    if (!transaction) return runSteps(this.db, steps, null);
    return this.db.tx((client) => runSteps(this.db, steps, client), { snapshot: transaction === 'snapshot' });
  }

  async migrate(): Promise<void> {
    await migrate(this.db);
  }
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.notifications.close();
      await this.db.end();
    })();
    return this.closing;
  }
  /** Resolves once the LISTEN connection is up, so no other process's NOTIFY can be missed from here on. */
  listening(): Promise<void> {
    return this.notifications.listening();
  }

  protected readonly outbox: OutboxPort = {
    write: async (inputs) => (await createMessages(this.db, inputs)).results,
    claim: (req) => claimDeliveries(this.db, req),
    complete: async (outcomes) => {
      await completeDeliveries(this.db, outcomes);
    },
    completeAndClaim: (outcomes, claim) => completeAndClaim(this.db, outcomes, claim),
    nextDueAt: () => nextDueAt(this.db),
    orderedKeys: postgresOrderedKeys,
  };

  /**
   * Ingest's hand-off: the batch and the worker's claim in one transaction, so a new message is
   * sent without waiting for a wake-up and a claim transaction of its own under the claim lock.
   */
  async createMessagesAndClaim(
    inputs: NewMessage[],
    claim: ClaimRequest,
  ): Promise<{ results: CreateMessageResult[]; claimed: ClaimedDelivery[] }> {
    const written = await createMessages(this.db, inputs, claim);
    this.announce(written.results, written.claimed.length);
    return written;
  }

  /** Listeners hear other processes' writes too, once the LISTEN connection is up (notifications.ts). */
  override onWork(listener: () => void): () => void {
    this.notifications.start();
    return super.onWork(listener);
  }
  override onMessages(listener: (appId: AppId) => void): () => void {
    this.notifications.start();
    return super.onMessages(listener);
  }
  override onListenAppend(listener: (channelId: string) => void): () => void {
    this.notifications.start();
    return super.onListenAppend(listener);
  }

  takeRateBudget(take: RateBudgetTake): Promise<RateBudgetGrant> {
    return budgets.takeRateBudget(this.db, take);
  }
  pruneRateBudgets(now: number): Promise<number> {
    return budgets.pruneRateBudgets(this.db, now);
  }
}
