import type { Migration } from './index.js';

/**
 * `deliveries_due` goes: `deliveries_pending_endpoint` holds the same rows, the claim already
 * reads only it, and the earliest due time is read per endpoint from it too
 * (src/store/postgres/pending-endpoints.ts). One index fewer for every ingest and every lease
 * to write.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'no-due-index',
  sql: `DROP INDEX deliveries_due;`,
};
