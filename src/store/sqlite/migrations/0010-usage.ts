import type { Migration } from './index.js';

/** Usage events and meters (see the PostgreSQL migration 0012 for the model). */
export const migration0010: Migration = {
  version: 10,
  name: 'usage',
  sql: `
CREATE TABLE usage_events (
  source TEXT NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  time INTEGER NOT NULL,
  data TEXT,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (source, event_id)
) WITHOUT ROWID;
CREATE INDEX usage_events_by_subject ON usage_events (type, subject, time);
CREATE TABLE meters (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  event_type TEXT NOT NULL,
  aggregation TEXT NOT NULL,
  value_property TEXT,
  group_by TEXT NOT NULL,
  filter TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
};
