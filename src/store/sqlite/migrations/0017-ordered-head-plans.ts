import type { Migration } from './index.js';

/**
 * Plans for ordered keys' heads, which SQLite, with no statistics of its own here, must not guess:
 * - `deliveries_order_waiting` holds the waiting rows only, so the look for a key's live head cannot
 *   take it and uses `deliveries_order_live`; an index of every row with a key would be read whole
 *   for a key without a head.
 * - Fixed statistics say that a message has a few attempts and an endpoint very many, so a head's
 *   first attempt (by message and endpoint) is read through `attempts_msg`, not along all of its
 *   endpoint's attempts. The second ANALYZE loads them into the connection that migrates.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'ordered-head-plans',
  sql: `
DROP INDEX deliveries_order_waiting;
CREATE INDEX deliveries_order_waiting ON deliveries (endpoint_id, order_key, order_seq)
  WHERE order_key IS NOT NULL AND status = 1 AND next_attempt_at = 8000000000000000;
ANALYZE sqlite_schema;
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('attempts', 'attempts_msg', '1000000 4 1'),
  ('attempts', 'attempts_endpoint', '1000000 100000 1');
ANALYZE sqlite_schema;
`,
};
