import type { Migration } from './index.js';

/** The idempotency table takes PostgreSQL's name, so the shared catalog (src/store/catalog) names one table. */
export const migration0007: Migration = {
  version: 7,
  name: 'idempotency-keys',
  sql: `
ALTER TABLE idempotency RENAME TO idempotency_keys;
`,
};
