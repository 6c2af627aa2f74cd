import type { AppId, EndpointId, MessageId } from '../ids.js';
import type { ListenLog } from './listen-log.js';
import type { Application, Attempt, Delivery, Endpoint, EventType, Message } from '../domain/model.js';

export type { CreateMessageResult, NewMessage } from '../domain/model.js';
export type { RateBudgetGrant, RateBudgetTake } from '../domain/shared-rate-budget.js';
import type { CreateMessageResult, NewMessage } from '../domain/model.js';
import type { RateBudgetGrant, RateBudgetTake } from '../domain/shared-rate-budget.js';
import type {
  ClaimedDelivery,
  ClaimRequest,
  DeliveryOutcome,
  DeliveryView,
  EndpointStats,
  HeadAction,
  QueueStats,
} from './delivery-types.js';
import type { IdempotentResponse, LoginKeyExchange, NewToken, TokenRecord } from './token-types.js';
import type {
  BackgroundTask,
  BackgroundTaskFilter,
  BackgroundTaskProgress,
  BlockedHead,
  CancelOutcome,
  DeadLetter,
  DeadLetterCounts,
  DeadLetterSelection,
  NewBackgroundTask,
  TaskAdvance,
  TaskQuery,
} from './task-types.js';
import type {
  ApplicationUpdate,
  AttemptFilter,
  ConsumerOffset,
  EndpointUpdate,
  EventTypeUpdate,
  MessageFilter,
  NewApplication,
  NewEndpoint,
  NewEventType,
} from './catalog-types.js';
import type {
  AppHealth,
  ApplicationFilter,
  AttemptCountQuery,
  AttemptCounts,
  CatalogTotals,
  DeliveryMinute,
  FailingEndpoint,
  TimeRange,
} from './stats-types.js';

export type * from './delivery-types.js';
export type * from './token-types.js';
export type * from './stats-types.js';
export type * from './task-types.js';

export type * from './usage-store.js';
export type * from './catalog-types.js';

/**
 * The one storage interface. Two adapters implement it — `sqlite/` (embedded default) and
 * `postgres/` (scale-out) — and one contract suite (`store.contract.ts`) runs against both.
 * Everything that differs between the databases lives inside the adapter folders; the
 * rest of the server only sees this file.
 *
 * Conventions: times are epoch ms; lookups that accept "id or uid" try the ID first;
 * `null` means "not found" (the caller raises NotFoundError); a taken uid / name / eventId
 * throws ConflictError; an unreachable database throws StoreUnavailableError.
 */

// ---------------------------------------------------------------- pagination

export type * from './page-types.js';
import type { Page, PageQuery } from './page-types.js';
import type { UsageStore } from './usage-store.js';

// ---------------------------------------------------------------- inputs

export interface JobRunClaim {
  job: string;
  /** Start of the period (epoch ms): the run's identity. */
  period: number;
  owner: string;
  now: number;
  /** How long the run is the owner's before another process may take it over. */
  leaseMs: number;
}

// ---------------------------------------------------------------- the interface

export interface Store extends UsageStore, ListenLog {
  readonly dialect: 'sqlite' | 'postgres';

  /** Apply pending numbered migrations (idempotent; safe to call from several processes). */
  migrate(): Promise<void>;
  /** Cheap liveness probe of the database. */
  ping(): Promise<void>;
  close(): Promise<void>;

  getSetting(key: string): Promise<string | null>;
  /** Insert if absent; returns the value that is stored afterwards (first writer wins). */
  setSettingIfAbsent(key: string, value: string): Promise<string>;
  /** Overwrite the value (last writer wins); null deletes the key. */
  putSetting(key: string, value: string | null): Promise<void>;

  // applications
  createApplication(input: NewApplication): Promise<Application>;
  getApplication(idOrUid: string): Promise<Application | null>;
  listApplications(page: PageQuery, filter?: ApplicationFilter): Promise<Page<Application>>;
  updateApplication(id: string, update: ApplicationUpdate, now: number): Promise<Application | null>;
  /** Deletes the app with its endpoints, messages, deliveries and attempts. */
  deleteApplication(id: string): Promise<boolean>;

  // event types (global, keyed by name)
  createEventType(input: NewEventType): Promise<EventType>;
  getEventType(name: string): Promise<EventType | null>;
  listEventTypes(page: PageQuery, includeArchived: boolean): Promise<Page<EventType>>;
  updateEventType(name: string, update: EventTypeUpdate, now: number): Promise<EventType | null>;
  deleteEventType(name: string): Promise<boolean>;

