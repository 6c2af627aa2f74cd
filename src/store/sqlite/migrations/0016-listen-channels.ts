import type { Migration } from './index.js';

/** Listen channels in the database, as on PostgreSQL (its migration 0008): one implementation for both stores. */
export const migration0016: Migration = {
  version: 16,
  name: 'listen-channels',
  sql: `
CREATE TABLE listen_channels (
  id TEXT PRIMARY KEY,
  uid TEXT,
  last_seq INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  last_active_at INTEGER NOT NULL
);

CREATE TABLE listen_events (
  channel TEXT NOT NULL REFERENCES listen_channels (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  method TEXT NOT NULL,
  headers TEXT NOT NULL,
  query TEXT NOT NULL,
  body BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (channel, seq)
) WITHOUT ROWID;
`,
};
