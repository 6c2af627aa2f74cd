import type { Migration } from './index.js';

/**
 * Dead letters (see the PostgreSQL migration 0011): a failed delivery keeps why, and a resend of a
 * selection across apps is a task with no app (SQLite cannot drop NOT NULL: the table is rebuilt).
 */
export const migration0009: Migration = {
  version: 9,
  name: 'dead-letters',
  sql: `
ALTER TABLE deliveries ADD COLUMN dead_reason TEXT;
CREATE INDEX deliveries_dead ON deliveries (id) WHERE status = 2;
CREATE TABLE background_tasks_new (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  app_id TEXT REFERENCES applications(id) ON DELETE CASCADE,
  endpoint_id TEXT REFERENCES endpoints(id) ON DELETE CASCADE,
  params TEXT NOT NULL,
  data TEXT NOT NULL,
  cursor TEXT,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO background_tasks_new SELECT * FROM background_tasks;
DROP TABLE background_tasks;
ALTER TABLE background_tasks_new RENAME TO background_tasks;
CREATE INDEX background_tasks_running ON background_tasks (id) WHERE status = 'running';
`,
};
