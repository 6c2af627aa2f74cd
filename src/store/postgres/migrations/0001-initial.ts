import { LOCK_MESSAGE_SEQ } from '../advisory-locks.js';
import type { Migration } from './index.js';

/**
 * The initial schema.
 * - IDs are `text COLLATE "C"`: KSUIDs are base62 with mixed case, and only byte order sorts
 *   them by creation time (the default collation would put `a` before `B`). Pagination orders
 *   by these columns, so every index on them is built with the same collation.
 * - Times are bigint epoch ms; JSON values are jsonb; list values (filter types, channels,
 *   tags) are text[] so filters run in SQL (`= ANY`, `&&`). NULL and '{}' are different values
 *   (null = "no filter" / "not given") and both round-trip.
 * - Endpoint secrets are stored sealed by the SecretBox: jsonb `[{key: "v1:...", expiresAt}]`.
 * - `messages.seq` is the pull API's cursor; see hookrelay_reserve_seqs below.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE settings (
  key text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE applications (
  id text COLLATE "C" PRIMARY KEY,
  uid text COLLATE "C" UNIQUE,
  name text NOT NULL,
  rate_limit integer,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE event_types (
  name text COLLATE "C" PRIMARY KEY,
  description text NOT NULL,
  schemas jsonb,
  archived boolean NOT NULL DEFAULT false,
  deprecated boolean NOT NULL DEFAULT false,
  feature_flag text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);

CREATE TABLE endpoints (
  id text COLLATE "C" PRIMARY KEY,
  app_id text COLLATE "C" NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  uid text COLLATE "C",
  kind text NOT NULL,
  url text NOT NULL,
  description text NOT NULL,
  version integer NOT NULL,
  filter_types text[],
  channels text[],
  rate_limit integer,
  disabled boolean NOT NULL,
  metadata jsonb NOT NULL,
  headers jsonb NOT NULL,
  format text NOT NULL,
  cloud_events_handshake boolean NOT NULL,
  svix_headers boolean,
  secrets jsonb NOT NULL,
  failing_since bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  CONSTRAINT endpoints_app_id_uid_key UNIQUE (app_id, uid)
);
CREATE INDEX endpoints_app_id_id ON endpoints (app_id, id);

-- Per-database message order for the pull API. Only hookrelay_reserve_seqs() draws from it.
CREATE SEQUENCE message_seq AS bigint;

CREATE TABLE messages (
  id text COLLATE "C" PRIMARY KEY,
  app_id text COLLATE "C" NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  event_type text NOT NULL,
  event_id text,
  channels text[],
  tags text[],
  payload text,
  created_at bigint NOT NULL,
  deliver_at bigint NOT NULL,
  payload_expires_at bigint NOT NULL
);
CREATE UNIQUE INDEX messages_app_event_id ON messages (app_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX messages_app_id_id ON messages (app_id, id);
CREATE INDEX messages_app_id_seq ON messages (app_id, seq);
CREATE INDEX messages_payload_expires ON messages (payload_expires_at) WHERE payload IS NOT NULL;

-- No foreign keys on deliveries, on purpose: this is the hot ingest path, and a per-row FK
-- check on msg_id and endpoint_id cost more than the rest of the insert. Integrity instead:
-- ingest locks its batch's app and endpoint rows once (FOR KEY SHARE) and writes a delivery
-- only with its message, in the same transaction; deleteEndpoint / deleteApplication lock
-- those rows FOR UPDATE and delete the deliveries themselves (attempts cascade from them).
CREATE TABLE deliveries (
  id text COLLATE "C" PRIMARY KEY,
  app_id text COLLATE "C" NOT NULL,
  msg_id text COLLATE "C" NOT NULL,
  endpoint_id text COLLATE "C" NOT NULL,
  status smallint NOT NULL,
  attempt_count integer NOT NULL DEFAULT 0,
  next_attempt_at bigint,
  last_attempt_at bigint,
  trigger_type smallint NOT NULL DEFAULT 0,
  lease_owner text,
  lease_expires_at bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  CONSTRAINT deliveries_msg_endpoint_key UNIQUE (msg_id, endpoint_id)
);
-- The queue: pending rows by due time, leased rows by expiry (few: bounded by concurrency).
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 1;
CREATE INDEX deliveries_leased ON deliveries (lease_expires_at) WHERE status = 3;
CREATE INDEX deliveries_endpoint_msg ON deliveries (endpoint_id, msg_id);

CREATE TABLE attempts (
  id text COLLATE "C" PRIMARY KEY,
  app_id text COLLATE "C" NOT NULL,
  msg_id text COLLATE "C" NOT NULL,
  endpoint_id text COLLATE "C" NOT NULL,
  delivery_id text COLLATE "C" NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  url text NOT NULL,
  status smallint NOT NULL,
  response_status_code integer NOT NULL,
  -- '' once expunged (retention or on request).
  response text NOT NULL,
  response_duration_ms integer NOT NULL,
  trigger_type smallint NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX attempts_endpoint_id ON attempts (endpoint_id, id);
CREATE INDEX attempts_msg_id ON attempts (msg_id, id);
CREATE INDEX attempts_delivery_id ON attempts (delivery_id);

CREATE TABLE tokens (
  id text COLLATE "C" PRIMARY KEY,
  hash text NOT NULL,
  app_id text COLLATE "C" REFERENCES applications (id) ON DELETE CASCADE,
  expires_at bigint,
  created_at bigint NOT NULL,
  CONSTRAINT tokens_hash_key UNIQUE (hash)
);

CREATE INDEX tokens_app_id ON tokens (app_id);

CREATE TABLE idempotency_keys (
  scope text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  status integer NOT NULL,
  body text NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

CREATE TABLE consumer_offsets (
  endpoint_id text COLLATE "C" NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
  consumer_id text COLLATE "C" NOT NULL,
  seq bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (endpoint_id, consumer_id)
);

-- Reserve n consecutive seqs for the calling transaction: returns the last one.
--
-- Why a lock: a sequence alone hands out numbers in call order, but transactions commit in
-- any order, so a poller could read seq N+1 (committed) while N is still in flight, move its
-- cursor past N, and never see it. Here every writer takes one transaction-scoped advisory
-- lock right before it draws seqs and keeps it until COMMIT/ROLLBACK. The next writer can
-- only draw after the previous one has ended, and PostgreSQL makes a commit visible before
-- it releases the transaction's locks — so seqs become visible in seq order, and a reader
-- that sees N+1 also sees every N that will ever exist. A rolled-back batch leaves a gap;
-- gaps are harmless (the cursor is "seq > last", not "seq = last + 1").
-- Callers take it as late as they can — ingest writes its delivery rows first and only then
-- reserves seqs and inserts the messages — so the serialised part is that insert and the commit.
CREATE FUNCTION hookrelay_reserve_seqs(n integer) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(${LOCK_MESSAGE_SEQ});
  RETURN setval('message_seq', nextval('message_seq') + n - 1);
END
$$;
`,
};
