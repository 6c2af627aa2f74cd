import { DeliveryStatus } from '../../domain/model.js';
import { WAITING_DUE, type OrderKey, type PromotionLease } from '../delivery-types.js';
import type { SqliteContext } from './sqlite-context.js';
import type { DeliveryRow } from '../catalog/schema.js';
import { CompiledQuery } from 'kysely';
import { liveHeadSql, type OrderedKeys } from '../catalog/order-heads.js';

/**
 * Ordered delivery per key: rows are written waiting (due at WAITING_DUE), and a key's lowest seq
 * is made due once the key has no live row; the single writer makes each step atomic.
 */

/**
 * For each key without a head, make its oldest waiting row due at `now`, in one UPDATE. With
 * `lease`, the first `limit` keys' rows are leased to that worker instead (each success frees the
 * slot its next row takes), except a disabled endpoint's. Answers the leased rows.
 */
export function promoteHeads(ctx: SqliteContext, keys: OrderKey[], now: number, lease?: PromotionLease): DeliveryRow[] {
  if (keys.length === 0) return [];
  const rows = ctx.stmt(PROMOTE).all(promoteParams(keys, now, lease)) as DeliveryRow[];
  return rows.filter((r) => r.status === DeliveryStatus.Sending);
}

const KEY_ENDPOINT = `json_extract(k.value, '$[0]')`;
const KEY = `json_extract(k.value, '$[1]')`;
export const PROMOTE = `UPDATE deliveries SET next_attempt_at = @now, updated_at = @now,
       status = CASE WHEN p.leases THEN ${DeliveryStatus.Sending} ELSE ${DeliveryStatus.Pending} END,
       lease_owner = CASE WHEN p.leases THEN @owner END,
       lease_expires_at = CASE WHEN p.leases THEN @expiresAt END
     FROM (SELECT (SELECT x.id FROM deliveries x
                   WHERE x.endpoint_id = ${KEY_ENDPOINT} AND x.order_key = ${KEY} AND x.order_key IS NOT NULL
                     AND x.status = ${DeliveryStatus.Pending} AND x.next_attempt_at = ${WAITING_DUE}
                   ORDER BY x.order_seq LIMIT 1) AS id,
                  k.key < @limit AND (SELECT disabled FROM endpoints e WHERE e.id = ${KEY_ENDPOINT}) = 0 AS leases
           FROM json_each(@keys) k
           WHERE NOT EXISTS (SELECT 1 FROM deliveries h
                             WHERE h.endpoint_id = ${KEY_ENDPOINT} AND h.order_key = ${KEY} AND ${liveHeadSql('h')})) p
     WHERE deliveries.id = p.id
     RETURNING *`;

const promoteParams = (keys: OrderKey[], now: number, lease?: PromotionLease) => ({
  keys: JSON.stringify(keys.map((k) => [k.endpointId, k.key])),
  now,
  owner: lease?.owner ?? null,
  expiresAt: lease?.expiresAt ?? null,
  limit: lease?.limit ?? 0,
});

/** The operator's moves on a head (catalog/order-heads.ts): one writer, so no key lock; better-sqlite3 binds one object by name. */
export const sqliteOrderedKeys: OrderedKeys = {
  lock: () => null,
  promote: (endpointId, key, now) => CompiledQuery.raw(PROMOTE, [promoteParams([{ endpointId, key }], now)]),
};

/** The ordered deliveries among `ids` that succeeded leave their keys; those keys (their next rows may go). */
export function finishHeads(ctx: SqliteContext, ids: string[]): OrderKey[] {
  if (ids.length === 0) return [];
  const list = JSON.stringify(ids);
  const done = `id IN (SELECT value FROM json_each(?)) AND status = ${DeliveryStatus.Success} AND order_key IS NOT NULL`;
  const rows = ctx.stmt(`SELECT DISTINCT endpoint_id, order_key FROM deliveries WHERE ${done}`).all(list) as Array<{
    endpoint_id: string;
    order_key: string;
  }>;
  ctx.stmt(`UPDATE deliveries SET order_key = NULL WHERE ${done}`).run(list);
  return rows.map((r) => ({ endpointId: r.endpoint_id, key: r.order_key }));
}
