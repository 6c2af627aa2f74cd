import type { Message } from '../domain/model.js';

/** Svix's PollingEndpointMessageOut: what the poller, the consumer poller and the stream return per message. */
export interface PollingEndpointMessageOut {
  id: string;
  eventType: string;
  eventId: string | null;
  channels: string[] | null;
  tags: string[] | null;
  payload: unknown;
  timestamp: string;
  deliverAt: string | null;
}

export function toPollingMessageOut(m: Message): PollingEndpointMessageOut {
  return {
    id: m.id,
    eventType: m.eventType,
    eventId: m.eventId,
    channels: m.channels,
    tags: m.tags,
    // An expunged payload (retention) reads as {} — the same as Svix shows for expunged messages.
    payload: m.payload === null ? {} : JSON.parse(m.payload),
    timestamp: new Date(m.createdAt).toISOString(),
    deliverAt: m.deliverAt > m.createdAt ? new Date(m.deliverAt).toISOString() : null,
  };
}
