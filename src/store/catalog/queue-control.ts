import { sql } from 'kysely';
import { DeliveryStatus, type Delivery } from '../../domain/model.js';
import { newId, type AppId, type EndpointId, type MessageId } from '../../ids.js';
import type { CatalogContext } from './catalog-context.js';
import { toDelivery } from './delivery-views.js';
import { all, first, raw, type Steps } from './steps.js';

/** The queue's operations other than write, claim and complete (outbox-*.ts in each dialect). */

const PENDING = sql.lit(DeliveryStatus.Pending);
const SENDING = sql.lit(DeliveryStatus.Sending);

/** Give leased rows back, due as before, without an attempt (graceful shutdown); returns how many. */
export function* releaseDeliveries(c: CatalogContext, ids: string[], owner: string): Steps<number> {
  if (ids.length === 0) return 0;
  const released = yield* all(
    c.qb
      .updateTable('deliveries')
      .set({ status: PENDING, lease_owner: null, lease_expires_at: null })
      .where(c.isIn('id', ids))
      .where('status', '=', SENDING)
      .where('lease_owner', '=', owner)
      .returning('app_id'),
  );
  const notice = released.length > 0 ? c.notice('work', released[0].app_id) : null;
  if (notice) yield* all(raw(c.qb, notice));
  return released.length;
}

/**
 * Queue (message, endpoint) again now as a manual attempt, creating the row if absent. The
 * attempt count starts over, so the retry schedule does too (as Svix does for a manual resend);
 * a lease held on the row is dropped (its holder's outcome will no longer move it). Run in one
 * transaction; the endpoint and message rows are locked FOR KEY SHARE where rows lock, as ingest
 * does, so a concurrent delete cannot leave this row behind.
 */
export function* resendDelivery(
  c: CatalogContext,
  appId: AppId,
  msgId: MessageId,
  endpointId: EndpointId,
  now: number,
): Steps<Delivery | null> {
  const ep = c.qb.selectFrom('endpoints').select('id').where('app_id', '=', appId).where('id', '=', endpointId);
  const msg = c.qb.selectFrom('messages').select('id').where('app_id', '=', appId).where('id', '=', msgId);
  if (!(yield* first(c.rowLocks ? ep.forKeyShare() : ep))) return null;
  if (!(yield* first(c.rowLocks ? msg.forKeyShare() : msg))) return null;
  const row = yield* first(
    c.qb
      .insertInto('deliveries')
      .values({
        id: newId('delivery', now),
        app_id: appId,
        msg_id: msgId,
        endpoint_id: endpointId,
        status: PENDING,
        attempt_count: 0,
        next_attempt_at: now,
        trigger_type: 1,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['msg_id', 'endpoint_id']).doUpdateSet({
          status: PENDING,
          attempt_count: 0,
          next_attempt_at: now,
          trigger_type: 1,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: now,
        }),
      )
      .returningAll(),
  );
  const notice = c.notice('work', appId);
  if (notice) yield* all(raw(c.qb, notice));
  return toDelivery(row!);
}
