import type { Migration } from './index.js';

/**
 * Usage reports and thresholds. A meter's schedule and thresholds live on its row, with how far
 * its reports have come (`reported_through`: the end of the last period reported) and the
 * arrival times its checks for late events and crossed thresholds have read up to. A report and
 * a crossed threshold are rows first — unique per (meter, subject, period, version) and (meter,
 * subject, period, code, multiple), written in the transaction that advances the meter — and
 * messages second (`msg_status`: pending until its message is in the outbox).
 */
export const migration0014: Migration = {
  version: 14,
  name: 'usage-reports',
  sql: `
ALTER TABLE meters ADD COLUMN report jsonb;
ALTER TABLE meters ADD COLUMN thresholds jsonb NOT NULL DEFAULT '[]';
ALTER TABLE meters ADD COLUMN reported_through bigint;
ALTER TABLE meters ADD COLUMN late_checked_at bigint NOT NULL DEFAULT 0;
ALTER TABLE meters ADD COLUMN thresholds_checked_at bigint NOT NULL DEFAULT 0;
CREATE INDEX usage_events_by_arrival ON usage_events (type, received_at);
CREATE TABLE usage_reports (
  id text COLLATE "C" PRIMARY KEY,
  meter_key text COLLATE "C" NOT NULL,
  subject text COLLATE "C" NOT NULL,
  period_start bigint NOT NULL,
  period_end bigint NOT NULL,
  version integer NOT NULL,
  value double precision,
  groups jsonb NOT NULL,
  msg_status text NOT NULL,
  msg_id text COLLATE "C",
  created_at bigint NOT NULL,
  UNIQUE (meter_key, subject, period_start, version)
);
CREATE INDEX usage_reports_pending ON usage_reports (created_at) WHERE msg_status = 'pending';
CREATE TABLE usage_thresholds (
  id text COLLATE "C" PRIMARY KEY,
  meter_key text COLLATE "C" NOT NULL,
  subject text COLLATE "C" NOT NULL,
  period_start bigint NOT NULL,
  code text COLLATE "C" NOT NULL,
  multiple integer NOT NULL,
  threshold double precision NOT NULL,
  value double precision NOT NULL,
  msg_status text NOT NULL,
  msg_id text COLLATE "C",
  created_at bigint NOT NULL,
  UNIQUE (meter_key, subject, period_start, code, multiple)
);
CREATE INDEX usage_thresholds_pending ON usage_thresholds (created_at) WHERE msg_status = 'pending';
`,
};
