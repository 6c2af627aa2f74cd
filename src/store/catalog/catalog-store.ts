import type { Application, Attempt, Delivery, Endpoint, EventType, Message } from '../../domain/model.js';
import type {
  AppHealth,
  ApplicationFilter,
  ApplicationUpdate,
  AttemptCountQuery,
  AttemptCounts,
  AttemptFilter,
  CatalogTotals,
  ConsumerOffset,
  DeliveryMinute,
  DeliveryView,
  EndpointStats,
  FailingEndpoint,
  EndpointUpdate,
  EventTypeUpdate,
  IdempotentResponse,
  JobRunClaim,
  LoginKeyExchange,
  MessageFilter,
  NewApplication,
  NewEndpoint,
  NewEventType,
  NewToken,
  Page,
  PageQuery,
  QueueStats,
  TimeRange,
  TokenRecord,
} from '../store.js';
import * as apps from './applications.js';
import { UsageCatalogStore } from './usage-catalog-store.js';
import * as tasks from './background-tasks.js';
import * as health from './app-health.js';
import * as attempts from './attempts.js';
import * as attemptStats from './attempt-stats.js';
import * as jobRuns from './job-runs.js';
import * as queueControl from './queue-control.js';
import * as offsets from './consumer-offsets.js';
import * as deadLetters from './dead-letters.js';
import * as views from './delivery-views.js';
import * as endpoints from './endpoints.js';
import { listFailingEndpoints } from './failing-endpoints.js';
import * as eventTypes from './event-types.js';
import * as idempotency from './idempotency-keys.js';
import * as messages from './messages.js';
import * as queue from './queue-stats.js';
import { dropExpiredIdempotencyKeys, expireContentBatch, RETENTION_BATCH } from './retention.js';
import * as settings from './settings.js';
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
} from '../task-types.js';
import * as tokens from './tokens.js';
import * as listen from './listen-log.js';
import type { ListenLogEvent, ListenLogRequest } from '../listen-log.js';
import { Listeners } from '../../listeners.js';
import type { AppId, EndpointId, MessageId } from '../../ids.js';

/**
 * The Store methods over the plain tables and the reads of the message log, written once: each adapter extends this class and
 * supplies `catalog`, which runs an operation's SQL steps on its connection (UsageCatalogStore.catalog).
 */
export abstract class CatalogStore extends UsageCatalogStore {
  /** Rows became due after a commit: wake this process's idle worker (others poll, or hear a NOTIFY). */
  protected abstract workQueued(): void;
  private readonly listenAppends = new Listeners<[string]>();

  getSetting(key: string): Promise<string | null> {
    return this.catalog((c) => settings.getSetting(c, key));
  }
  setSettingIfAbsent(key: string, value: string): Promise<string> {
    return this.catalog((c) => settings.setSettingIfAbsent(c, key, value));
  }
  putSetting(key: string, value: string | null): Promise<void> {
    return this.catalog((c) => settings.putSetting(c, key, value));
  }

  createApplication(input: NewApplication): Promise<Application> {
    return this.catalog((c) => apps.createApplication(c, input));
  }
  getApplication(idOrUid: string): Promise<Application | null> {
    return this.catalog((c) => apps.getApplication(c, idOrUid));
  }
  listApplications(page: PageQuery, filter?: ApplicationFilter): Promise<Page<Application>> {
    return this.catalog((c) => apps.listApplications(c, page, filter));
  }
  updateApplication(id: string, update: ApplicationUpdate, now: number): Promise<Application | null> {
    return this.catalog((c) => apps.updateApplication(c, id, update, now));
  }
  deleteApplication(id: string): Promise<boolean> {
    return this.catalog((c) => apps.deleteApplication(c, id), 'write');
  }

  createEventType(input: NewEventType): Promise<EventType> {
    return this.catalog((c) => eventTypes.createEventType(c, input));
  }
  getEventType(name: string): Promise<EventType | null> {
    return this.catalog((c) => eventTypes.getEventType(c, name));
  }
  listEventTypes(page: PageQuery, includeArchived: boolean): Promise<Page<EventType>> {
    return this.catalog((c) => eventTypes.listEventTypes(c, page, includeArchived));
  }
  updateEventType(name: string, update: EventTypeUpdate, now: number): Promise<EventType | null> {
    return this.catalog((c) => eventTypes.updateEventType(c, name, update, now));
  }
  deleteEventType(name: string): Promise<boolean> {
    return this.catalog((c) => eventTypes.deleteEventType(c, name));
  }

