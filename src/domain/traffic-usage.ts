/**
 * Hookrelay's own traffic as usage events, so a meter can bill a customer per message or per
 * delivery like any other usage: the feed (usage/traffic-feed.ts) writes one event per message
 * accepted and one per successful attempt, with source `hookrelay`, the message or attempt ID as
 * the event ID, and the application (uid, else ID) as the subject. Producers cannot send these types.
 */

export const TRAFFIC_SOURCE = 'hookrelay';

export const TRAFFIC_FEEDS = {
  /** `data`: `{eventType, appId, channels}`; the event's time is the message's creation. */
  'hookrelay.message.accepted': 'messages',
  /** `data`: `{eventType, appId, endpointId, msgId, statusCode, trigger}`; time: the attempt's. */
  'hookrelay.delivery.succeeded': 'attempts',
} as const;

export type TrafficType = keyof typeof TRAFFIC_FEEDS;
export type TrafficFeed = (typeof TRAFFIC_FEEDS)[TrafficType];

/** Usage event types under `hookrelay.` are Hookrelay's own. */
export const isReservedUsageType = (type: string): boolean => type.startsWith('hookrelay.');

export const isTrafficType = (type: string): type is TrafficType => Object.hasOwn(TRAFFIC_FEEDS, type);

/** One run of a feed: its events are received at `now`; attempts are read if made before `attemptsBefore`. */
export interface FeedRun {
  now: number;
  attemptsBefore: number;
  limit: number;
}
