import type { Migration } from './index.js';

/**
 * Portal sessions on the tokens table: what a token is for (`kind`, see TokenKind in store.ts),
 * its capabilities (JSON list; NULL = all), the caller's session label, and for one-time login
 * keys when they were used and when the session they open ends. Existing tokens become `api`
 * tokens with every capability, as they behaved before.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'token-sessions',
  sql: `
ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'portal', 'session', 'login_key'));
ALTER TABLE tokens ADD COLUMN capabilities TEXT;
ALTER TABLE tokens ADD COLUMN session_id TEXT;
ALTER TABLE tokens ADD COLUMN session_expires_at INTEGER;
ALTER TABLE tokens ADD COLUMN used_at INTEGER;
`,
};
