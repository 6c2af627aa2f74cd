import type { Migration } from './index.js';

/**
 * Usage events (CloudEvents a producer reports: `subject` is the customer) and the meters that
 * aggregate them. An event is stored once per (source, id), so a producer's retry never counts
 * twice; meters read them by (type, subject, time).
 */
export const migration0012: Migration = {
  version: 12,
  name: 'usage',
  sql: `
CREATE TABLE usage_events (
  source text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  subject text COLLATE "C" NOT NULL,
  time bigint NOT NULL,
  data jsonb,
  received_at bigint NOT NULL,
  PRIMARY KEY (source, event_id)
);
CREATE INDEX usage_events_by_subject ON usage_events (type, subject, time);
CREATE TABLE meters (
  key text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  event_type text COLLATE "C" NOT NULL,
  aggregation text NOT NULL,
  value_property text,
  group_by jsonb NOT NULL,
  filter jsonb NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
`,
};
