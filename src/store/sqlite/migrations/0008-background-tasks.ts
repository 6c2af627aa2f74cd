import type { Migration } from './index.js';

/** Background tasks (see the PostgreSQL migration 0010 for the model). */
export const migration0008: Migration = {
  version: 8,
  name: 'background-tasks',
  sql: `
CREATE TABLE background_tasks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
  app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  endpoint_id TEXT REFERENCES endpoints(id) ON DELETE CASCADE,
  params TEXT NOT NULL,
  data TEXT NOT NULL,
  cursor TEXT,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX background_tasks_running ON background_tasks (id) WHERE status = 'running';
`,
};
