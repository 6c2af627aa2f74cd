import { DeliveryStatus, type TriggerType } from '../../domain/model.js';
import { TRAFFIC_SOURCE, type FeedRun, type TrafficFeed, type TrafficType } from '../../domain/traffic-usage.js';
import type { UsageEvent } from '../../domain/usage.js';
import { idFloor } from '../../ids.js';
import type { CatalogContext } from './catalog-context.js';
import { changed, first, all, type Steps } from './steps.js';
import { recordUsageEvents } from './usage.js';

/**
 * Hookrelay's own traffic as usage events (domain/traffic-usage.ts). A feed reads its log after
 * its position and writes the events and the new position in one transaction, so a crash
 * repeats nothing and skips nothing. Messages are read by `seq`, which becomes visible in order;
 * attempts by ID (time-ordered), up to the bound the caller leaves for outcomes still committing.
 */

/** Svix's MessageAttemptTriggerType for a resend by hand. */
const MANUAL: TriggerType = 1;

const START: Record<TrafficFeed, string> = { messages: '0', attempts: '' };

function* position(c: CatalogContext, feed: TrafficFeed, now: number): Steps<string> {
  yield* changed(
    c.qb
      .insertInto('usage_feeds')
      .values({ name: feed, position: START[feed], updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing()),
  );
  const row = yield* first(
    c.qb
      .selectFrom('usage_feeds')
      .select('position')
      .where('name', '=', feed)
      .$if(c.rowLocks, (q) => q.forUpdate()),
  );
  return row?.position ?? START[feed];
}

/** One row of the log as a usage event of `type`: its ID, its app as the subject (uid, else ID), its time. */
const trafficEvent = (
  type: TrafficType,
  r: { id: string; app_id: string; uid: string | null; created_at: number },
  data: Record<string, unknown>,
): UsageEvent => ({ source: TRAFFIC_SOURCE, id: r.id, type, subject: r.uid ?? r.app_id, time: r.created_at, data });

function* messageEvents(c: CatalogContext, after: string, limit: number): Steps<[UsageEvent[], string]> {
  const rows = yield* all(
    c.qb
      .selectFrom('messages as m')
      .innerJoin('applications as ap', 'ap.id', 'm.app_id')
      .select(['m.seq', 'm.id', 'm.app_id', 'ap.uid', 'm.event_type', 'm.channels', 'm.created_at'])
      .where('m.seq', '>', Number(after))
      .orderBy('m.seq')
      .limit(limit),
  );
  const events = rows.map((r) =>
    trafficEvent('hookrelay.message.accepted', r, {
      eventType: r.event_type,
      appId: r.app_id,
      channels: r.channels ? c.values.readList(r.channels) : [],
    }),
  );
  return [events, rows.length > 0 ? String(rows[rows.length - 1].seq) : after];
}

function* attemptEvents(c: CatalogContext, after: string, until: number, limit: number): Steps<[UsageEvent[], string]> {
  const bound = idFloor('attempt', until);
  if (after >= bound) return [[], after];
  const rows = yield* all(
    c.qb
      .selectFrom('attempts as a')
      .leftJoin('applications as ap', 'ap.id', 'a.app_id')
      .leftJoin('messages as m', 'm.id', 'a.msg_id')
      .select([
        'a.id',
        'a.app_id',
        'ap.uid',
        'a.endpoint_id',
        'a.msg_id',
        'm.event_type',
        'a.response_status_code',
        'a.trigger_type',
        'a.created_at',
      ])
      .where('a.id', '>', after)
      .where('a.id', '<', bound)
      .where('a.status', '=', DeliveryStatus.Success)
      .orderBy('a.id')
      .limit(limit),
  );
  const events = rows.map((r) =>
    trafficEvent('hookrelay.delivery.succeeded', r, {
      eventType: r.event_type,
      appId: r.app_id,
      endpointId: r.endpoint_id,
      msgId: r.msg_id,
      statusCode: r.response_status_code,
      trigger: r.trigger_type === MANUAL ? 'manual' : 'scheduled',
    }),
  );
  // Fewer than asked: every success below the bound has been read.
  return [events, rows.length === limit ? rows[rows.length - 1].id : bound];
}

/**
 * Feed up to `limit` rows of the log after the feed's position as usage events; answers how
 * many events were written (fewer than `limit`: caught up).
 */
export function* feedTraffic(c: CatalogContext, feed: TrafficFeed, run: FeedRun): Steps<number> {
  const after = yield* position(c, feed, run.now);
  const [events, next] =
    feed === 'messages'
      ? yield* messageEvents(c, after, run.limit)
      : yield* attemptEvents(c, after, run.attemptsBefore, run.limit);
  if (events.length > 0) yield* recordUsageEvents(c, events, run.now);
  if (next !== after)
    yield* changed(
      c.qb.updateTable('usage_feeds').set({ position: next, updated_at: run.now }).where('name', '=', feed),
    );
  return events.length;
}