  createEndpoint(input: NewEndpoint): Promise<Endpoint> {
    return this.catalog((c) => endpoints.createEndpoint(c, input));
  }
  getEndpoint(appId: AppId, idOrUid: string): Promise<Endpoint | null> {
    return this.catalog((c) => endpoints.getEndpoint(c, appId, idOrUid));
  }
  listEndpoints(appId: AppId, page: PageQuery): Promise<Page<Endpoint>> {
    return this.catalog((c) => endpoints.listEndpoints(c, appId, page));
  }
  updateEndpoint(appId: AppId, id: string, update: EndpointUpdate, now: number): Promise<Endpoint | null> {
    return this.catalog(
      (c) => endpoints.updateEndpoint(c, appId, id, update, now),
      update.ordered === false ? 'write' : undefined,
    );
  }
  reencryptSecrets(newKey: Buffer, settings: Record<string, string>): Promise<number> {
    return this.catalog((c) => endpoints.reencryptSecrets(c, newKey, settings), 'write');
  }
  rotateEndpointSecret(
    appId: AppId,
    id: string,
    newKey: string,
    gracePeriodMs: number,
    now: number,
  ): Promise<Endpoint | null> {
    return this.catalog((c) => endpoints.rotateEndpointSecret(c, appId, id, newKey, gracePeriodMs, now), 'write');
  }
  deleteEndpoint(appId: AppId, id: EndpointId): Promise<boolean> {
    return this.catalog((c) => endpoints.deleteEndpoint(c, appId, id), 'write');
  }

  getMessage(appId: AppId, idOrEventId: string): Promise<Message | null> {
    return this.catalog((c) => messages.getMessage(c, appId, idOrEventId));
  }
  listMessages(appId: AppId, page: PageQuery, filter: MessageFilter): Promise<Page<Message>> {
    return this.catalog((c) => messages.listMessages(c, appId, page, filter));
  }
  expungeMessageContent(appId: AppId, msgId: MessageId): Promise<boolean> {
    return this.catalog((c) => messages.expungeMessageContent(c, appId, msgId));
  }
  listMessagesAfter(
    appId: AppId,
    afterSeq: number,
    limit: number,
    filter: { filterTypes: string[] | null; channels: string[] | null },
  ): Promise<Message[]> {
    return this.catalog((c) => messages.listMessagesAfter(c, appId, afterSeq, limit, filter));
  }

