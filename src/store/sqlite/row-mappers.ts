import type { Attempt, Delivery, Message, TriggerType } from '../../domain/model.js';
import type { Row } from './sqlite-context.js';

/** Rows (snake_case, 0/1, JSON text) → domain records. One function per table. */

const parseOrNull = <T>(v: unknown): T | null =>
  v === null || v === undefined ? null : (JSON.parse(v as string) as T);
const num = (v: unknown): number => v as number;
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : (v as number));
const str = (v: unknown): string => v as string;
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));

export function toMessage(r: Row): Message {
  return {
    id: str(r.id),
    appId: str(r.app_id),
    eventType: str(r.event_type),
    eventId: strOrNull(r.event_id),
    channels: parseOrNull(r.channels),
    tags: parseOrNull(r.tags),
    payload: strOrNull(r.payload),
    seq: num(r.seq),
    createdAt: num(r.created_at),
    deliverAt: num(r.deliver_at),
    payloadExpiresAt: num(r.payload_expires_at),
    traceContext: strOrNull(r.trace_context),
  };
}

export function toDelivery(r: Row): Delivery {
  return {
    id: str(r.id),
    appId: str(r.app_id),
    msgId: str(r.msg_id),
    endpointId: str(r.endpoint_id),
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
    id: str(r.id),
    appId: str(r.app_id),
    msgId: str(r.msg_id),
    endpointId: str(r.endpoint_id),
    deliveryId: str(r.delivery_id),
    url: str(r.url),
    status: num(r.status) as Attempt['status'],
    responseStatusCode: num(r.response_status_code),
    response: str(r.response),
    responseDurationMs: num(r.response_duration_ms),
    triggerType: num(r.trigger_type) as TriggerType,
    createdAt: num(r.created_at),
  };
}
