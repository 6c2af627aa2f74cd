import type { Migration } from './index.js';

/**
 * Hookrelay's own traffic as usage events (usage/traffic-feed.ts): each feed's position in the
 * log it reads — the last message `seq`, or the last attempt ID — moved in the transaction that
 * writes the events. The feed reads messages after a seq across apps; a BRIN index answers that
 * at almost no cost to the inserts (seqs grow with the table).
 */
export const migration0016: Migration = {
  version: 16,
  name: 'usage-feeds',
  sql: `
CREATE TABLE usage_feeds (
  name text COLLATE "C" PRIMARY KEY,
  position text COLLATE "C" NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX messages_seq_brin ON messages USING brin (seq);
`,
};
