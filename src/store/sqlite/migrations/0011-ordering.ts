import type { Migration } from './index.js';

/** Ordered delivery per key (see the PostgreSQL migration 0013 for the model). */
export const migration0011: Migration = {
  version: 11,
  name: 'ordering',
  sql: `
ALTER TABLE endpoints ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN order_key TEXT;
ALTER TABLE deliveries ADD COLUMN order_seq INTEGER;
CREATE INDEX deliveries_order_live ON deliveries (endpoint_id, order_key)
  WHERE order_key IS NOT NULL AND (status IN (2, 3) OR (status = 1 AND next_attempt_at < 8000000000000000));
CREATE INDEX deliveries_order_waiting ON deliveries (endpoint_id, order_key, order_seq)
  WHERE order_key IS NOT NULL;
`,
};
