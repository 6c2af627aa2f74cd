import type { JobRunClaim } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { changed, type Steps } from './steps.js';

/** Finished runs are kept this long: long enough that no process still asks about their period. */
const KEEP_FINISHED_MS = 7 * 86_400_000;

/**
 * A period's run goes to the first process to insert its row, or to a later one once the
 * holder's lease ran out without `finished_at` (it died mid-job). ON CONFLICT … WHERE re-checks
 * under the row lock, so two processes never both take a run.
 */
export function* claimJobRun(c: CatalogContext, claim: JobRunClaim): Steps<boolean> {
  const n = yield* changed(
    c.qb
      .insertInto('job_runs')
      .values({ job: claim.job, period: claim.period, owner: claim.owner, lease_until: claim.now + claim.leaseMs })
      .onConflict((oc) =>
        oc
          .columns(['job', 'period'])
          .doUpdateSet((eb) => ({ owner: eb.ref('excluded.owner'), lease_until: eb.ref('excluded.lease_until') }))
          .where('job_runs.finished_at', 'is', null)
          .where('job_runs.lease_until', '<=', claim.now),
      ),
  );
  return n === 1;
}

/** Closes the owner's run, and forgets the job's runs finished long ago. */
export function* finishJobRun(c: CatalogContext, job: string, period: number, owner: string, now: number): Steps<void> {
  yield* changed(
    c.qb
      .updateTable('job_runs')
      .set({ finished_at: now })
      .where('job', '=', job)
      .where('period', '=', period)
      .where('owner', '=', owner),
  );
  yield* changed(
    c.qb
      .deleteFrom('job_runs')
      .where('job', '=', job)
      .where('finished_at', '<', now - KEEP_FINISHED_MS),
  );
}
