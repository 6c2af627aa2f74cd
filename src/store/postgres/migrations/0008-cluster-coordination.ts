import type { Migration } from './index.js';

/**
 * What several processes on one database coordinate through:
 * - `job_runs`: one row per (periodic job, period). The process whose INSERT (or, after the
 *   holder's lease ran out unfinished, UPDATE) wins runs that period; `finished_at` closes it.
 * - `listen_channels` / `listen_events`: listen channels shared by every API process. A
 *   channel's `last_seq` is bumped under its row lock, so its events commit in seq order.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'cluster-coordination',
  sql: `
CREATE TABLE job_runs (
  job text COLLATE "C" NOT NULL,
  period bigint NOT NULL,
  owner text NOT NULL,
  lease_until bigint NOT NULL,
  finished_at bigint,
  PRIMARY KEY (job, period)
);

CREATE TABLE listen_channels (
  id text COLLATE "C" PRIMARY KEY,
  uid text COLLATE "C",
  last_seq bigint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  last_active_at bigint NOT NULL
);

CREATE TABLE listen_events (
  channel text COLLATE "C" NOT NULL REFERENCES listen_channels (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  method text NOT NULL,
  headers jsonb NOT NULL,
  query jsonb NOT NULL,
  body bytea NOT NULL,
  received_at bigint NOT NULL,
  PRIMARY KEY (channel, seq)
);
`,
};
