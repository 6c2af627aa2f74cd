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
