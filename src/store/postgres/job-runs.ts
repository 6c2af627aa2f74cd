import type { JobRunClaim } from '../store.js';
import type { Db } from './db.js';

/** Finished runs are kept this long: long enough that no process still asks about their period. */
const KEEP_FINISHED_MS = 7 * 86_400_000;

/**
 * A period's run goes to the first process to insert its row, or to a later one once the
 * holder's lease ran out without `finished_at` (it died mid-job). ON CONFLICT … WHERE re-checks
 * under the row lock, so two processes never both take a run.
 */
export async function claimJobRun(db: Db, c: JobRunClaim): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO job_runs (job, period, owner, lease_until) VALUES ($1, $2, $3, $4::bigint + $5::bigint)
     ON CONFLICT (job, period) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
     WHERE job_runs.finished_at IS NULL AND job_runs.lease_until <= $4::bigint`,
    [c.job, c.period, c.owner, c.now, c.leaseMs],
  );
  return rowCount === 1;
}

export async function finishJobRun(db: Db, job: string, period: number, owner: string, now: number): Promise<void> {
  await db.query('UPDATE job_runs SET finished_at = $4 WHERE job = $1 AND period = $2 AND owner = $3', [
    job,
    period,
    owner,
    now,
  ]);
  await db.query('DELETE FROM job_runs WHERE job = $1 AND finished_at < $2', [job, now - KEEP_FINISHED_MS]);
}
