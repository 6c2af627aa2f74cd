// Background tasks as the Store keeps them (store.ts re-exports them).

/** Svix's BackgroundTaskType values Hookrelay runs. */
export type BackgroundTaskKind = 'endpoint.recover';
export type BackgroundTaskStatus = 'running' | 'finished' | 'failed';

/** A task's progress, Svix's free-form `data`: rows it found, re-queued, and left alone. */
export interface BackgroundTaskProgress {
  matched: number;
  sent: number;
  skipped: number;
}

export interface BackgroundTask {
  id: string;
  kind: BackgroundTaskKind;
  status: BackgroundTaskStatus;
  appId: string;
  endpointId: string | null;
  /** What the task was asked to do, e.g. `{since, until}` (epoch ms) for a recovery. */
  params: Record<string, unknown>;
  data: BackgroundTaskProgress;
  createdAt: number;
  updatedAt: number;
}

export interface NewBackgroundTask {
  id: string;
  kind: BackgroundTaskKind;
  appId: string;
  endpointId: string | null;
  params: Record<string, unknown>;
  now: number;
}

export interface BackgroundTaskFilter {
  status?: BackgroundTaskStatus;
  kind?: BackgroundTaskKind;
}
