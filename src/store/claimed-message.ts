import type { Endpoint, TriggerType } from '../domain/model.js';
import { toDelivery } from './catalog/delivery-views.js';
import type { DeliveryColumns } from './catalog/schema.js';
import type { ClaimedDelivery } from './delivery-types.js';

type ClaimedMessage = ClaimedDelivery['message'];

/**
 * The fields of a message that a delivery request needs, and no more: what a claim hands the
 * worker (copied across the store thread, so nothing it does not send).
 */
export function claimedMessage(
  m: Omit<ClaimedMessage, 'createdAt' | 'traceContext'> & { traceContext?: string | null },
  createdAt: number,
): ClaimedMessage {
  return {
    id: m.id,
    eventType: m.eventType,
    eventId: m.eventId,
    channels: m.channels,
    payload: m.payload,
    createdAt,
    traceContext: m.traceContext ?? null,
  };
}

/**
 * Leased rows as the worker takes them, oldest due first; a row whose message or endpoint is gone
 * (deleted before the lease) is dropped, as there is nothing to send.
 */
export function claimedInDueOrder<R extends DeliveryColumns & { trigger_type: TriggerType }>(
  rows: R[],
  messageOf: (row: R) => ClaimedMessage | undefined,
  endpointOf: (row: R) => Endpoint | undefined,
): ClaimedDelivery[] {
  const out: ClaimedDelivery[] = [];
  rows.sort((a, b) => (a.next_attempt_at ?? 0) - (b.next_attempt_at ?? 0) || (a.id < b.id ? -1 : 1));
  for (const row of rows) {
    const message = messageOf(row);
    const endpoint = endpointOf(row);
    if (message && endpoint) out.push({ delivery: toDelivery(row), triggerType: row.trigger_type, message, endpoint });
  }
  return out;
}
