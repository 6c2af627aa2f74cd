import type { Migration } from './index.js';

/** Hourly rollups of each meter (see the PostgreSQL migration 0015 for the model). */
export const migration0013: Migration = {
  version: 13,
  name: 'usage-rollups',
  sql: `
ALTER TABLE meters ADD COLUMN rolled_from INTEGER;
ALTER TABLE meters ADD COLUMN rolled_through INTEGER;
ALTER TABLE meters ADD COLUMN rollup_checked_at INTEGER NOT NULL DEFAULT 0;
CREATE TABLE usage_rollups (
  meter_key TEXT NOT NULL,
  subject TEXT NOT NULL,
  hour INTEGER NOT NULL,
  groups TEXT NOT NULL,
  n INTEGER NOT NULL,
  nums INTEGER NOT NULL,
  total REAL,
  vmax REAL,
  last_time INTEGER,
  last_source TEXT,
  last_id TEXT,
  last_value REAL,
  PRIMARY KEY (meter_key, subject, hour, groups)
) WITHOUT ROWID;
CREATE INDEX usage_rollups_by_hour ON usage_rollups (hour, meter_key);
`,
};
