// Background tasks as the Store keeps them (store.ts re-exports them).

import type { FailureReason, ReasonClass } from '../domain/failure-reason.js';

/** Svix's BackgroundTaskType values Hookrelay runs, and its own. */
export type BackgroundTaskKind =
  | 'endpoint.recover'
  | 'endpoint.replay'
  | 'endpoint.bulk-replay'
  /** Hookrelay's: re-queue the dead letters a selection names, across apps. */
  | 'dead-letter.resend';
export type BackgroundTaskStatus = 'running' | 'finished' | 'failed';

/** A task's progress, Svix's free-form `data`: rows it found, re-queued, and left alone. */
export interface BackgroundTaskProgress {
  matched: number;
  sent: number;
  skipped: number;
  /** Present when the task was cancelled (it then ends `failed`, Svix having no cancelled status). */
  cancelled?: true;
}

/** What cancelling gave: the task as it now stands, or why not. */
export type CancelOutcome = { ok: true; task: BackgroundTask } | { ok: false; reason: 'not_found' | 'not_running' };

export interface BackgroundTask {
  id: string;
  kind: BackgroundTaskKind;
  status: BackgroundTaskStatus;
  /** Null for a task across apps (a dead-letter resend). */
  appId: string | null;
  endpointId: string | null;
  /** What the task was asked to do, e.g. `{since, until}` (epoch ms) for a recovery. */
  params: Record<string, unknown>;
  data: BackgroundTaskProgress;
  createdAt: number;
  updatedAt: number;
}

/**
 * What each kind is asked (times in epoch ms; `until` null = open-ended):
 * - `endpoint.recover`: the endpoint's failed deliveries created in [since, until) are re-queued.
 * - `endpoint.replay` (replay-missing): messages of the app created in [since, until) that the
 *   endpoint wants, created since the endpoint exists, that have no delivery to it, get one.
 * - `endpoint.bulk-replay`: the endpoint's deliveries in [since, until) whose message matches the
 *   filters and whose status is `status` (Default: failed) are re-queued — successes only when asked.
 */
export interface TaskRange {
  since: number;
  until: number | null;
}
export interface BulkReplayParams extends TaskRange {
  eventTypes?: string[] | null;
  channel?: string | null;
  tag?: string | null;
  status?: number | null;
  statusCodeClass?: number | null;
}

/** What a task selects: its kind, where, and its parameters (a dry run asks this without a task). */
export interface TaskQuery {
  kind: BackgroundTaskKind;
  appId: string | null;
  endpointId: string | null;
  params: TaskParams;
}

/** Every kind's parameters: a range, with the filters of a bulk replay or a dead-letter selection. */
export type TaskParams = BulkReplayParams & Partial<DeadLetterSelection>;

export interface NewBackgroundTask extends TaskQuery {
  id: string;
  now: number;
}

/**
 * One step of a task: the task after it and the deliveries it made due. `held`: it did nothing
 * because its endpoint already had a chunk's worth of deliveries due (replays wait for spare room).
 */
export interface TaskAdvance {
  task: BackgroundTask;
  sent: number;
  held: boolean;
}

export interface BackgroundTaskFilter {
  status?: BackgroundTaskStatus;
  kind?: BackgroundTaskKind;
}

/** Which dead letters (failed deliveries) a list, a count or a resend is about; times in epoch ms, by when they failed. */
export interface DeadLetterSelection {
  appId: string | null;
  endpointId: string | null;
  reasonClass: ReasonClass | null;
  eventType: string | null;
  since: number | null;
  until: number | null;
}

export interface DeadLetter {
  deliveryId: string;
  appId: string;
  endpointId: string;
  msgId: string;
  eventType: string;
  /** Null for a delivery that failed before reasons were kept. */
  reason: FailureReason | null;
  reasonClass: ReasonClass | null;
  attempts: number;
  failedAt: number;
  lastAttemptId: string | null;
  lastStatusCode: number | null;
}

/** The head of an ordered endpoint's key that holds the key's later messages (dead-letters.ts). */
export interface BlockedHead {
  deliveryId: string;
  appId: string;
  endpointId: string;
  msgId: string;
  key: string;
  /** Failed for good (else retrying). */
  failed: boolean;
  attempts: number;
  /** Its first attempt: since when the key has been held. */
  since: number;
}

/** An endpoint's dead letters by reason class, and the pending deliveries it holds while disabled. */
export interface DeadLetterCounts {
  appId: string;
  endpointId: string;
  endpoint: number;
  platform: number;
  unclassified: number;
  held: number;
}