  // endpoints
  createEndpoint(input: NewEndpoint): Promise<Endpoint>;
  getEndpoint(appId: AppId, idOrUid: string): Promise<Endpoint | null>;
  listEndpoints(appId: AppId, page: PageQuery): Promise<Page<Endpoint>>;
  updateEndpoint(appId: AppId, id: EndpointId, update: EndpointUpdate, now: number): Promise<Endpoint | null>;
  deleteEndpoint(appId: AppId, id: EndpointId): Promise<boolean>;
  /** The new key becomes current; the old one keeps signing until now + gracePeriodMs. */
  rotateEndpointSecret(
    appId: AppId,
    id: string,
    newKey: string,
    gracePeriodMs: number,
    now: number,
  ): Promise<Endpoint | null>;
  /**
   * Encryption-key rotation: every endpoint secret opened with the store's key and sealed again
   * with `newKey`, and `settings` written, in one transaction. Returns how many endpoints.
   * The store keeps its old key: close it and open one with the new key.
   */
  reencryptSecrets(newKey: Buffer, settings: Record<string, string>): Promise<number>;

  // messages — the outbox
  /**
   * Group commit: every accepted message and one pending delivery row per matching endpoint
   * (domain/endpoint-filter.ts; enabled `url` endpoints only) are written in ONE transaction.
   * A duplicate eventId (same app) refuses that item only. Results are in input order.
   */
  createMessages(inputs: NewMessage[]): Promise<CreateMessageResult[]>;
  /**
   * Optional capability (PostgreSQL): createMessages, and in the same transaction this process's
   * worker's claim (claimDeliveries' rules), when no other claim holds the claim lock; it never
   * waits for one. A new message's deliveries then need no claim transaction of their own before
   * they are sent (the worker takes `claimed` in memory once the batch is durable); rows not
   * leased stay pending and wake the worker as createMessages' do. SQLite has none: its claim
   * costs no lock and no round trip, and inside the ingest transaction it delayed the commit.
   */
  createMessagesAndClaim?(
    inputs: NewMessage[],
    claim: ClaimRequest,
  ): Promise<{ results: CreateMessageResult[]; claimed: ClaimedDelivery[] }>;
  getMessage(appId: AppId, idOrEventId: string): Promise<Message | null>;
  listMessages(appId: AppId, page: PageQuery, filter: MessageFilter): Promise<Page<Message>>;
  expungeMessageContent(appId: AppId, msgId: MessageId): Promise<boolean>;

