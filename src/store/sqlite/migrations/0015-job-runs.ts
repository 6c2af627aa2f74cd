import type { Migration } from './index.js';

/** Periodic job runs in the database, as on PostgreSQL (its migration 0008): a run stays closed across a restart. */
export const migration0015: Migration = {
  version: 15,
  name: 'job-runs',
  sql: `
CREATE TABLE job_runs (
  job TEXT NOT NULL,
  period INTEGER NOT NULL,
  owner TEXT NOT NULL,
  lease_until INTEGER NOT NULL,
  finished_at INTEGER,
  PRIMARY KEY (job, period)
);
`,
};
