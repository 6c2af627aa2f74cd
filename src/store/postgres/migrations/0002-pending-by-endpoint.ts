import type { Migration } from './index.js';

/**
 * Pending rows by endpoint, in due order: the claim finds the endpoints with due work by a
 * loose index scan over it and reads each endpoint's oldest rows with one seek
 * (src/store/postgres/deliveries-claim.ts), so a claim never walks a backlog.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'pending-by-endpoint',
  sql: `CREATE INDEX deliveries_pending_endpoint ON deliveries (endpoint_id, next_attempt_at) WHERE status = 1;`,
};