  // attempts and delivery views
  listAttemptsByEndpoint(
    appId: AppId,
    endpointId: EndpointId,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<Attempt>>;
  listAttemptsByMessage(appId: AppId, msgId: MessageId, page: PageQuery, filter: AttemptFilter): Promise<Page<Attempt>>;
  getAttempt(appId: AppId, msgId: MessageId, attemptId: string): Promise<Attempt | null>;
  expungeAttemptContent(appId: AppId, msgId: MessageId, attemptId: string): Promise<boolean>;
  /** Destinations of a message (one row per delivery), paged by endpoint ID. */
  listMessageDestinations(appId: AppId, msgId: MessageId, page: PageQuery): Promise<Page<DeliveryView>>;
  /** Messages delivered (or being delivered) to an endpoint, paged by message ID. */
  listEndpointMessages(
    appId: AppId,
    endpointId: EndpointId,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<DeliveryView>>;
  endpointStats(
    appId: AppId,
    endpointId: EndpointId,
    since: number | null,
    until: number | null,
  ): Promise<EndpointStats>;

  // delivery engine
  /**
   * Lease up to `limit` due rows (pending and next_attempt_at <= now, or sending with an expired
   * lease), shared fairly between endpoints (claim-planner.ts), at most `perEndpointLimit`
   * unexpired leases per endpoint counting every owner's, none of a disabled endpoint. Exclusive
   * across processes: no row is leased twice. Answers them with their message and endpoint, oldest due first.
   */
  claimDeliveries(req: ClaimRequest): Promise<ClaimedDelivery[]>;
  /**
   * Apply outcomes in one transaction, idempotently (a batch written again adds nothing): each
   * attempt is recorded while its row exists, even when the lease was lost (the request did
   * happen); a row moves on only while `owner` holds its lease; endpoint health is folded as if
   * the outcomes were applied one by one (outcome-fold.ts). No flush is waited for: a lost
   * outcome only sends its delivery again.
   */
  completeDeliveries(outcomes: DeliveryOutcome[]): Promise<void>;
  /**
   * completeDeliveries, then claimDeliveries with the leases it freed counted, in one
   * transaction where the store can (SQLite: one commit instead of two per cycle). PostgreSQL,
   * while a backlog waits, claims beside the commit instead, counting the batch's rows as settling.
   */
  completeAndClaim(outcomes: DeliveryOutcome[], claim: ClaimRequest): Promise<ClaimedDelivery[]>;
  /** Give leased rows back without an attempt (graceful shutdown). */
  releaseDeliveries(deliveryIds: string[], owner: string): Promise<void>;
  /** The earliest next_attempt_at among pending rows (or lease expiry among sending rows); null when idle. */
  nextDueAt(): Promise<number | null>;
  /** Queue one (message, endpoint) again now as a manual attempt; creates the row if the endpoint never had one. */
  resendDelivery(appId: AppId, msgId: MessageId, endpointId: EndpointId, now: number): Promise<Delivery | null>;
  /** Count of pending + sending rows (metrics). */
  queueDepth(): Promise<number>;
  /** The queue as metrics see it at `now` (store-wide, over the partial indexes). */
  queueStats(now: number): Promise<QueueStats>;
  /** Called when new work may be due (this process's writes; PostgreSQL: any process via NOTIFY). */
  onWork(listener: () => void): () => void;

  // background tasks (catalog/background-tasks.ts)
  createBackgroundTask(task: NewBackgroundTask): Promise<BackgroundTask>;
  getBackgroundTask(id: string): Promise<BackgroundTask | null>;
  listBackgroundTasks(page: PageQuery, filter: BackgroundTaskFilter): Promise<Page<BackgroundTask>>;
  /** End a running task as `failed` (`data.cancelled`); a finished or failed one is `not_running`. */
  cancelBackgroundTask(id: string, now: number): Promise<CancelOutcome>;
  /** Lease the oldest running task nobody holds, for `leaseMs`; null when there is none. */
  claimBackgroundTask(owner: string, now: number, leaseMs: number): Promise<BackgroundTask | null>;
  /**
   * Run the next chunk (at most `limit` rows) of a task `owner` holds, renewing its lease — or, with
   * `holdAt`, hold while its endpoint has that many deliveries due; `finished` after its last chunk;
   * null when `owner` no longer holds it.
   */
  advanceBackgroundTask(
    id: string,
    owner: string,
    now: number,
    limit: number,
    leaseMs: number,
    holdAt?: number,
  ): Promise<TaskAdvance | null>;
  /** Dead letters (failed deliveries) a selection names, newest first by default (catalog/dead-letters.ts). */
  listDeadLetters(page: PageQuery, selection: Partial<DeadLetterSelection>): Promise<Page<DeadLetter>>;
  /** Per endpoint: dead letters by reason class, and pending deliveries held by a disabled endpoint. */
  countDeadLetters(selection: Partial<DeadLetterSelection>): Promise<DeadLetterCounts[]>;
  // ordered delivery (sqlite|postgres/ordering.ts)
  /** Heads of ordered keys failing since `before` or earlier, oldest first (catalog/dead-letters.ts). */
  blockedOrderHeads(before: number, limit: number, endpointId?: EndpointId | null): Promise<BlockedHead[]>;
  /** The head of an ordered endpoint's key leaves the sequence (failed, `skipped`); the next message goes. */
  skipOrderHead(endpointId: EndpointId, key: string, now: number): Promise<HeadAction>;
  /** The head of a key is due now (a failed one with its schedule started over); not while it is being sent. */
  retryOrderHead(endpointId: EndpointId, key: string, now: number): Promise<HeadAction>;

  /** A dry run: what a task of `query` would match and send now, walked `limit` rows at a time. */
  previewBackgroundTask(query: TaskQuery, now: number, limit: number): Promise<BackgroundTaskProgress>;

  // pull
  /**
   * Messages of an app after `afterSeq`, ascending by seq, matching the filter of the poll
   * endpoint. Never returns seq N+1 while a transaction that will commit seq N is in flight,
   * so a cursor never skips a message.
   */
  listMessagesAfter(
    appId: AppId,
    afterSeq: number,
    limit: number,
    filter: { filterTypes: string[] | null; channels: string[] | null },
  ): Promise<Message[]>;
  getConsumerOffset(endpointId: EndpointId, consumerId: string): Promise<ConsumerOffset | null>;
  /**
   * The consumers of a poll endpoint, paged by consumer ID. Iterators are `c` + the consumer ID
   * (a consumer ID may start with `-`, which would read as a backwards iterator).
   */
  listConsumerOffsets(endpointId: EndpointId, page: PageQuery): Promise<Page<ConsumerOffset>>;
  commitConsumerOffset(endpointId: EndpointId, consumerId: string, seq: number, now: number): Promise<void>;
  /** Called after messages of `appId` are committed (this process; PostgreSQL: any process). */
  onMessages(listener: (appId: AppId) => void): () => void;

  // statistics (attempt counts seek the attempts' IDs by time: see AttemptCountQuery)
  /** Attempt counts per bucket of `bucketMs` from `since` (bucket 0); buckets without attempts are absent. */
  attemptHistogram(
    appId: AppId,
    q: AttemptCountQuery & { bucketMs: number },
  ): Promise<Array<AttemptCounts & { bucket: number }>>;
  attemptCountsByEventType(appId: AppId, q: AttemptCountQuery): Promise<Array<AttemptCounts & { eventType: string }>>;
  /** Every app's attempts per minute; minutes without attempts are absent. */
  deliveryMinutes(range: TimeRange): Promise<DeliveryMinute[]>;
  /**
   * Nearest-rank p50 and p99 of (first attempt − the time the message was due) over the
   * deliveries whose first scheduled attempt falls in the range; null when there is none.
   */
  deliveryLatency(range: TimeRange): Promise<{ count: number; p50: number | null; p99: number | null }>;
  catalogTotals(): Promise<CatalogTotals>;
  /** Attempt counts and endpoint health per app: of `appIds`, or (null) of every app with attempts in the range or a failing or disabled endpoint. */
  appHealth(appIds: AppId[] | null, range: TimeRange): Promise<AppHealth[]>;
  /** Endpoints with `failingSince` set, of one app or all, paged by endpoint ID. */
  listFailingEndpoints(page: PageQuery, appId: AppId | null): Promise<Page<FailingEndpoint>>;

  // auth
  createToken(input: NewToken): Promise<void>;
  /** A bearer token by hash, unexpired at `now`; never a login key. */
  findToken(hash: string, now: number): Promise<TokenRecord | null>;
  /**
   * Use a login key once: atomically mark it used and create the session it opens (`session`
   * = the new bearer's id and hash; app, capabilities and sessionId come from the key, expiry
   * from its sessionExpiresAt). Of two racing exchanges of one key exactly one succeeds; the
   * other is refused as `used`. An expired key is `expired` unless it was used before.
   */
  exchangeLoginKey(hash: string, session: { id: string; hash: string }, now: number): Promise<LoginKeyExchange>;
  /**
   * Expire the app's tokens of every kind (or only those whose sessionId is in `sessionIds`)
   * at `at`; a token already due to expire sooner keeps its own expiry. Returns how many changed.
   */
  expireAppTokens(appId: AppId, at: number, sessionIds: string[] | null): Promise<number>;
  /** Expire one token now (logout); false when it is unknown or already expired. */
  expireToken(id: string, now: number): Promise<boolean>;

  // idempotency-key
  getIdempotentResponse(scope: string, key: string, now: number): Promise<IdempotentResponse | null>;
  putIdempotentResponse(scope: string, key: string, response: IdempotentResponse, expiresAt: number): Promise<void>;
  /**
   * Optional capability: store several in ONE transaction. The API groups the records of one
   * event-loop turn (the svix SDKs send a key with every POST), so on SQLite they cost one
   * commit instead of one per request. Without it the API falls back to putIdempotentResponse.
   */
  putIdempotentResponses?(
    items: Array<{ scope: string; key: string; response: IdempotentResponse; expiresAt: number }>,
  ): Promise<void>;

  // shared rate budgets (endpoint rateLimit, API limits)
  /** Apply one take atomically to the key's bucket, shared by every process on this store. */
  takeRateBudget(take: RateBudgetTake): Promise<RateBudgetGrant>;
  /** Delete buckets idle for a minute and full at `now` (a new bucket is the same); returns how many. */
  pruneRateBudgets(now: number): Promise<number>;

  // periodic jobs (retention, and any job that must run once per period across processes)
  /**
   * Take the run of `job` for the period starting at `period`: true unless that run finished or
   * another owner's lease on it lasts past `now`. A taker that dies is replaced after its lease.
   */
  claimJobRun(claim: JobRunClaim): Promise<boolean>;
  /** Close the run (later claims of its period answer false). */
  finishJobRun(job: string, period: number, owner: string, now: number): Promise<void>;

  // retention
  /** Null out payloads and attempt bodies past their expiry; returns what was expunged. */
  expireContent(now: number): Promise<{ messages: number; attempts: number }>;
}
