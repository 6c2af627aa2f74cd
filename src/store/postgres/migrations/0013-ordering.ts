import type { Migration } from './index.js';

/**
 * Ordered delivery per key: an ordered endpoint's delivery carries its message's ordering key
 * (`order_key`, '' for none) and seq (`order_seq`). Per (endpoint, key) one row is live — due,
 * sending, or failed for good (its key blocked) — and the others wait, due at WAITING_DUE, which
 * no claim reaches. A row that succeeded or was skipped leaves its key (order_key NULL).
 * `deliveries_order_waiting` finds the next to promote, `deliveries_order_live` a key's head.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'ordering',
  sql: `
ALTER TABLE endpoints ADD COLUMN ordered boolean NOT NULL DEFAULT false;
ALTER TABLE deliveries ADD COLUMN order_key text COLLATE "C";
ALTER TABLE deliveries ADD COLUMN order_seq bigint;
CREATE INDEX deliveries_order_live ON deliveries (endpoint_id, order_key)
  WHERE order_key IS NOT NULL AND (status IN (2, 3) OR (status = 1 AND next_attempt_at < 8000000000000000));
CREATE INDEX deliveries_order_waiting ON deliveries (endpoint_id, order_key, order_seq)
  WHERE order_key IS NOT NULL;
`,
};
