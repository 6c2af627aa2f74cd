import type { Migration } from './index.js';

/**
 * Fewer B-trees written per delivery: the commit's WAL pages are most of the store's cost per
 * delivery, and each index a row touches adds pages to every commit.
 *
 * - `deliveries_due` goes: `deliveries_pending_endpoint` holds the same rows, and the earliest due
 *   time is read per endpoint from it, as the claim reads its heads (src/store/sqlite/pending-heads.ts).
 * - Attempts cascade from their message and their endpoint, whose indexes (`attempts_msg`,
 *   `attempts_endpoint`) they already have, instead of from their delivery row; a delivery row is
 *   only ever deleted by those two cascades, so the same attempts go, and `attempts_delivery`
 *   (kept only for that cascade) goes. SQLite cannot change a foreign key in place: the table is
 *   rebuilt, its rows copied as they are.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'leaner-delivery-writes',
  sql: `
DROP INDEX deliveries_due;

CREATE TABLE attempts_rebuilt (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL,
  msg_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
  delivery_id TEXT NOT NULL,
  url TEXT NOT NULL,
  status INTEGER NOT NULL,
  response_status_code INTEGER NOT NULL,
  response TEXT NOT NULL,
  response_duration_ms INTEGER NOT NULL,
  trigger_type INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO attempts_rebuilt SELECT id, app_id, msg_id, endpoint_id, delivery_id, url, status, response_status_code, response,
  response_duration_ms, trigger_type, created_at FROM attempts;
DROP TABLE attempts;
ALTER TABLE attempts_rebuilt RENAME TO attempts;
CREATE INDEX attempts_msg ON attempts (msg_id, id);
CREATE INDEX attempts_endpoint ON attempts (endpoint_id, id);
`,
};
