import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { BackgroundTask, TaskAdvance } from '../store/task-types.js';
import { WakeSignal } from './wake-signal.js';
import type { Clock, WorkerLogger } from './worker.js';

/** A task's lease at most: how soon another process resumes a task whose runner died. */
export const TASK_LEASE_MS = 10_000;

export interface TaskRunnerOptions {
  store: Pick<Store, 'claimBackgroundTask' | 'advanceBackgroundTask'>;
  logger: WorkerLogger;
  clock?: Clock;
  /** Lease owner name (Default: `tasks-<random>`). */
  owner?: string;
  /** Rows one chunk re-queues at most (Default: 500). */
  chunk?: number;
  /** Most deliveries per second one task makes due (Default: 500). */
  ratePerSecond?: number;
  /** A task waits while its endpoint has this many deliveries due (Default: a tenth of a second of the rate, at least a chunk). */
  holdAt?: number;
  /** Tasks this runner advances at once (Default: 4). */
  maxTasks?: number;
  /** A lease not renewed by a chunk within this time passes to another process. (Default: 10_000) */
  leaseMs?: number;
  /** Wait between looks for a task while there is none, and while a task's endpoint is busy. (Default: 500) */
  idleMs?: number;
}

/**
 * Runs background tasks (recoveries, replays) on a worker process: leases up to `maxTasks`,
 * advances each chunk by chunk — each chunk one transaction with the task's cursor and progress —
 * at most `ratePerSecond` deliveries a second per task, and while the endpoint has a chunk due
 * already the store holds the task (the replay lane: it fills spare capacity only). A task whose
 * process died is taken over by any runner once its lease expires and resumes at its cursor.
 */
export class TaskRunner {
  readonly owner: string;
  private readonly clock: Clock;
  private readonly chunk: number;
  private readonly rate: number;
  private readonly holdAt: number;
  private readonly maxTasks: number;
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly active = new Set<Promise<void>>();
  private readonly wake = new WakeSignal();

  constructor(private readonly options: TaskRunnerOptions) {
    this.owner = options.owner ?? `tasks-${randomBytes(6).toString('hex')}`;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.rate = options.ratePerSecond ?? 500;
    // A chunk is at most a fiftieth of a second of the rate: live messages queue behind whatever
    // a chunk made due at once, so the replay reaches the worker as a trickle (and a paced task
    // renews its lease well within leaseMs). The hold is a tenth of a second of the rate, so a
    // task is not held while its endpoint still drains the last few chunks.
    this.chunk = Math.max(1, Math.min(options.chunk ?? 500, Math.ceil(this.rate / 50)));
    this.holdAt = options.holdAt ?? Math.max(this.chunk, Math.ceil(this.rate / 10));
    this.maxTasks = options.maxTasks ?? 4;
    this.leaseMs = options.leaseMs ?? TASK_LEASE_MS;
    this.idleMs = options.idleMs ?? 500;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops after the chunks in progress; a task left running is resumed by whoever leases it next. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.interrupt();
    await this.loop;
    await Promise.all(this.active);
  }

  private async run(): Promise<void> {
    const { store, logger } = this.options;
    while (!this.stopping) {
      let task: BackgroundTask | null = null;
      if (this.active.size < this.maxTasks) {
        try {
          task = await store.claimBackgroundTask(this.owner, this.clock.now(), this.leaseMs);
        } catch (err) {
          logger.warn({ err }, 'background tasks: could not look for a task');
        }
      }
      if (task) {
        const driving: Promise<void> = this.drive(task).finally(() => {
          this.active.delete(driving);
          this.wake.notify();
        });
        this.active.add(driving);
      } else await this.wake.wait(this.idleMs);
    }
  }

  private async drive(task: BackgroundTask): Promise<void> {
    const { store, logger } = this.options;
    let current: BackgroundTask = task;
    while (!this.stopping && current.status === 'running') {
      const started = this.clock.now();
      let step: TaskAdvance | null;
      try {
        step = await store.advanceBackgroundTask(task.id, this.owner, started, this.chunk, this.leaseMs, this.holdAt);
      } catch (err) {
        logger.warn({ err, taskId: task.id }, 'background task: a chunk failed; trying again');
        await this.pause(this.idleMs);
        continue;
      }
      if (!step) return; // another runner holds it now (our lease ran out), or it was cancelled
      current = step.task;
      if (step.held) await this.pause(this.idleMs);
      else await this.pause((step.sent * 1000) / this.rate - (this.clock.now() - started));
    }
    if (current.status === 'finished')
      logger.info({ taskId: task.id, task: task.kind, data: current.data }, 'background task finished');
  }

  /** Sleep that only stop() cuts short; at least a turn of the event loop, so deliveries keep flowing. */
  private async pause(ms: number): Promise<void> {
    if (ms > 0) await this.wake.wait(ms, { ignoreNotify: true });
    else await new Promise((resolve) => setImmediate(resolve));
  }
}
