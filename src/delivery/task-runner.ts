import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { BackgroundTask } from '../store/task-types.js';
import { WakeSignal } from './wake-signal.js';
import type { Clock, WorkerLogger } from './worker.js';

export interface TaskRunnerOptions {
  store: Pick<Store, 'claimBackgroundTask' | 'advanceBackgroundTask'>;
  logger: WorkerLogger;
  clock?: Clock;
  /** Lease owner name (Default: `tasks-<random>`). */
  owner?: string;
  /** Rows one chunk re-queues at most (Default: 500). */
  chunk?: number;
  /** A lease not renewed by a chunk within this time passes to another process. (Default: 10_000) */
  leaseMs?: number;
  /** Wait between looks for a task while there is none. (Default: 500) */
  idleMs?: number;
}

/**
 * Runs background tasks (recoveries, replays) on a worker process: leases one, advances it chunk
 * by chunk — each chunk one transaction with the task's cursor and progress — and yields to the
 * event loop between chunks so live deliveries keep flowing. A task whose process died is taken
 * over by any runner once its lease expires and resumes at its cursor.
 */
export class TaskRunner {
  readonly owner: string;
  private readonly clock: Clock;
  private readonly chunk: number;
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly wake = new WakeSignal();

  constructor(private readonly options: TaskRunnerOptions) {
    this.owner = options.owner ?? `tasks-${randomBytes(6).toString('hex')}`;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.chunk = options.chunk ?? 500;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.idleMs = options.idleMs ?? 500;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops after the chunk in progress; a task left running is resumed by whoever leases it next. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.interrupt();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { store, logger } = this.options;
    while (!this.stopping) {
      let task: BackgroundTask | null = null;
      try {
        task = await store.claimBackgroundTask(this.owner, this.clock.now(), this.leaseMs);
      } catch (err) {
        logger.warn({ err }, 'background tasks: could not look for a task');
      }
      if (task) await this.drive(task);
      else await this.wake.wait(this.idleMs);
    }
  }

  private async drive(task: BackgroundTask): Promise<void> {
    const { store, logger } = this.options;
    let current: BackgroundTask | null = task;
    while (!this.stopping && current?.status === 'running') {
      try {
        current = await store.advanceBackgroundTask(task.id, this.owner, this.clock.now(), this.chunk, this.leaseMs);
      } catch (err) {
        logger.warn({ err, taskId: task.id }, 'background task: a chunk failed; trying again');
        await this.wake.wait(this.idleMs);
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (current?.status === 'finished')
      logger.info({ taskId: task.id, task: task.kind, data: current.data }, 'background task finished');
  }
}
