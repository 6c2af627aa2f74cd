import type Database from 'better-sqlite3';
import type { Application, Attempt, Delivery, Endpoint, EventType, Message } from '../../domain/model.js';
import type { SecretBox } from '../../domain/secret-box.js';
import type {
  ApplicationFilter,
  ApplicationUpdate,
  AttemptFilter,
  ClaimedDelivery,
  ClaimRequest,
  ConsumerOffset,
  CreateMessageResult,
  DeliveryOutcome,
  DeliveryView,
  EndpointStats,
  EndpointUpdate,
  EventTypeUpdate,
  IdempotentResponse,
  JobRunClaim,
  LoginKeyExchange,
  MessageFilter,
  NewApplication,
  NewEndpoint,
  NewEventType,
  NewMessage,
  NewToken,
  Page,
  PageQuery,
  QueueStats,
  RateBudgetGrant,
  RateBudgetTake,
  Store,
  TokenRecord,
} from '../store.js';
import * as apps from './applications.js';
import * as attempts from './attempts.js';
import { claimDeliveries, completeAndClaim, writeAndClaim } from './claim.js';
import * as deliveries from './deliveries.js';
import * as views from './delivery-views.js';
import * as endpoints from './endpoints.js';
import * as eventTypes from './event-types.js';
import { Listeners } from './listeners.js';
import * as messages from './messages.js';
import { migrate } from './migrate.js';
import { expireContent } from './retention.js';
import { ingestNews } from '../ingest-news.js';
import { SecretCodec } from '../secret-codec.js';
import * as small from './small-tables.js';
import { MemoryRateBudgets } from './rate-budgets.js';
import { MemoryJobRuns } from './job-runs.js';
import * as tokens from './tokens.js';
import type { SqliteContext } from './sqlite-context.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { SqliteStatsReads } from './sqlite-stats-reads.js';
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

/**
 * The embedded store: one SQLite file (WAL), better-sqlite3's synchronous calls behind the async
 * Store interface. One connection, one writer: each batch method is one transaction, so the
 * API's and the workers' group commits cost one fsync per batch.
 */
