import type { Endpoint } from './model.js';

/**
 * Whether a message goes to an endpoint: the endpoint takes the event type (no filter = all
 * types), and, when the endpoint lists channels, the message carries at least one of them.
 * Used by both stores when they write delivery rows, and by the pull API.
 */
export function endpointWantsMessage(
  endpoint: Pick<Endpoint, 'filterTypes' | 'channels'>,
  message: { eventType: string; channels: string[] | null },
): boolean {
  if (endpoint.filterTypes && endpoint.filterTypes.length > 0 && !endpoint.filterTypes.includes(message.eventType))
    return false;
  if (endpoint.channels && endpoint.channels.length > 0) {
    if (!message.channels || !message.channels.some((c) => endpoint.channels!.includes(c))) return false;
  }
  return true;
}
