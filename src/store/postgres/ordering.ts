import { DeliveryStatus } from '../../domain/model.js';
import { WAITING_DUE } from '../delivery-types.js';
import { LOCK_ORDER_CLASS } from './advisory-locks.js';
import { CHANNEL_WORK } from './channels.js';
import { columns, type Queryable } from './db.js';

/**
 * Ordered delivery per key: rows are written waiting (due at WAITING_DUE), and a key's lowest seq
 * is made due once the key has no live row. Ingest, an outcome and an operator's skip take the
 * keys' advisory locks before they look, so a row written waiting always meets a later look.
 */

import type { OrderKey, PromotionLease } from '../delivery-types.js';
import { LEASED_COLUMNS, LEASED_ROWS, type LeasedRow } from './outbox-claim.js';
import { CompiledQuery } from 'kysely';
import { liveHeadSql, type OrderedKeys } from '../catalog/order-heads.js';
import type { PlannedDelivery } from '../outbox-plan.js';

/**
 * After a CTE `k(endpoint_id, order_key)`: locks the keys in hash order, lists them, and brings back
 * per-call plans for the promotion that follows (ingest and outcomes force generic ones).
 */
const LOCK_AND_LIST = `SELECT set_config('plan_cache_mode', 'auto', true) AS mode,
       (SELECT count(pg_advisory_xact_lock(${LOCK_ORDER_CLASS}, h)) FROM (
          SELECT DISTINCT hashtext(endpoint_id || chr(1) || order_key) AS h FROM k ORDER BY 1) s) AS locked,
       (SELECT json_agg(json_build_array(endpoint_id, order_key)) FROM k) AS keys`;

/** `[[endpointId, key], …]` as a statement returns it (json_agg). */
export const keysOf = (keys: Array<[string, string]> | null): OrderKey[] =>
  (keys ?? []).map(([endpointId, key]) => ({ endpointId, key }));

/** Transaction-scoped locks on the keys, taken in hash order so two transactions never wait on each other in a cycle. */
export async function lockKeys(client: Queryable, keys: OrderKey[]): Promise<void> {
  if (keys.length === 0) return;
  await client.query(
    `WITH k AS (SELECT DISTINCT endpoint_id, order_key FROM unnest($1::text[], $2::text[]) AS u(endpoint_id, order_key))
     ${LOCK_AND_LIST}`,
    columns(keys, 'endpointId', 'key'),
  );
}

const MAX_BIGINT = '9223372036854775807';

/**
 * Key `k`'s first row in `deliveries_order_waiting` (without a live row, its oldest waiting): the
 * row-value bounds are a range of that index alone, whatever the statistics say.
 */
const NEXT_WAITING = `SELECT x.id FROM deliveries x
         WHERE x.order_key IS NOT NULL
           AND (x.endpoint_id, x.order_key, x.order_seq) >= (k.endpoint_id, k.order_key, 0)
           AND (x.endpoint_id, x.order_key, x.order_seq) <= (k.endpoint_id, k.order_key, ${MAX_BIGINT})
         ORDER BY x.endpoint_id, x.order_key, x.order_seq LIMIT 1`;

/**
 * `promoted`: each locked key's oldest waiting row, where the key has no head, made due at $3; or
 * leased to owner $4 until $5 for the first $6 keys (each success frees the slot its next row
 * takes), unless the endpoint is disabled.
 */
const PROMOTED = `promoted AS (
       UPDATE deliveries d SET next_attempt_at = $3, updated_at = $3,
         status = CASE WHEN e.disabled OR k.nth > $6 THEN ${DeliveryStatus.Pending} ELSE ${DeliveryStatus.Sending} END,
         lease_owner = CASE WHEN e.disabled OR k.nth > $6 THEN NULL ELSE $4 END,
         lease_expires_at = CASE WHEN e.disabled OR k.nth > $6 THEN NULL ELSE $5::bigint END
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(endpoint_id, order_key, nth)
       JOIN endpoints e ON e.id = k.endpoint_id
       CROSS JOIN LATERAL (${NEXT_WAITING}) n
       WHERE d.id = n.id AND d.next_attempt_at = ${WAITING_DUE}
         AND NOT EXISTS (SELECT 1 FROM deliveries h WHERE h.endpoint_id = k.endpoint_id AND h.order_key = k.order_key AND ${liveHeadSql('h')})
       RETURNING ${LEASED_COLUMNS}
     )`;

