import type { DeliveryOutcome } from '../store.js';
import { healthFolds, rowMoves } from '../outcome-fold.js';
import type { Db, Queryable } from './db.js';

/**
 * Apply a batch of outcomes in ONE transaction with three statements, whatever the batch size
 * (unnest arrays, not a statement per row):
 * 1. every attempt is inserted — even when the lease was lost, the request did happen — as
 *    long as its delivery row still exists;
 * 2. each row moves on only while `owner` still holds its lease (success → 0; retry → 1 at
 *    `at`, count + 1; fail → 2, count + 1; defer → 1 at `at`, count unchanged); lease cleared;
 * 3. endpoint health, folded per endpoint exactly as if the outcomes were applied one by one
 *    (the SQLite adapter's per-row rule): success clears failing_since, failure starts it if
 *    unset, `disable` disables (and stamps updated_at when it was enabled).
 */
export async function completeDeliveries(db: Db, outcomes: DeliveryOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await db.tx(async (client) => {
    await insertAttempts(client, outcomes);
    await moveRows(client, outcomes);
    await updateHealth(client, outcomes);
  }, { relaxed: true });
}

async function insertAttempts(client: Queryable, outcomes: DeliveryOutcome[]): Promise<void> {
  const withAttempt = outcomes.filter((o) => o.attempt);
  if (withAttempt.length === 0) return;
  const a = withAttempt.map((o) => ({ ...o.attempt!, deliveryId: o.deliveryId }));
  await client.query(
    `INSERT INTO attempts (id, app_id, msg_id, endpoint_id, delivery_id, url, status, response_status_code, response,
       response_duration_ms, trigger_type, created_at)
     SELECT u.id, d.app_id, d.msg_id, d.endpoint_id, d.id, u.url, u.status, u.code, u.response, u.duration, u.trigger_type, u.now
       FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::integer[], $6::text[], $7::integer[], $8::smallint[], $9::bigint[])
         AS u(id, delivery_id, url, status, code, response, duration, trigger_type, now)
       JOIN deliveries d ON d.id = u.delivery_id`,
    [
      a.map((x) => x.id), a.map((x) => x.deliveryId), a.map((x) => x.url), a.map((x) => x.status), a.map((x) => x.responseStatusCode),
      a.map((x) => x.response), a.map((x) => Math.round(x.responseDurationMs)), a.map((x) => x.triggerType), a.map((x) => x.now),
    ],
  );
}

async function moveRows(client: Queryable, outcomes: DeliveryOutcome[]): Promise<void> {
  const moves = rowMoves(outcomes);
  await client.query(
    `UPDATE deliveries d SET status = u.status, next_attempt_at = u.next_at, attempt_count = d.attempt_count + u.counted,
       last_attempt_at = COALESCE(u.attempted_at, d.last_attempt_at), lease_owner = NULL, lease_expires_at = NULL, updated_at = u.now
     FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[], $5::integer[], $6::bigint[], $7::bigint[])
       AS u(id, owner, status, next_at, counted, attempted_at, now)
     WHERE d.id = u.id AND d.lease_owner = u.owner`,
    [
      moves.map((m) => m.id), moves.map((m) => m.owner), moves.map((m) => m.status), moves.map((m) => m.nextAt),
      moves.map((m) => m.counted), moves.map((m) => m.attemptedAt), moves.map((m) => m.now),
    ],
  );
}

async function updateHealth(client: Queryable, outcomes: DeliveryOutcome[]): Promise<void> {
  const hs = healthFolds(outcomes);
  if (hs.length === 0) return;
  const ids = hs.map((h) => h.endpointId);
  // Lock the endpoint rows in ID order first: two workers' batches touching the same endpoints
  // then queue instead of deadlocking. NO KEY UPDATE (what the UPDATE takes anyway) does not
  // conflict with the key-share locks that ingest's foreign-key checks take on endpoints.
  await client.query('SELECT id FROM endpoints WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE', [ids]);
  await client.query(
    `UPDATE endpoints e SET
       failing_since = CASE WHEN u.reset THEN u.fail_from ELSE COALESCE(e.failing_since, u.fail_from) END,
       disabled = e.disabled OR u.disable_at IS NOT NULL,
       updated_at = CASE WHEN u.disable_at IS NOT NULL AND NOT e.disabled THEN u.disable_at ELSE e.updated_at END
     FROM unnest($1::text[], $2::boolean[], $3::bigint[], $4::bigint[]) AS u(id, reset, fail_from, disable_at)
     WHERE e.id = u.id`,
    [ids, hs.map((h) => h.reset), hs.map((h) => h.failFrom), hs.map((h) => h.disableAt)],
  );
}
