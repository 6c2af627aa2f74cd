import type { Migration } from './index.js';

/**
 * The initial schema. Times are INTEGER epoch ms; booleans are 0/1; lists and maps are JSON text.
 * Deletes cascade: application → endpoints, messages → deliveries → attempts; endpoint → deliveries.
 * Append-only: never edit a released migration, add the next number instead.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE applications (
  id TEXT PRIMARY KEY,
  uid TEXT UNIQUE,
  name TEXT NOT NULL,
  rate_limit INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE event_types (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  schemas TEXT,
  archived INTEGER NOT NULL DEFAULT 0,
  deprecated INTEGER NOT NULL DEFAULT 0,
  feature_flag TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE endpoints (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  uid TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('url', 'poll')),
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  filter_types TEXT,
  channels TEXT,
  rate_limit INTEGER,
  disabled INTEGER NOT NULL DEFAULT 0,
  metadata TEXT NOT NULL DEFAULT '{}',
  headers TEXT NOT NULL DEFAULT '{}',
  format TEXT NOT NULL DEFAULT 'standard',
  cloud_events_handshake INTEGER NOT NULL DEFAULT 0,
  svix_headers INTEGER,
  -- JSON [{key: sealed, expiresAt}] — current secret first (SecretBox, AES-256-GCM)
  secrets TEXT NOT NULL,
  failing_since INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (app_id, uid)
);
CREATE INDEX endpoints_app_id ON endpoints (app_id, id);

-- seq is the rowid alias: global, monotonic (AUTOINCREMENT never reuses a value), the pull cursor.
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  event_type TEXT NOT NULL,
  event_id TEXT,
  channels TEXT,
  tags TEXT,
  payload TEXT,
  created_at INTEGER NOT NULL,
  deliver_at INTEGER NOT NULL,
  payload_expires_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_app_event_id ON messages (app_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX messages_app_id ON messages (app_id, id);
CREATE INDEX messages_app_seq ON messages (app_id, seq);
CREATE INDEX messages_payload_expiry ON messages (payload_expires_at) WHERE payload IS NOT NULL;

-- The outbox and the queue: one row per (message, endpoint). status: 0 success, 1 pending, 2 fail, 3 sending.
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  msg_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
  status INTEGER NOT NULL,
  attempt_count INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_attempt_at INTEGER,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  trigger_type INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (msg_id, endpoint_id)
);
-- Claiming: due pending rows in time order, expired leases; both covering for the per-endpoint cap.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, endpoint_id) WHERE status = 1;
CREATE INDEX deliveries_leased ON deliveries (lease_expires_at, endpoint_id) WHERE status = 3;
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, msg_id);

CREATE TABLE attempts (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  status INTEGER NOT NULL,
  response_status_code INTEGER NOT NULL,
  response TEXT NOT NULL,
  response_duration_ms INTEGER NOT NULL,
  trigger_type INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX attempts_msg ON attempts (msg_id, id);
CREATE INDEX attempts_endpoint ON attempts (endpoint_id, id);
CREATE INDEX attempts_delivery ON attempts (delivery_id);

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  app_id TEXT REFERENCES applications(id) ON DELETE CASCADE,
  expires_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX tokens_app ON tokens (app_id);

CREATE TABLE idempotency (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_expiry ON idempotency (expires_at);

CREATE TABLE consumer_offsets (
  endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
  consumer_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (endpoint_id, consumer_id)
) WITHOUT ROWID;
`,
};
