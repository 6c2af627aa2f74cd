import type { Migration } from './index.js';

/** `hookrelay_ingest_room` (0004, 0005) had no caller left: ingest's hand-off runs the worker's claim itself. */
export const migration0018: Migration = {
  version: 18,
  name: 'no-ingest-room',
  sql: `DROP FUNCTION IF EXISTS hookrelay_ingest_room(text[], bigint, integer);`,
};
