import type { Migration } from './index.js';

/**
 * Dead letters: a failed delivery (status 2) keeps the reason of its last attempt
 * (src/domain/failure-reason.ts), and the partial index lists them newest first without reading
 * the rest of the table. A task that resends a selection across apps has no app.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'dead-letters',
  sql: `
ALTER TABLE deliveries ADD COLUMN dead_reason text;
CREATE INDEX deliveries_dead ON deliveries (id) WHERE status = 2;
ALTER TABLE background_tasks ALTER COLUMN app_id DROP NOT NULL;
`,
};
