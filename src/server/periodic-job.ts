import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

export interface PeriodicJobOptions {
  /** The job's name: its runs are keyed by (name, period start). */
  name: string;
  periodMs: number;
  /** The work of one period; the period's start is passed in. */
  run: (periodStart: number) => Promise<void>;
  /** How long a run belongs to its taker before another process may take it over. (Default: 10 min, at most the period) */
  leaseMs?: number;
  clock?: { now(): number };
}

/**
 * Runs a job once per period across every process on the store: each process looks every quarter
 * period (at most every minute) and the one whose claim of the current period wins runs it. A
 * taker that dies mid-run leaves the period unfinished; after its lease another process's next
 * look takes it over, so a death delays the job by about a lease, not a period. A failed run
 * stays unfinished for the same retry.
 */
export class PeriodicJob {
  private readonly owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly leaseMs: number;
  private readonly checkMs: number;
  private readonly clock: { now(): number };
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<Store, 'claimJobRun' | 'finishJobRun'>,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
    private readonly options: PeriodicJobOptions,
  ) {
    this.leaseMs = Math.min(options.leaseMs ?? 600_000, options.periodMs);
    this.checkMs = Math.min(Math.max(250, Math.floor(options.periodMs / 4)), 60_000);
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  /** Claim the current period and run it if this process wins; resolves when done (or lost). */
  async tick(): Promise<boolean> {
    if (this.running) return false;
    const now = this.clock.now();
    const period = now - (now % this.options.periodMs);
    const { name } = this.options;
    let claimed: boolean;
    try {
      claimed = await this.store.claimJobRun({ job: name, period, owner: this.owner, now, leaseMs: this.leaseMs });
    } catch (err) {
      this.logger.warn({ err, job: name }, 'periodic job: could not claim its period; will look again');
      return false;
    }
    if (!claimed) return false;
    this.logger.info({ job: name, period: new Date(period).toISOString(), owner: this.owner }, 'periodic job: run');
    this.running = (async () => {
      try {
        await this.options.run(period);
        await this.store.finishJobRun(name, period, this.owner, this.clock.now());
      } catch (err) {
        this.logger.warn({ err, job: name }, 'periodic job: run failed; the period is retried after its lease');
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    return true;
  }

  /** First look shortly after start (`firstDelayMs`), then every check interval. */
  start(firstDelayMs = Math.min(10_000, this.checkMs)): void {
    this.timers.push(
      setTimeout(() => void this.tick(), firstDelayMs),
      setInterval(() => void this.tick(), this.checkMs),
    );
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }
}
