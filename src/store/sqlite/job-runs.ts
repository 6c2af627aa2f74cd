import type { JobRunClaim } from '../store.js';

/**
 * Periodic job runs of the SQLite store, in its memory: SQLite serves one process, whose own
 * timers already run each job once per period. After a restart a period may run again, which
 * every periodic job tolerates (they are idempotent); the map only keeps its runs exclusive.
 */
export class MemoryJobRuns {
  private readonly runs = new Map<string, { owner: string; leaseUntil: number; finished: boolean }>();

  claim(c: JobRunClaim): boolean {
    const key = `${c.job}\0${c.period}`;
    const run = this.runs.get(key);
    if (run && (run.finished || run.leaseUntil > c.now)) return false;
    this.runs.set(key, { owner: c.owner, leaseUntil: c.now + c.leaseMs, finished: false });
    return true;
  }

  finish(job: string, period: number, owner: string): void {
    const key = `${job}\0${period}`;
    const run = this.runs.get(key);
    if (run?.owner === owner) run.finished = true;
    // Only the newest finished period of a job matters to later claims.
    for (const [k, r] of this.runs) if (k.startsWith(`${job}\0`) && k !== key && r.finished) this.runs.delete(k);
  }
}