  listAttemptsByEndpoint(
    appId: AppId,
    endpointId: EndpointId,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<Attempt>> {
    return this.catalog((c) => attempts.listAttemptsByEndpoint(c, appId, endpointId, page, filter));
  }
  listAttemptsByMessage(
    appId: AppId,
    msgId: MessageId,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<Attempt>> {
    return this.catalog((c) => attempts.listAttemptsByMessage(c, appId, msgId, page, filter));
  }
  getAttempt(appId: AppId, msgId: MessageId, attemptId: string): Promise<Attempt | null> {
    return this.catalog((c) => attempts.getAttempt(c, appId, msgId, attemptId));
  }
  expungeAttemptContent(appId: AppId, msgId: MessageId, attemptId: string): Promise<boolean> {
    return this.catalog((c) => attempts.expungeAttemptContent(c, appId, msgId, attemptId));
  }
  listMessageDestinations(appId: AppId, msgId: MessageId, page: PageQuery): Promise<Page<DeliveryView>> {
    return this.catalog((c) => views.listMessageDestinations(c, appId, msgId, page));
  }
  listEndpointMessages(
    appId: AppId,
    endpointId: EndpointId,
    page: PageQuery,
    filter: AttemptFilter,
  ): Promise<Page<DeliveryView>> {
    return this.catalog((c) => views.listEndpointMessages(c, appId, endpointId, page, filter));
  }
  endpointStats(
    appId: AppId,
    endpointId: EndpointId,
    since: number | null,
    until: number | null,
  ): Promise<EndpointStats> {
    return this.catalog((c) => views.endpointStats(c, appId, endpointId, since, until));
  }

  attemptHistogram(
    appId: AppId,
    q: AttemptCountQuery & { bucketMs: number },
  ): Promise<Array<AttemptCounts & { bucket: number }>> {
    return this.catalog((c) => attemptStats.attemptHistogram(c, appId, q));
  }
  attemptCountsByEventType(appId: AppId, q: AttemptCountQuery): Promise<Array<AttemptCounts & { eventType: string }>> {
    return this.catalog((c) => attemptStats.attemptCountsByEventType(c, appId, q));
  }
  deliveryMinutes(range: TimeRange): Promise<DeliveryMinute[]> {
    return this.catalog((c) => attemptStats.deliveryMinutes(c, range));
  }
  deliveryLatency(range: TimeRange): Promise<{ count: number; p50: number | null; p99: number | null }> {
    return this.catalog((c) => attemptStats.deliveryLatency(c, range));
  }
  /** Released rows are due at once: the workers hear of them (other processes by the notice in the transaction). */
  async releaseDeliveries(deliveryIds: string[], owner: string): Promise<void> {
    if ((await this.catalog((c) => queueControl.releaseDeliveries(c, deliveryIds, owner), 'write')) > 0)
      this.workQueued();
  }
  async resendDelivery(appId: AppId, msgId: MessageId, endpointId: EndpointId, now: number): Promise<Delivery | null> {
    const d = await this.catalog((c) => queueControl.resendDelivery(c, appId, msgId, endpointId, now), 'write');
    if (d) this.workQueued();
    return d;
  }
  claimJobRun(claim: JobRunClaim): Promise<boolean> {
    return this.catalog((c) => jobRuns.claimJobRun(c, claim));
  }
  finishJobRun(job: string, period: number, owner: string, now: number): Promise<void> {
    return this.catalog((c) => jobRuns.finishJobRun(c, job, period, owner, now));
  }
  catalogTotals(): Promise<CatalogTotals> {
    return this.catalog((c) => health.catalogTotals(c));
  }
  appHealth(appIds: string[] | null, range: TimeRange): Promise<AppHealth[]> {
    return this.catalog((c) => health.appHealth(c, appIds, range));
  }
  listFailingEndpoints(page: PageQuery, appId: AppId | null): Promise<Page<FailingEndpoint>> {
    return this.catalog((c) => listFailingEndpoints(c, page, appId));
  }

  queueDepth(): Promise<number> {
    return this.catalog((c) => queue.queueDepth(c));
  }
  queueStats(now: number): Promise<QueueStats> {
    return this.catalog((c) => queue.queueStats(c, now));
  }

  /** Retention (catalog/retention.ts), batch by batch; expired idempotency keys and idle listen channels go on the way. */
  async expireContent(now: number): Promise<{ messages: number; attempts: number }> {
    const total = { messages: 0, attempts: 0 };
    for (;;) {
      const batch = await this.catalog((c) => expireContentBatch(c, now), 'write');
      total.messages += batch.messages;
      total.attempts += batch.attempts;
      if (batch.picked < RETENTION_BATCH) break;
    }
    await this.catalog((c) => dropExpiredIdempotencyKeys(c, now));
    await this.catalog((c) => listen.dropIdleListenChannels(c, now));
    return total;
  }

  createBackgroundTask(task: NewBackgroundTask): Promise<BackgroundTask> {
    return this.catalog((c) => tasks.createBackgroundTask(c, task));
  }
  getBackgroundTask(id: string): Promise<BackgroundTask | null> {
    return this.catalog((c) => tasks.getBackgroundTask(c, id));
  }
  listBackgroundTasks(page: PageQuery, filter: BackgroundTaskFilter): Promise<Page<BackgroundTask>> {
    return this.catalog((c) => tasks.listBackgroundTasks(c, page, filter));
  }
  cancelBackgroundTask(id: string, now: number): Promise<CancelOutcome> {
    return this.catalog((c) => tasks.cancelBackgroundTask(c, id, now), 'write');
  }
  claimBackgroundTask(owner: string, now: number, leaseMs: number): Promise<BackgroundTask | null> {
    return this.catalog((c) => tasks.claimBackgroundTask(c, owner, now, leaseMs), 'write');
  }
  async advanceBackgroundTask(
    id: string,
    owner: string,
    now: number,
    limit: number,
    leaseMs: number,
    holdAt?: number,
  ): Promise<TaskAdvance | null> {
    const r = await this.catalog(
      (c) => tasks.advanceBackgroundTask(c, id, owner, now, limit, leaseMs, holdAt),
      'write',
    );
    if (r && r.sent > 0) this.workQueued();
    return r;
  }
  listDeadLetters(page: PageQuery, selection: Partial<DeadLetterSelection>): Promise<Page<DeadLetter>> {
    return this.catalog((c) => deadLetters.listDeadLetters(c, page, selection));
  }
  blockedOrderHeads(before: number, limit: number, endpointId: EndpointId | null = null): Promise<BlockedHead[]> {
    return this.catalog((c) => deadLetters.blockedOrderHeads(c, before, limit, endpointId));
  }
  countDeadLetters(selection: Partial<DeadLetterSelection>): Promise<DeadLetterCounts[]> {
    return this.catalog((c) => deadLetters.countDeadLetters(c, selection));
  }
  previewBackgroundTask(query: TaskQuery, now: number, limit: number): Promise<BackgroundTaskProgress> {
    return this.catalog((c) => tasks.previewBackgroundTask(c, query, now, limit));
  }

  getConsumerOffset(endpointId: EndpointId, consumerId: string): Promise<ConsumerOffset | null> {
    return this.catalog((c) => offsets.getConsumerOffset(c, endpointId, consumerId));
  }
  listConsumerOffsets(endpointId: EndpointId, page: PageQuery): Promise<Page<ConsumerOffset>> {
    return this.catalog((c) => offsets.listConsumerOffsets(c, endpointId, page));
  }
  commitConsumerOffset(endpointId: EndpointId, consumerId: string, seq: number, now: number): Promise<void> {
    return this.catalog((c) => offsets.commitConsumerOffset(c, endpointId, consumerId, seq, now));
  }

  createToken(input: NewToken): Promise<void> {
    return this.catalog((c) => tokens.createToken(c, input));
  }
  findToken(hash: string, now: number): Promise<TokenRecord | null> {
    return this.catalog((c) => tokens.findToken(c, hash, now));
  }
  exchangeLoginKey(hash: string, session: { id: string; hash: string }, now: number): Promise<LoginKeyExchange> {
    return this.catalog((c) => tokens.exchangeLoginKey(c, hash, session, now), 'write');
  }
  expireAppTokens(appId: AppId, at: number, sessionIds: string[] | null): Promise<number> {
    return this.catalog((c) => tokens.expireAppTokens(c, appId, at, sessionIds));
  }
  expireToken(id: string, now: number): Promise<boolean> {
    return this.catalog((c) => tokens.expireToken(c, id, now));
  }

  getIdempotentResponse(scope: string, key: string, now: number): Promise<IdempotentResponse | null> {
    return this.catalog((c) => idempotency.getIdempotentResponse(c, scope, key, now));
  }
  putIdempotentResponse(scope: string, key: string, response: IdempotentResponse, expiresAt: number): Promise<void> {
    return this.catalog((c) => idempotency.putIdempotentResponse(c, scope, key, response, expiresAt));
  }
  /** One transaction (one fsync on SQLite) for a whole event-loop turn of API requests. */
  putIdempotentResponses(
    items: Array<{ scope: string; key: string; response: IdempotentResponse; expiresAt: number }>,
  ): Promise<void> {
    return this.catalog(function* (c) {
      for (const i of items) yield* idempotency.putIdempotentResponse(c, i.scope, i.key, i.response, i.expiresAt);
    }, 'write');
  }

  createListenChannel(id: string, uid: string | null, now: number): Promise<boolean> {
    return this.catalog((c) => listen.createListenChannel(c, id, uid, now));
  }
  getListenChannel(id: string): Promise<{ uid: string | null } | undefined> {
    return this.catalog((c) => listen.getListenChannel(c, id));
  }
  async appendListenEvent(channelId: string, request: ListenLogRequest, keep: number): Promise<number | null> {
    const seq = await this.catalog((c) => listen.appendListenEvent(c, channelId, request, keep), 'write');
    if (seq !== null) this.listenAppended(channelId);
    return seq;
  }
  listenEventsAfter(channelId: string, seq: number, limit: number): Promise<ListenLogEvent[]> {
    return this.catalog((c) => listen.listenEventsAfter(c, channelId, seq, limit));
  }
  onListenAppend(listener: (channelId: string) => void): () => void {
    return this.listenAppends.add(listener);
  }
  /** An append committed, by this process or (heard from the dialect) another: tell this process's readers. */
  protected listenAppended(channelId: string): void {
    this.listenAppends.fire(channelId);
  }
}
