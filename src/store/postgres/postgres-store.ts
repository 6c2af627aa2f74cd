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
import { ingestNews } from '../ingest-news.js';
import * as apps from './applications.js';
import * as attempts from './attempts.js';
import { Db } from './db.js';
import { claimDeliveries } from './deliveries-claim.js';
import { completeDeliveries } from './deliveries-complete.js';
import * as deliveries from './deliveries.js';
import * as views from './delivery-views.js';
import * as endpoints from './endpoints.js';
import * as eventTypes from './event-types.js';
import { migrate } from './migrate.js';
import * as messages from './messages.js';
import { createMessages } from './messages-write.js';
import { Notifications } from './notifications.js';
import * as jobRuns from './job-runs.js';
import { PostgresStatsReads } from './postgres-stats-reads.js';
import { PostgresListenLog } from './listen-log.js';
import { expireContent } from './retention.js';
import * as budgets from './rate-budgets.js';
import * as small from './small-tables.js';
import * as tokens from './tokens.js';

export interface PostgresStoreOptions {
  /** postgres:// URL (HOOKRELAY_DATABASE_URL). */
  url: string;
  /** Seals endpoint secrets at rest; every process sharing the database needs the same key. */
  secretBox: SecretBox;
  /** Connections in this process's pool, plus one dedicated LISTEN connection. (Default: 10) */
  poolSize?: number;
  /** Client-side timeout of one statement (db.ts). (Default: none) */
  queryTimeoutMs?: number;
}

/**
 * The scale-out store: many API and worker processes share one PostgreSQL database.
 * - Ingest is a group commit (messages-write.ts): one transaction per batch, multi-row inserts,
 *   seqs assigned in commit order, NOTIFY to every process.
 * - Workers claim with FOR NO KEY UPDATE SKIP LOCKED under a short advisory lock
 *   (deliveries-claim.ts) and write outcomes back in one transaction per batch.
 * - onWork / onMessages hear this process's writes directly and other processes' through one
 *   LISTEN connection (notifications.ts), which reconnects by itself.
 * - Errors: unique violations → ConflictError; an unreachable database → StoreUnavailableError;
 *   the pool drops dead connections, so the store recovers after a PostgreSQL restart.
 */
export class PostgresStore extends PostgresStatsReads implements Store {
  readonly dialect = 'postgres' as const;
  protected readonly db: Db;
  private readonly notifications: Notifications;
  readonly listenLog: PostgresListenLog;
  private closing: Promise<void> | null = null;

