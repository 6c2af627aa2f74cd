import type { Migration } from './index.js';

/**
 * Hourly rollups of each meter (usage-rollups.ts): per (meter, subject, hour, group values) the
 * partial aggregates a query merges instead of reading every event. `rolled_through` is the
 * hours they are written for ([rolled_from, rolled_through)); `rollup_checked_at` the arrival time up to which late
 * events have been folded in (a query reads events that arrived after it from the log itself).
 */
export const migration0015: Migration = {
  version: 15,
  name: 'usage-rollups',
  sql: `
ALTER TABLE meters ADD COLUMN rolled_from bigint;
ALTER TABLE meters ADD COLUMN rolled_through bigint;
ALTER TABLE meters ADD COLUMN rollup_checked_at bigint NOT NULL DEFAULT 0;
CREATE TABLE usage_rollups (
  meter_key text COLLATE "C" NOT NULL,
  subject text COLLATE "C" NOT NULL,
  hour bigint NOT NULL,
  groups text COLLATE "C" NOT NULL,
  n bigint NOT NULL,
  nums bigint NOT NULL,
  total double precision,
  vmax double precision,
  last_time bigint,
  last_source text COLLATE "C",
  last_id text COLLATE "C",
  last_value double precision,
  PRIMARY KEY (meter_key, subject, hour, groups)
);
CREATE INDEX usage_rollups_by_hour ON usage_rollups (hour, meter_key);
`,
};
