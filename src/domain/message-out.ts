import type { Message } from './model.js';
import { iso } from './iso-time.js';

/**
 * A message in Svix's wire shape (MessageOut, and PollingEndpointMessageOut, its twin), as the API,
 * the pollers and the stream send it. Times are ISO strings; an expunged payload reads as {}.
 */

/** The fields before `payload`, and after it. */
const head = (msg: Message) => ({
  id: msg.id,
  eventType: msg.eventType,
  eventId: msg.eventId,
  channels: msg.channels,
  tags: msg.tags,
});
const tail = (msg: Message) => ({
  timestamp: iso(msg.createdAt),
  deliverAt: msg.deliverAt > msg.createdAt ? iso(msg.deliverAt) : null,
});

export function messageOut(msg: Message, withContent = true) {
  const payload = withContent && msg.payload !== null ? (JSON.parse(msg.payload) as Record<string, unknown>) : {};
  return { ...head(msg), payload, ...tail(msg) };
}

/**
 * `JSON.stringify(messageOut(msg, withContent))`, byte for byte, with the stored payload spliced in
 * as it is: it is JSON text from `JSON.stringify` already, so parsing it to write it again gives the
 * same text back.
 */
export function messageOutJson(msg: Message, withContent = true): string {
  const payload = withContent && msg.payload !== null ? msg.payload : '{}';
  return `${JSON.stringify(head(msg)).slice(0, -1)},"payload":${payload},${JSON.stringify(tail(msg)).slice(1)}`;
}

/** `JSON.stringify({ data, ...rest })` for `data` items already JSON text; `rest` has at least one field. */
export function listJson(itemsJson: string[], rest: Record<string, unknown>): string {
  return `{"data":[${itemsJson.join(',')}],${JSON.stringify(rest).slice(1)}`;
}
