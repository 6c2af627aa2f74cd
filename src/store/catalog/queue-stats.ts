import { sql } from 'kysely';
import { DeliveryStatus } from '../../domain/model.js';
import type { QueueStats } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import { first, type Steps } from './steps.js';

/**
 * The queue's gauges, each over a partial index (pending by due time, sending by lease expiry).
 * Statuses are SQL literals, not parameters: SQLite uses a partial index only when the query
 * names the index's own constant.
 */
const PENDING = sql.lit(DeliveryStatus.Pending);
const SENDING = sql.lit(DeliveryStatus.Sending);
const DEPTH = sql<number>`(SELECT count(*) FROM deliveries WHERE status = ${PENDING}) + (SELECT count(*) FROM deliveries WHERE status = ${SENDING})`;

/** Depth, oldest due pending row, expired leases. */
export function* queueStats(c: CatalogContext, now: number): Steps<QueueStats> {
  const r = yield* first(
    c.qb.selectNoFrom([
      DEPTH.as('depth'),
      sql<
        number | null
      >`(SELECT min(next_attempt_at) FROM deliveries WHERE status = ${PENDING} AND next_attempt_at <= ${now})`.as(
        'oldest',
      ),
      sql<number>`(SELECT count(*) FROM deliveries WHERE status = ${SENDING} AND lease_expires_at < ${now})`.as(
        'expired',
      ),
    ]),
  );
  return {
    depth: Number(r!.depth),
    oldestDueAt: r!.oldest === null ? null : Number(r!.oldest),
    expiredLeases: Number(r!.expired),
  };
}

/** Pending + sending rows (metrics). */
export function* queueDepth(c: CatalogContext): Steps<number> {
  const r = yield* first(c.qb.selectNoFrom([DEPTH.as('n')]));
  return Number(r!.n);
}