export class SqliteStore extends SqliteStatsReads implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly ctx: SqliteContext;
  private readonly work = new Listeners<[]>();
  private readonly committed = new Listeners<[string]>();
  /** Present when commits must be durable (FULL) and the database is a file. */
  private readonly walSync: WalSync | null;
  private readonly budgets = new MemoryRateBudgets();
  private readonly jobRuns = new MemoryJobRuns();

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

  getSetting(key: string): Promise<string | null> {
    return this.run((c) => small.getSetting(c, key));
  }
  setSettingIfAbsent(key: string, value: string): Promise<string> {
    return this.run((c) => small.setSettingIfAbsent(c, key, value));
  }
  putSetting(key: string, value: string | null): Promise<void> {
    return this.run((c) => small.putSetting(c, key, value));
  }

  createApplication(input: NewApplication): Promise<Application> {
    return this.run((c) => apps.createApplication(c, input));
  }
  getApplication(idOrUid: string): Promise<Application | null> {
    return this.run((c) => apps.getApplication(c, idOrUid));
  }
  listApplications(page: PageQuery, filter?: ApplicationFilter): Promise<Page<Application>> {
    return this.run((c) => apps.listApplications(c, page, filter));
  }
  updateApplication(id: string, update: ApplicationUpdate, now: number): Promise<Application | null> {
    return this.run((c) => apps.updateApplication(c, id, update, now));
  }
  deleteApplication(id: string): Promise<boolean> {
    return this.run((c) => apps.deleteApplication(c, id));
  }

  createEventType(input: NewEventType): Promise<EventType> {
    return this.run((c) => eventTypes.createEventType(c, input));
  }
  getEventType(name: string): Promise<EventType | null> {
    return this.run((c) => eventTypes.getEventType(c, name));
  }
  listEventTypes(page: PageQuery, includeArchived: boolean): Promise<Page<EventType>> {
    return this.run((c) => eventTypes.listEventTypes(c, page, includeArchived));
  }
  updateEventType(name: string, update: EventTypeUpdate, now: number): Promise<EventType | null> {
    return this.run((c) => eventTypes.updateEventType(c, name, update, now));
  }
  deleteEventType(name: string): Promise<boolean> {
    return this.run((c) => eventTypes.deleteEventType(c, name));
  }

  createEndpoint(input: NewEndpoint): Promise<Endpoint> {
    return this.run((c) => endpoints.createEndpoint(c, input));
  }
  getEndpoint(appId: string, idOrUid: string): Promise<Endpoint | null> {
    return this.run((c) => endpoints.getEndpoint(c, appId, idOrUid));
  }
  listEndpoints(appId: string, page: PageQuery): Promise<Page<Endpoint>> {
    return this.run((c) => endpoints.listEndpoints(c, appId, page));
  }
  updateEndpoint(appId: string, id: string, update: EndpointUpdate, now: number): Promise<Endpoint | null> {
    return this.run((c) => endpoints.updateEndpoint(c, appId, id, update, now));
  }
  deleteEndpoint(appId: string, id: string): Promise<boolean> {
    return this.run((c) => endpoints.deleteEndpoint(c, appId, id));
  }
  reencryptSecrets(newKey: Buffer, settings: Record<string, string>): Promise<number> {
    return this.run((c) => endpoints.reencryptSecrets(c, newKey, settings));
  }
  rotateEndpointSecret(
    appId: string,
    id: string,
    newKey: string,
    gracePeriodMs: number,
    now: number,
  ): Promise<Endpoint | null> {
    return this.run((c) => endpoints.rotateEndpointSecret(c, appId, id, newKey, gracePeriodMs, now));
  }

  async createMessages(inputs: NewMessage[]): Promise<CreateMessageResult[]> {
    // The commit itself does not wait for the disk; walSync does, off the event loop (wal-sync.ts).
    const results = await this.run((c) => c.relaxed(() => messages.createMessages(c, inputs)));
    await this.durable();
    this.announce(results, 0);
    return results;
  }
  async createMessagesAndClaim(
    inputs: NewMessage[],
    claim: ClaimRequest,
  ): Promise<{ results: CreateMessageResult[]; claimed: ClaimedDelivery[] }> {
    const { written: results, claimed } = await this.run((c) =>
      writeAndClaim(c, () => messages.createMessages(c, inputs), claim),
    );
    await this.durable();
    this.announce(results, claimed.length);
    return { results, claimed };
  }
  /** After the commit is durable, so whoever a listener wakes sees the rows. */
  private announce(results: CreateMessageResult[], claimed: number): void {
    const { appIds, work } = ingestNews(results, claimed);
    if (work) this.work.fire();
    for (const appId of appIds) this.committed.fire(appId);
  }
  getMessage(appId: string, idOrEventId: string): Promise<Message | null> {
    return this.run((c) => messages.getMessage(c, appId, idOrEventId));
  }
  listMessages(appId: string, page: PageQuery, filter: MessageFilter): Promise<Page<Message>> {
    return this.run((c) => messages.listMessages(c, appId, page, filter));
  }
  expungeMessageContent(appId: string, msgId: string): Promise<boolean> {
    return this.run((c) => messages.expungeMessageContent(c, appId, msgId));
  }

  listAttemptsByEndpoint(
    appId: string,
    endpointId: string,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<Attempt>> {
    return this.run((c) => attempts.listAttemptsByEndpoint(c, appId, endpointId, page, filter));
  }
  listAttemptsByMessage(appId: string, msgId: string, page: PageQuery, filter: AttemptFilter): Promise<Page<Attempt>> {
    return this.run((c) => attempts.listAttemptsByMessage(c, appId, msgId, page, filter));
  }
  getAttempt(appId: string, msgId: string, attemptId: string): Promise<Attempt | null> {
    return this.run((c) => attempts.getAttempt(c, appId, msgId, attemptId));
  }
  expungeAttemptContent(appId: string, msgId: string, attemptId: string): Promise<boolean> {
    return this.run((c) => attempts.expungeAttemptContent(c, appId, msgId, attemptId));
  }
  listMessageDestinations(appId: string, msgId: string, page: PageQuery): Promise<Page<DeliveryView>> {
    return this.run((c) => views.listMessageDestinations(c, appId, msgId, page));
  }
  listEndpointMessages(
    appId: string,
    endpointId: string,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<DeliveryView>> {
    return this.run((c) => views.listEndpointMessages(c, appId, endpointId, page, filter));
  }
  endpointStats(appId: string, endpointId: string, since: number | null, until: number | null): Promise<EndpointStats> {
    return this.run((c) => views.endpointStats(c, appId, endpointId, since, until));
  }

  claimDeliveries(req: ClaimRequest): Promise<ClaimedDelivery[]> {
    return this.run((c) => claimDeliveries(c, req));
  }
  async completeDeliveries(outcomes: DeliveryOutcome[]): Promise<void> {
    await this.run((c) => deliveries.completeDeliveries(c, outcomes));
    this.retriesAreWork(outcomes);
  }
  async completeAndClaim(outcomes: DeliveryOutcome[], claim: ClaimRequest): Promise<ClaimedDelivery[]> {
    const claimed = await this.run((c) => completeAndClaim(c, outcomes, claim));
    this.retriesAreWork(outcomes);
    return claimed;
  }
  /** A retry due now (or a deferral) is new work for an idle loop. */
  private retriesAreWork(outcomes: DeliveryOutcome[]): void {
    if (outcomes.some((o) => o.next.kind === 'retry' || o.next.kind === 'defer')) this.work.fire();
  }
  async releaseDeliveries(deliveryIds: string[], owner: string): Promise<void> {
    await this.run((c) => deliveries.releaseDeliveries(c, deliveryIds, owner));
  }
  nextDueAt(): Promise<number | null> {
    return this.run((c) => deliveries.nextDueAt(c));
  }
  async resendDelivery(appId: string, msgId: string, endpointId: string, now: number): Promise<Delivery | null> {
    const d = await this.run((c) => deliveries.resendDelivery(c, appId, msgId, endpointId, now));
    if (d) this.work.fire();
    return d;
  }
  async recoverEndpoint(
    appId: string,
    endpointId: string,
    since: number,
    until: number | null,
    now: number,
  ): Promise<number> {
    const n = await this.run((c) => deliveries.recoverEndpoint(c, appId, endpointId, since, until, now));
    if (n > 0) this.work.fire();
    return n;
  }
  queueDepth(): Promise<number> {
    return this.run((c) => deliveries.queueDepth(c));
  }
  queueStats(now: number): Promise<QueueStats> {
    return this.run((c) => deliveries.queueStats(c, now));
  }
  onWork(listener: () => void): () => void {
    return this.work.add(listener);
  }

  listMessagesAfter(
    appId: string,
    afterSeq: number,
    limit: number,
    filter: { filterTypes: string[] | null; channels: string[] | null },
  ): Promise<Message[]> {
    return this.run((c) => messages.listMessagesAfter(c, appId, afterSeq, limit, filter));
  }
  getConsumerOffset(endpointId: string, consumerId: string): Promise<ConsumerOffset | null> {
    return this.run((c) => small.getConsumerOffset(c, endpointId, consumerId));
  }
  listConsumerOffsets(endpointId: string, page: PageQuery): Promise<Page<ConsumerOffset>> {
    return this.run((c) => small.listConsumerOffsets(c, endpointId, page));
  }
  commitConsumerOffset(endpointId: string, consumerId: string, seq: number, now: number): Promise<void> {
    return this.run((c) => small.commitConsumerOffset(c, endpointId, consumerId, seq, now));
  }
  onMessages(listener: (appId: string) => void): () => void {
    return this.committed.add(listener);
  }

  createToken(input: NewToken): Promise<void> {
    return this.run((c) => tokens.createToken(c, input));
  }
  findToken(hash: string, now: number): Promise<TokenRecord | null> {
    return this.run((c) => tokens.findToken(c, hash, now));
  }
  exchangeLoginKey(hash: string, session: { id: string; hash: string }, now: number): Promise<LoginKeyExchange> {
    return this.run((c) => tokens.exchangeLoginKey(c, hash, session, now));
  }
  expireAppTokens(appId: string, at: number, sessionIds: string[] | null): Promise<number> {
    return this.run((c) => tokens.expireAppTokens(c, appId, at, sessionIds));
  }
  expireToken(id: string, now: number): Promise<boolean> {
    return this.run((c) => tokens.expireToken(c, id, now));
  }

  getIdempotentResponse(scope: string, key: string, now: number): Promise<IdempotentResponse | null> {
    return this.run((c) => small.getIdempotentResponse(c, scope, key, now));
  }
  putIdempotentResponse(scope: string, key: string, response: IdempotentResponse, expiresAt: number): Promise<void> {
    return this.run((c) => small.putIdempotentResponse(c, scope, key, response, expiresAt));
  }
  putIdempotentResponses(
    items: Array<{ scope: string; key: string; response: IdempotentResponse; expiresAt: number }>,
  ): Promise<void> {
    // One transaction (one fsync) for a whole event-loop turn of API requests.
    return this.run((c) =>
      c.db.transaction(() => {
        for (const i of items) small.putIdempotentResponse(c, i.scope, i.key, i.response, i.expiresAt);
      })(),
    );
  }

  expireContent(now: number): Promise<{ messages: number; attempts: number }> {
    return this.run((c) => expireContent(c, now));
  }

  claimJobRun(claim: JobRunClaim): Promise<boolean> {
    return this.run(() => this.jobRuns.claim(claim));
  }
  finishJobRun(job: string, period: number, owner: string): Promise<void> {
    return this.run(() => this.jobRuns.finish(job, period, owner));
  }

  takeRateBudget(take: RateBudgetTake): Promise<RateBudgetGrant> {
    return this.run(() => this.budgets.take(take));
  }
  pruneRateBudgets(now: number): Promise<number> {
    return this.run(() => this.budgets.prune(now));
  }
}
