import type { Migration } from './index.js';

/**
 * Portal sessions on the tokens table: what a token is for (`kind`, see TokenKind in store.ts),
 * its capabilities (a JSON list; NULL = all), the caller's session label, and for one-time login
 * keys when they were used and when the session they open ends. Existing tokens become `api`
 * tokens with every capability, as they behaved before.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'token-sessions',
  sql: `
ALTER TABLE tokens
  ADD COLUMN kind text NOT NULL DEFAULT 'api' CONSTRAINT tokens_kind_check CHECK (kind IN ('api', 'portal', 'session', 'login_key')),
  ADD COLUMN capabilities jsonb,
  ADD COLUMN session_id text COLLATE "C",
  ADD COLUMN session_expires_at bigint,
  ADD COLUMN used_at bigint;
`,
};
