import type { Attempt, Delivery, Message, TriggerType } from '../../domain/model.js';

/**
 * Rows → domain records, one function per table. pg already gives JS values: jsonb as objects,
 * text[] as arrays, booleans as booleans, and bigint as numbers (db.ts sets that parser on our
 * pool only). `prefix` reads the same record from a join that aliased its columns (`m_id`, ...).
 */
export type Row = Record<string, unknown>;

const num = (v: unknown): number => v as number;
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : (v as number));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));
const arrOrNull = (v: unknown): string[] | null => (v === null || v === undefined ? null : (v as string[]));

/** The message columns, aliased for joins: `m.id AS m_id, ...` (read back with toMessage(row, 'm_')). */
export const MESSAGE_COLUMNS_AS_M = [
  'id',
  'app_id',
  'seq',
  'event_type',
  'event_id',
  'channels',
  'tags',
  'payload',
  'created_at',
  'deliver_at',
  'payload_expires_at',
  'trace_context',
]
  .map((c) => `m.${c} AS m_${c}`)
  .join(', ');

export function toMessage(r: Row, prefix = ''): Message {
  return {
    id: r[prefix + 'id'] as string,
    appId: r[prefix + 'app_id'] as string,
    eventType: r[prefix + 'event_type'] as string,
    eventId: strOrNull(r[prefix + 'event_id']),
    channels: arrOrNull(r[prefix + 'channels']),
    tags: arrOrNull(r[prefix + 'tags']),
    payload: strOrNull(r[prefix + 'payload']),
    seq: num(r[prefix + 'seq']),
    createdAt: num(r[prefix + 'created_at']),
    deliverAt: num(r[prefix + 'deliver_at']),
    payloadExpiresAt: num(r[prefix + 'payload_expires_at']),
    traceContext: strOrNull(r[prefix + 'trace_context']),
  };
}

export function toDelivery(r: Row): Delivery {
  return {
    id: r.id as string,
    appId: r.app_id as string,
    msgId: r.msg_id as string,
    endpointId: r.endpoint_id as string,
    status: num(r.status) as Delivery['status'],
    attemptCount: num(r.attempt_count),
    nextAttemptAt: numOrNull(r.next_attempt_at),
    lastAttemptAt: numOrNull(r.last_attempt_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toAttempt(r: Row): Attempt {
  return {
    id: r.id as string,
    appId: r.app_id as string,
    msgId: r.msg_id as string,
    endpointId: r.endpoint_id as string,
    deliveryId: r.delivery_id as string,
    url: r.url as string,
    status: num(r.status) as Attempt['status'],
    responseStatusCode: num(r.response_status_code),
    response: r.response as string,
    responseDurationMs: num(r.response_duration_ms),
    triggerType: num(r.trigger_type) as TriggerType,
    createdAt: num(r.created_at),
  };
}
