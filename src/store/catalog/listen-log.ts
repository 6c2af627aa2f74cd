import type { ListenLogEvent, ListenLogRequest } from '../listen-log.js';
import type { CatalogContext } from './catalog-context.js';
import { all, changed, first, raw, type Steps } from './steps.js';

/** A channel not posted to for this long after its creation or last post is dropped with its events. */
export const LISTEN_CHANNEL_IDLE_MS = 30 * 86_400_000;

export function* createListenChannel(c: CatalogContext, id: string, uid: string | null, now: number): Steps<boolean> {
  const n = yield* changed(
    c.qb
      .insertInto('listen_channels')
      .values({ id, uid, last_seq: 0, created_at: now, last_active_at: now })
      .onConflict((oc) => oc.column('id').doNothing()),
  );
  return n === 1;
}

export function* dropIdleListenChannels(c: CatalogContext, now: number): Steps<number> {
  return yield* changed(c.qb.deleteFrom('listen_channels').where('last_active_at', '<', now - LISTEN_CHANNEL_IDLE_MS));
}

export function getListenChannel(c: CatalogContext, id: string): Steps<{ uid: string | null } | undefined> {
  return first(c.qb.selectFrom('listen_channels').select('uid').where('id', '=', id));
}

/**
 * In a write transaction: the channel's `last_seq` is bumped first, and its row stays locked to
 * the commit, so a channel's events commit in seq order; the events beyond the newest `keep` go.
 */
export function* appendListenEvent(
  c: CatalogContext,
  channelId: string,
  r: ListenLogRequest,
  keep: number,
): Steps<number | null> {
  const channel = yield* first(
    c.qb
      .updateTable('listen_channels')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1), last_active_at: r.timestamp }))
      .where('id', '=', channelId)
      .returning('last_seq'),
  );
  if (!channel) return null;
  const seq = channel.last_seq;
  yield* changed(
    c.qb.insertInto('listen_events').values({
      channel: channelId,
      seq,
      method: r.method,
      headers: c.values.json(r.headers),
      query: c.values.json(r.query),
      body: r.body,
      received_at: r.timestamp,
    }),
  );
  yield* changed(
    c.qb
      .deleteFrom('listen_events')
      .where('channel', '=', channelId)
      .where('seq', '<=', seq - keep),
  );
  const notice = c.notice('listen', channelId);
  if (notice) yield* all(raw(c.qb, notice));
  return seq;
}

export function* listenEventsAfter(
  c: CatalogContext,
  channelId: string,
  seq: number,
  limit: number,
): Steps<ListenLogEvent[]> {
  const rows = yield* all(
    c.qb
      .selectFrom('listen_events')
      .select(['seq', 'method', 'headers', 'query', 'body', 'received_at'])
      .where('channel', '=', channelId)
      .where('seq', '>', seq)
      .orderBy('seq')
      .limit(limit),
  );
  return rows.map((e) => ({
    seq: e.seq,
    method: e.method,
    headers: c.values.readJson(e.headers),
    query: c.values.readJson(e.query),
    body: e.body,
    timestamp: e.received_at,
  }));
}
