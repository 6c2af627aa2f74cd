/**
 * The domain records, as the core sees them. Times are epoch milliseconds everywhere inside
 * (both stores keep integers); the API turns them into ISO strings. Secrets are plaintext here:
 * the store encrypts them at rest with the SecretBox it is given.
 */

import type { AppId, EndpointId, MessageId } from '../ids.js';

export type Metadata = Record<string, string>;

export interface Application {
  id: AppId;
  uid: string | null;
  name: string;
  rateLimit: number | null;
  metadata: Metadata;
  createdAt: number;
  updatedAt: number;
}

export interface EventType {
  name: string;
  description: string;
  schemas: Record<string, unknown> | null;
  archived: boolean;
  deprecated: boolean;
  featureFlag: string | null;
  createdAt: number;
  updatedAt: number;
}

/** How deliveries to an endpoint are shaped on the wire. */
export type DeliveryFormat = 'standard' | 'cloudevents-binary' | 'cloudevents-structured';

/** `url` endpoints receive pushes; `poll` endpoints are read through the pull API. */
export type EndpointKind = 'url' | 'poll';

/** A signing secret: `whsec_...` (HMAC-SHA256) or `whsk_...` (ed25519 private key). */
export interface EndpointSecret {
  key: string;
  /** When a rotated-out secret stops being used for signing; null for the current one. */
  expiresAt: number | null;
}

export interface Endpoint {
  id: EndpointId;
  appId: AppId;
  uid: string | null;
  kind: EndpointKind;
  url: string;
  description: string;
  version: number;
  /** null = all event types. */
  filterTypes: string[] | null;
  /** null = every message; otherwise the message must share at least one channel. */
  channels: string[] | null;
  /** Messages per second; null = unlimited. */
  rateLimit: number | null;
  disabled: boolean;
  metadata: Metadata;
  /** Custom headers sent with each delivery. */
  headers: Record<string, string>;
  format: DeliveryFormat;
  /** Send the CloudEvents webhook OPTIONS handshake before the first delivery. */
  cloudEventsHandshake: boolean;
  /** Also send svix-* headers (null = server default). */
  svixHeaders: boolean | null;
  /** Deliver each ordering key's messages one after another (docs/recovery.md#ordered-delivery). */
  ordered: boolean;
  /** The current secret first, then rotated-out secrets still inside their grace period. */
  secrets: EndpointSecret[];
  /** Start of the current unbroken run of failures; null when the last attempt succeeded. */
  failingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Svix's MessageStatus: 0 success, 1 pending, 2 fail, 3 sending. */
export const enum DeliveryStatus {
  Success = 0,
  Pending = 1,
  Fail = 2,
  Sending = 3,
}

export interface Message {
  id: MessageId;
  appId: AppId;
  eventType: string;
  eventId: string | null;
  channels: string[] | null;
  tags: string[] | null;
  /** The payload as the sender gave it, serialised once (null once expunged). */
  payload: string | null;
  /** Per-app order of acceptance: the pull API's cursor. */
  seq: number;
  createdAt: number;
  /** When deliveries may start (deliverAt), else createdAt. */
  deliverAt: number;
  payloadExpiresAt: number;
  /**
   * W3C `traceparent` of the span that accepted the message, so a delivery attempt in any
   * process continues its trace; null when tracing was off at ingest (HOOKRELAY_TRACING).
   */
  traceContext: string | null;
}

/** One (message, endpoint) pair: the outbox row that is also the delivery queue. */
export interface Delivery {
  id: string;
  appId: AppId;
  msgId: MessageId;
  endpointId: EndpointId;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Svix's MessageAttemptTriggerType: 0 scheduled, 1 manual. */
export type TriggerType = 0 | 1;

export interface Attempt {
  id: string;
  appId: AppId;
  msgId: MessageId;
  endpointId: EndpointId;
  deliveryId: string;
  url: string;
  status: DeliveryStatus.Success | DeliveryStatus.Fail;
  responseStatusCode: number;
  /** Response body up to the configured limit, or the failure reason (timeout, reset, blocked). */
  response: string;
  responseDurationMs: number;
  triggerType: TriggerType;
  createdAt: number;
}

/** A message to write: what a producer (the API, the CLI, operational webhooks) hands the outbox. */
export interface NewMessage extends Pick<Message, 'id' | 'appId' | 'eventType' | 'eventId' | 'channels' | 'tags'> {
  payload: string;
  now: number;
  /** When the first attempt is due; `now` unless the sender scheduled it (deliverAt). */
  deliverAt: number;
  payloadExpiresAt: number;
  /** Message.traceContext; set only while tracing is on (Default: null). */
  traceContext?: string | null;
  /**
   * When set, the one delivery row is written for this endpoint only, whatever the filters
   * (`send-example`: an example goes to the endpoint it was asked for, not to every subscriber).
   */
  onlyEndpointId?: string;
  /** Hookrelay's ordering key: an ordered endpoint delivers a key's messages one after another (Default: none, ''). */
  orderingKey?: string | null;
}

/** Result of one message in a group commit: accepted, or refused without affecting the others. */
export type CreateMessageResult =
  | { ok: true; message: Message; deliveryCount: number }
  | { ok: false; reason: 'duplicate_event_id'; existing: Message }
  | { ok: false; reason: 'app_not_found' };
