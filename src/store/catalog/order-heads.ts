import { sql, type CompiledQuery, type SqlBool } from 'kysely';
import { DeliveryStatus } from '../../domain/model.js';
import type { EndpointId, MessageId } from '../../ids.js';
import { WAITING_DUE, type HeadAction } from '../delivery-types.js';
import type { CatalogContext } from './catalog-context.js';
import { all, changed, first, raw, type Steps } from './steps.js';

/**
 * The operator's two moves on an ordered key's head (decision 0008): skip it, or make it due
 * now. The ordering itself is each dialect's (ordering.ts); from it these take the statement that
 * locks a key (PostgreSQL's advisory lock, in the order ingest and outcomes take them) and the
 * one that makes a key's next waiting row due (`OrderedKeys`, from its outbox port). Run in one transaction.
 */

/**
 * A live row of deliveries `d`: its key's head. The predicate of the partial index
 * `deliveries_order_live`, as SQL text for the dialects' own statements (ordering.ts) too.
 */
export const liveHeadSql = (d: string): string =>
  `${d}.order_key IS NOT NULL AND (${d}.status IN (${DeliveryStatus.Fail}, ${DeliveryStatus.Sending})
  OR (${d}.status = ${DeliveryStatus.Pending} AND ${d}.next_attempt_at < ${WAITING_DUE}))`;

/** liveHeadSql for a catalog query (`d` is a table alias of ours, never input). */
export const liveHead = (d: string) => sql<SqlBool>`${sql.raw(liveHeadSql(d))}`;

/** What a dialect's ordering gives the shared operations, as compiled statements. */
export interface OrderedKeys {
  /** Locks the key until commit, before its head is read; null where the one writer already serialises. */
  lock(endpointId: EndpointId, key: string): CompiledQuery | null;
  /** Makes the key's oldest waiting row due at `now` when the key has no head (and wakes other processes). */
  promote(endpointId: EndpointId, key: string, now: number): CompiledQuery;
}

const compiled = (query: CompiledQuery) => ({ compile: () => query });

/** A move on the head of `key` at `endpointId`, at `now`. */
type HeadMove = (
  c: CatalogContext,
  keys: OrderedKeys,
  endpointId: EndpointId,
  key: string,
  now: number,
) => Steps<HeadAction>;

function* headOf(c: CatalogContext, keys: OrderedKeys, endpointId: EndpointId, key: string) {
  const lock = keys.lock(endpointId, key);
  if (lock) yield* all(compiled(lock));
  return yield* first(
    c.qb
      .selectFrom('deliveries as d')
      .select(['d.id', 'd.app_id', 'd.msg_id', 'd.status'])
      .where('d.endpoint_id', '=', endpointId)
      .where('d.order_key', '=', key)
      .where(liveHead('d'))
      .limit(1)
      .$if(c.rowLocks, (q) => q.forUpdate()),
  );
}

/** The head leaves the sequence (failed, reason `skipped`) and the key's next row is made due. */
export const skipOrderHead: HeadMove = function* (c, keys, endpointId, key, now) {
  const head = yield* headOf(c, keys, endpointId, key);
  if (!head) return { ok: false, reason: 'no_head' };
  yield* changed(
    c.qb
      .updateTable('deliveries')
      .set({
        order_key: null,
        order_seq: null,
        status: sql.lit(DeliveryStatus.Fail),
        dead_reason: 'skipped',
        next_attempt_at: null,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
      })
      .where('id', '=', head.id),
  );
  yield* all(compiled(keys.promote(endpointId, key, now)));
  return { ok: true, msgId: head.msg_id as MessageId };
};

/** The head is due now (a failed one with its schedule started over); a head being sent is left alone. */
export const retryOrderHead: HeadMove = function* (c, keys, endpointId, key, now) {
  const head = yield* headOf(c, keys, endpointId, key);
  if (!head) return { ok: false, reason: 'no_head' };
  if (head.status === DeliveryStatus.Sending) return { ok: false, reason: 'sending' };
  const failed = head.status === DeliveryStatus.Fail;
  yield* changed(
    c.qb
      .updateTable('deliveries')
      .set((eb) => ({
        status: sql.lit(DeliveryStatus.Pending),
        next_attempt_at: now,
        updated_at: now,
        attempt_count: failed ? 0 : eb.ref('attempt_count'),
        trigger_type: failed ? 1 : eb.ref('trigger_type'),
        dead_reason: null,
      }))
      .where('id', '=', head.id),
  );
  const notice = c.notice('work', head.app_id);
  if (notice) yield* all(raw(c.qb, notice));
  return { ok: true, msgId: head.msg_id as MessageId };
};
