import type { Migration } from './index.js';

/** Usage reports and thresholds (see the PostgreSQL migration 0014 for the model). */
export const migration0012: Migration = {
  version: 12,
  name: 'usage-reports',
  sql: `
ALTER TABLE meters ADD COLUMN report TEXT;
ALTER TABLE meters ADD COLUMN thresholds TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meters ADD COLUMN reported_through INTEGER;
ALTER TABLE meters ADD COLUMN late_checked_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meters ADD COLUMN thresholds_checked_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX usage_events_by_arrival ON usage_events (type, received_at);
CREATE TABLE usage_reports (
  id TEXT PRIMARY KEY,
  meter_key TEXT NOT NULL,
  subject TEXT NOT NULL,
  period_start INTEGER NOT NULL,
  period_end INTEGER NOT NULL,
  version INTEGER NOT NULL,
  value REAL,
  groups TEXT NOT NULL,
  msg_status TEXT NOT NULL,
  msg_id TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (meter_key, subject, period_start, version)
);
CREATE INDEX usage_reports_pending ON usage_reports (created_at) WHERE msg_status = 'pending';
CREATE TABLE usage_thresholds (
  id TEXT PRIMARY KEY,
  meter_key TEXT NOT NULL,
  subject TEXT NOT NULL,
  period_start INTEGER NOT NULL,
  code TEXT NOT NULL,
  multiple INTEGER NOT NULL,
  threshold REAL NOT NULL,
  value REAL NOT NULL,
  msg_status TEXT NOT NULL,
  msg_id TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (meter_key, subject, period_start, code, multiple)
);
CREATE INDEX usage_thresholds_pending ON usage_thresholds (created_at) WHERE msg_status = 'pending';
`,
};