/** PROMOTED with nothing leased, waking the workers when a row was made due. */
const PROMOTE = `WITH ${PROMOTED}
     SELECT CASE WHEN count(*) > 0 THEN pg_notify('${CHANNEL_WORK}', min(app_id)) END AS notified FROM promoted`;

const promoteParams = (keys: OrderKey[], now: number, lease?: PromotionLease) => [
  ...columns(keys, 'endpointId', 'key'),
  now,
  lease?.owner ?? null,
  lease?.expiresAt ?? null,
  lease?.limit ?? 0,
];

/** The keys' next rows made due (PROMOTE), under locks the caller holds. */
async function promoteHeads(client: Queryable, keys: OrderKey[], now: number): Promise<void> {
  if (keys.length > 0) await client.query(PROMOTE, promoteParams(keys, now));
}

/** The operator's moves on a head (catalog/order-heads.ts): the key's advisory lock, as lockKeys takes it, and PROMOTE. */
export const postgresOrderedKeys: OrderedKeys = {
  lock: (endpointId, key) =>
    CompiledQuery.raw(`SELECT pg_advisory_xact_lock(${LOCK_ORDER_CLASS}, hashtext($1 || chr(1) || $2))`, [
      endpointId,
      key,
    ]),
  promote: (endpointId, key, now) => CompiledQuery.raw(PROMOTE, promoteParams([{ endpointId, key }], now)),
};

/** The keys an outcome commit's ordered successes left, locked, and their next rows made due. */
export async function nextHeads(client: Queryable, keys: OrderKey[], now: number): Promise<void> {
  await lockKeys(client, keys);
  await promoteHeads(client, keys, now);
}

/** nextHeads for an outcome commit that claims next: the rows are leased to its worker, and returned. */
export async function nextHeadsLeased(
  client: Queryable,
  keys: OrderKey[],
  now: number,
  lease: PromotionLease,
): Promise<LeasedRow[]> {
  if (keys.length === 0) return [];
  await lockKeys(client, keys);
  const { rows } = await client.query<LeasedRow>(
    `WITH ${PROMOTED}, leased AS (SELECT * FROM promoted) ${LEASED_ROWS}`,
    promoteParams(keys, now, lease),
  );
  const due = rows.filter((r) => r.status === DeliveryStatus.Pending);
  if (due.length > 0) await client.query(`SELECT pg_notify('${CHANNEL_WORK}', $1)`, [due[0].app_id]);
  return rows.filter((r) => r.status === DeliveryStatus.Sending);
}

/** Ingest's rows of ordered endpoints (inserted waiting): their keys and seqs, then each key's head. */
export async function arrangeIngested(client: Queryable, rows: PlannedDelivery[], now: number): Promise<void> {
  if (rows.length === 0) return;
  const written = await client.query<{ keys: Array<[string, string]> | null }>(
    `WITH w AS (
       UPDATE deliveries d SET order_key = u.k, order_seq = m.seq
       FROM unnest($1::text[], $2::text[]) AS u(id, k), messages m
       WHERE d.id = u.id AND m.id = d.msg_id
       RETURNING d.endpoint_id, d.order_key
     ), k AS (SELECT DISTINCT endpoint_id, order_key FROM w)
     ${LOCK_AND_LIST}`,
    [rows.map((r) => r.id), rows.map((r) => r.orderKey)],
  );
  await promoteHeads(client, keysOf(written.rows[0].keys), now);
}
