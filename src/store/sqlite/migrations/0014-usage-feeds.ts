import type { Migration } from './index.js';

/** Each traffic feed's position (see the PostgreSQL migration 0016); `messages.seq` is the rowid already. */
export const migration0014: Migration = {
  version: 14,
  name: 'usage-feeds',
  sql: `
CREATE TABLE usage_feeds (
  name TEXT PRIMARY KEY,
  position TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`,
};
