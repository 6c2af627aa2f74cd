import type { TokenKind } from '../token-types.js';

/**
 * The catalog's tables as Kysely sees them: the plain tables both adapters share (the outbox
 * tables — messages, deliveries, attempts' writes — stay behind each adapter's own SQL).
 * Columns whose stored form differs by dialect are typed by what they hold, wrapped so that
 * only the dialect's ValueCodec (catalog-context.ts) writes and reads them:
 * JSON (SQLite text, PostgreSQL jsonb), booleans (0/1, boolean), string lists (JSON text, text[]).
 */
export type StoredJson = { readonly storedJson: unique symbol };
export type StoredBool = { readonly storedBool: unique symbol };
export type StoredList = { readonly storedList: unique symbol };

export interface SettingsTable {
  key: string;
  value: string;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  status: number;
  body: string;
  expires_at: number;
}

export interface ConsumerOffsetsTable {
  endpoint_id: string;
  consumer_id: string;
  seq: number;
  updated_at: number;
}

export interface ApplicationsTable {
  id: string;
  uid: string | null;
  name: string;
  rate_limit: number | null;
  metadata: StoredJson;
  created_at: number;
  updated_at: number;
}

export interface EventTypesTable {
  name: string;
  description: string;
  schemas: StoredJson | null;
  archived: StoredBool;
  deprecated: StoredBool;
  feature_flag: string | null;
  created_at: number;
  updated_at: number;
}

export interface TokensTable {
  id: string;
  hash: string;
  app_id: string | null;
  expires_at: number | null;
  created_at: number;
  kind: TokenKind;
  capabilities: StoredJson | null;
  session_id: string | null;
  session_expires_at: number | null;
  used_at: number | null;
}

export interface EndpointsTable {
  id: string;
  app_id: string;
  uid: string | null;
  kind: 'url' | 'poll';
  url: string;
  description: string;
  version: number;
  filter_types: StoredList | null;
  channels: StoredList | null;
  rate_limit: number | null;
  disabled: StoredBool;
  metadata: StoredJson;
  headers: StoredJson;
  format: string;
  cloud_events_handshake: StoredBool;
  svix_headers: StoredBool | null;
  secrets: StoredJson;
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

export interface CatalogSchema {
  settings: SettingsTable;
  idempotency_keys: IdempotencyKeysTable;
  consumer_offsets: ConsumerOffsetsTable;
  applications: ApplicationsTable;
  event_types: EventTypesTable;
  tokens: TokensTable;
  endpoints: EndpointsTable;
}
