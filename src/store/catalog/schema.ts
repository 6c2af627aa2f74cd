import type { Generated, Selectable } from 'kysely';
import type { DeliveryStatus, TriggerType } from '../../domain/model.js';
import type { BackgroundTaskKind, BackgroundTaskStatus } from '../task-types.js';
import type { TokenKind } from '../token-types.js';

/**
 * The tables as Kysely sees them, for the SQL both adapters share: the plain tables, and the reads
 * of the message log (messages, deliveries, attempts), whose writes — the outbox — stay behind
 * each adapter's own SQL. Statuses are DeliveryStatus (domain/model.ts) in both dialects.
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
  ordered: StoredBool;
  svix_headers: StoredBool | null;
  secrets: StoredJson;
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  seq: number;
  id: string;
  app_id: string;
  event_type: string;
  event_id: string | null;
  channels: StoredList | null;
  tags: StoredList | null;
  payload: string | null;
  created_at: number;
  deliver_at: number;
  payload_expires_at: number;
  trace_context: string | null;
}

export interface DeliveriesTable {
  id: string;
  app_id: string;
  msg_id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  trigger_type: TriggerType;
  lease_owner: string | null;
  lease_expires_at: number | null;
  /** Why a failed (status 2) delivery failed: a FailureReason; null before migration 0011 / 0009. */
  dead_reason: string | null;
  /** An ordered endpoint's delivery: its message's ordering key ('' for none) and seq (ordering.ts). */
  order_key: string | null;
  order_seq: number | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptsTable {
  id: string;
  app_id: string;
  msg_id: string;
  endpoint_id: string;
  delivery_id: string;
  url: string;
  status: DeliveryStatus.Success | DeliveryStatus.Fail;
  response_status_code: number;
  response: string;
  response_duration_ms: number;
  trigger_type: TriggerType;
  created_at: number;
}

export interface BackgroundTasksTable {
  id: string;
  kind: BackgroundTaskKind;
  status: BackgroundTaskStatus;
  /** Null for a task across apps (a dead-letter resend). */
  app_id: string | null;
  endpoint_id: string | null;
  params: StoredJson;
  data: StoredJson;
  cursor: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface UsageEventsTable {
  source: string;
  event_id: string;
  type: string;
  subject: string;
  time: number;
  data: StoredJson | null;
  received_at: number;
}

export interface MetersTable {
  key: string;
  name: string;
  event_type: string;
  aggregation: string;
  value_property: string | null;
  group_by: StoredJson;
  filter: StoredJson;
  report: StoredJson | null;
  thresholds: Generated<StoredJson>;
  reported_through: number | null;
  late_checked_at: Generated<number>;
  thresholds_checked_at: Generated<number>;
  rolled_from: number | null;
  rolled_through: number | null;
  rollup_checked_at: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface UsageReportsTable {
  id: string;
  meter_key: string;
  subject: string;
  period_start: number;
  period_end: number;
  version: number;
  value: number | null;
  groups: StoredJson;
  msg_status: string;
  msg_id: string | null;
  created_at: number;
}

export interface UsageRollupsTable {
  meter_key: string;
  subject: string;
  hour: number;
  groups: string;
  n: number;
  nums: number;
  total: number | null;
  vmax: number | null;
  last_time: number | null;
  last_source: string | null;
  last_id: string | null;
  last_value: number | null;
}

export interface UsageThresholdsTable {
  id: string;
  meter_key: string;
  subject: string;
  period_start: number;
  code: string;
  multiple: number;
  threshold: number;
  value: number;
  msg_status: string;
  msg_id: string | null;
  created_at: number;
}

/** A traffic feed's position: the last message seq, or the last attempt ID, turned into usage events. */
export interface UsageFeedsTable {
  name: string;
  position: string;
  updated_at: number;
}

export interface JobRunsTable {
  job: string;
  period: number;
  owner: string;
  lease_until: number;
  finished_at: number | null;
}

/** A listen channel (`hookrelay listen`); `last_seq` is its last event's seq. */
export interface ListenChannelsTable {
  id: string;
  uid: string | null;
  last_seq: number;
  created_at: number;
  last_active_at: number;
}

/** A request relayed to a listen channel; a channel keeps its newest few. */
export interface ListenEventsTable {
  channel: string;
  seq: number;
  method: string;
  headers: StoredJson;
  query: StoredJson;
  body: Buffer;
  received_at: number;
}

/** Rows as a statement that reads the whole row returns them, before the dialect's codec (catalog-context.ts). */
export type EndpointRow = Selectable<EndpointsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
/** The columns a Delivery (domain/model.ts) is read from. */
export type DeliveryColumns = Pick<
  DeliveryRow,
  | 'id'
  | 'app_id'
  | 'msg_id'
  | 'endpoint_id'
  | 'status'
  | 'attempt_count'
  | 'next_attempt_at'
  | 'last_attempt_at'
  | 'created_at'
  | 'updated_at'
>;

export interface CatalogSchema {
  settings: SettingsTable;
  idempotency_keys: IdempotencyKeysTable;
  consumer_offsets: ConsumerOffsetsTable;
  applications: ApplicationsTable;
  event_types: EventTypesTable;
  tokens: TokensTable;
  endpoints: EndpointsTable;
  messages: MessagesTable;
  deliveries: DeliveriesTable;
  attempts: AttemptsTable;
  background_tasks: BackgroundTasksTable;
  usage_events: UsageEventsTable;
  meters: MetersTable;
  usage_reports: UsageReportsTable;
  usage_thresholds: UsageThresholdsTable;
  usage_rollups: UsageRollupsTable;
  usage_feeds: UsageFeedsTable;
  job_runs: JobRunsTable;
  listen_channels: ListenChannelsTable;
  listen_events: ListenEventsTable;
}