  constructor(options: PostgresStoreOptions) {
    super();
    // A connection that cannot be had within the query timeout is as unavailable as a statement
    // that cannot finish within it (a silent partition stalls new connections' handshakes too).
    const connectTimeoutMs =
      options.queryTimeoutMs === undefined ? undefined : Math.min(10_000, options.queryTimeoutMs);
    this.db = new Db(
      { url: options.url, poolSize: options.poolSize, queryTimeoutMs: options.queryTimeoutMs, connectTimeoutMs },
      options.secretBox,
    );
    this.notifications = new Notifications({ url: options.url, isOwnBackend: (pid) => this.db.backendPids.has(pid) });
    this.listenLog = new PostgresListenLog(this.db, this.notifications);
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

  getSetting(key: string): Promise<string | null> {
    return small.getSetting(this.db, key);
  }
  setSettingIfAbsent(key: string, value: string): Promise<string> {
    return small.setSettingIfAbsent(this.db, key, value);
  }
  putSetting(key: string, value: string | null): Promise<void> {
    return small.putSetting(this.db, key, value);
  }

  createApplication(input: NewApplication): Promise<Application> {
    return apps.createApplication(this.db, input);
  }
  getApplication(idOrUid: string): Promise<Application | null> {
    return apps.getApplication(this.db, idOrUid);
  }
  listApplications(page: PageQuery, filter?: ApplicationFilter): Promise<Page<Application>> {
    return apps.listApplications(this.db, page, filter);
  }
  updateApplication(id: string, update: ApplicationUpdate, now: number): Promise<Application | null> {
    return apps.updateApplication(this.db, id, update, now);
  }
  deleteApplication(id: string): Promise<boolean> {
    return apps.deleteApplication(this.db, id);
  }

  createEventType(input: NewEventType): Promise<EventType> {
    return eventTypes.createEventType(this.db, input);
  }
  getEventType(name: string): Promise<EventType | null> {
    return eventTypes.getEventType(this.db, name);
  }
  listEventTypes(page: PageQuery, includeArchived: boolean): Promise<Page<EventType>> {
    return eventTypes.listEventTypes(this.db, page, includeArchived);
  }
  updateEventType(name: string, update: EventTypeUpdate, now: number): Promise<EventType | null> {
    return eventTypes.updateEventType(this.db, name, update, now);
  }
  deleteEventType(name: string): Promise<boolean> {
    return eventTypes.deleteEventType(this.db, name);
  }

  createEndpoint(input: NewEndpoint): Promise<Endpoint> {
    return endpoints.createEndpoint(this.db, input);
  }
  getEndpoint(appId: string, idOrUid: string): Promise<Endpoint | null> {
    return endpoints.getEndpoint(this.db, appId, idOrUid);
  }
  listEndpoints(appId: string, page: PageQuery): Promise<Page<Endpoint>> {
    return endpoints.listEndpoints(this.db, appId, page);
  }
  updateEndpoint(appId: string, id: string, update: EndpointUpdate, now: number): Promise<Endpoint | null> {
    return endpoints.updateEndpoint(this.db, appId, id, update, now);
  }
  deleteEndpoint(appId: string, id: string): Promise<boolean> {
    return endpoints.deleteEndpoint(this.db, appId, id);
  }
  reencryptSecrets(newKey: Buffer, settings: Record<string, string>): Promise<number> {
    return endpoints.reencryptSecrets(this.db, newKey, settings);
  }
  rotateEndpointSecret(
    appId: string,
    id: string,
    newKey: string,
    gracePeriodMs: number,
    now: number,
  ): Promise<Endpoint | null> {
    return endpoints.rotateEndpointSecret(this.db, appId, id, newKey, gracePeriodMs, now);
  }

  async createMessages(inputs: NewMessage[]): Promise<CreateMessageResult[]> {
    const { results } = await createMessages(this.db, inputs);
    this.announce(results, 0);
    return results;
  }
  async createMessagesAndClaim(
    inputs: NewMessage[],
    claim: ClaimRequest,
  ): Promise<{ results: CreateMessageResult[]; claimed: ClaimedDelivery[] }> {
    const written = await createMessages(this.db, inputs, claim);
    this.announce(written.results, written.claimed.length);
    return written;
  }
  /** After COMMIT, so whoever a listener wakes sees the rows; other processes hear the NOTIFY. */
  private announce(results: CreateMessageResult[], claimed: number): void {
    const { appIds, work } = ingestNews(results, claimed);
    if (work) this.notifications.dispatchWork();
    this.notifications.dispatchMessages(appIds);
  }
  getMessage(appId: string, idOrEventId: string): Promise<Message | null> {
    return messages.getMessage(this.db, appId, idOrEventId);
  }
  listMessages(appId: string, page: PageQuery, filter: MessageFilter): Promise<Page<Message>> {
    return messages.listMessages(this.db, appId, page, filter);
  }
  expungeMessageContent(appId: string, msgId: string): Promise<boolean> {
    return messages.expungeMessageContent(this.db, appId, msgId);
  }

  listAttemptsByEndpoint(
    appId: string,
    endpointId: string,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<Attempt>> {
    return attempts.listAttemptsByEndpoint(this.db, appId, endpointId, page, filter);
  }
  listAttemptsByMessage(appId: string, msgId: string, page: PageQuery, filter: AttemptFilter): Promise<Page<Attempt>> {
    return attempts.listAttemptsByMessage(this.db, appId, msgId, page, filter);
  }
  getAttempt(appId: string, msgId: string, attemptId: string): Promise<Attempt | null> {
    return attempts.getAttempt(this.db, appId, msgId, attemptId);
  }
  expungeAttemptContent(appId: string, msgId: string, attemptId: string): Promise<boolean> {
    return attempts.expungeAttemptContent(this.db, appId, msgId, attemptId);
  }
  listMessageDestinations(appId: string, msgId: string, page: PageQuery): Promise<Page<DeliveryView>> {
    return views.listMessageDestinations(this.db, appId, msgId, page);
  }
  listEndpointMessages(
    appId: string,
    endpointId: string,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<DeliveryView>> {
    return views.listEndpointMessages(this.db, appId, endpointId, page, filter);
  }
  endpointStats(appId: string, endpointId: string, since: number | null, until: number | null): Promise<EndpointStats> {
    return views.endpointStats(this.db, appId, endpointId, since, until);
  }

  claimDeliveries(req: ClaimRequest): Promise<ClaimedDelivery[]> {
    return claimDeliveries(this.db, req);
  }
  /**
   * Two transactions here: a relaxed commit costs PostgreSQL no flush, only a round trip. The
   * outcomes are committed first; a claim that fails then leases nothing (the worker's own loop
   * claims again and logs the fault) rather than fail the call and have the outcomes written twice.
   */
  async completeAndClaim(outcomes: DeliveryOutcome[], claim: ClaimRequest): Promise<ClaimedDelivery[]> {
    const due = await completeDeliveries(this.db, outcomes, claim.now);
    this.retriesAreWork(outcomes);
    // Nothing due: no claim, so the claim lock stays free for ingest's (ingest-claim.ts).
    if (!due) return [];
    try {
      return await claimDeliveries(this.db, claim);
    } catch {
      return [];
    }
  }
  async completeDeliveries(outcomes: DeliveryOutcome[]): Promise<void> {
    await completeDeliveries(this.db, outcomes);
    this.retriesAreWork(outcomes);
  }
  /** A retry (or a deferral) is new work for this process's idle loop; the others poll nextDueAt. */
  private retriesAreWork(outcomes: DeliveryOutcome[]): void {
    if (outcomes.some((o) => o.next.kind === 'retry' || o.next.kind === 'defer')) this.notifications.dispatchWork();
  }
  async releaseDeliveries(deliveryIds: string[], owner: string): Promise<void> {
    // Released rows are due at once; the NOTIFY in the statement hands them to other processes.
    if ((await deliveries.releaseDeliveries(this.db, deliveryIds, owner)) > 0) this.notifications.dispatchWork();
  }
  nextDueAt(): Promise<number | null> {
    return deliveries.nextDueAt(this.db);
  }
  async resendDelivery(appId: string, msgId: string, endpointId: string, now: number): Promise<Delivery | null> {
    const d = await deliveries.resendDelivery(this.db, appId, msgId, endpointId, now);
    if (d) this.notifications.dispatchWork();
    return d;
  }
  async recoverEndpoint(
    appId: string,
    endpointId: string,
    since: number,
    until: number | null,
    now: number,
  ): Promise<number> {
    const n = await deliveries.recoverEndpoint(this.db, appId, endpointId, since, until, now);
    if (n > 0) this.notifications.dispatchWork();
    return n;
  }
  queueDepth(): Promise<number> {
    return deliveries.queueDepth(this.db);
  }
  queueStats(now: number): Promise<QueueStats> {
    return deliveries.queueStats(this.db, now);
  }
  onWork(listener: () => void): () => void {
    return this.notifications.onWork(listener);
  }

  listMessagesAfter(
    appId: string,
    afterSeq: number,
    limit: number,
    filter: { filterTypes: string[] | null; channels: string[] | null },
  ): Promise<Message[]> {
    return messages.listMessagesAfter(this.db, appId, afterSeq, limit, filter);
  }
  getConsumerOffset(endpointId: string, consumerId: string): Promise<ConsumerOffset | null> {
    return small.getConsumerOffset(this.db, endpointId, consumerId);
  }
  listConsumerOffsets(endpointId: string, page: PageQuery): Promise<Page<ConsumerOffset>> {
    return small.listConsumerOffsets(this.db, endpointId, page);
  }
  commitConsumerOffset(endpointId: string, consumerId: string, seq: number, now: number): Promise<void> {
    return small.commitConsumerOffset(this.db, endpointId, consumerId, seq, now);
  }
  onMessages(listener: (appId: string) => void): () => void {
    return this.notifications.onMessages(listener);
  }

  createToken(input: NewToken): Promise<void> {
    return tokens.createToken(this.db, input);
  }
  findToken(hash: string, now: number): Promise<TokenRecord | null> {
    return tokens.findToken(this.db, hash, now);
  }
  exchangeLoginKey(hash: string, session: { id: string; hash: string }, now: number): Promise<LoginKeyExchange> {
    return tokens.exchangeLoginKey(this.db, hash, session, now);
  }
  expireAppTokens(appId: string, at: number, sessionIds: string[] | null): Promise<number> {
    return tokens.expireAppTokens(this.db, appId, at, sessionIds);
  }
  expireToken(id: string, now: number): Promise<boolean> {
    return tokens.expireToken(this.db, id, now);
  }

  getIdempotentResponse(scope: string, key: string, now: number): Promise<IdempotentResponse | null> {
    return small.getIdempotentResponse(this.db, scope, key, now);
  }
  putIdempotentResponse(scope: string, key: string, response: IdempotentResponse, expiresAt: number): Promise<void> {
    return small.putIdempotentResponse(this.db, scope, key, response, expiresAt);
  }

  expireContent(now: number): Promise<{ messages: number; attempts: number }> {
    return expireContent(this.db, now);
  }

  claimJobRun(claim: JobRunClaim): Promise<boolean> {
    return jobRuns.claimJobRun(this.db, claim);
  }
  finishJobRun(job: string, period: number, owner: string, now: number): Promise<void> {
    return jobRuns.finishJobRun(this.db, job, period, owner, now);
  }

  takeRateBudget(take: RateBudgetTake): Promise<RateBudgetGrant> {
    return budgets.takeRateBudget(this.db, take);
  }
  pruneRateBudgets(now: number): Promise<number> {
    return budgets.pruneRateBudgets(this.db, now);
  }
}
