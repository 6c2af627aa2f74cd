import type { Migration } from './index.js';

/**
 * Shared rate budgets (rate-budgets.ts): one token bucket row per key, taken from by every
 * process. UNLOGGED: a take writes no WAL and its commit waits for no flush; after a server
 * crash the table comes back empty, which only starts every bucket full. `granted` and
 * `retry_at` are the answer to the take that last wrote the row (its RETURNING). A low fillfactor
 * keeps room on the page so the constant updates stay heap-only.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'rate-budgets',
  sql: `
CREATE UNLOGGED TABLE rate_budgets (
  key text COLLATE "C" PRIMARY KEY,
  tokens double precision NOT NULL,
  updated_at double precision NOT NULL,
  deferred_until double precision NOT NULL DEFAULT 0,
  rate double precision NOT NULL,
  burst double precision NOT NULL,
  granted integer NOT NULL DEFAULT 0,
  retry_at double precision
) WITH (fillfactor = 50);
`,
};
