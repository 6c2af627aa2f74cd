import type { CatalogContext } from './catalog-context.js';
import { all, changed, type Steps } from './steps.js';

/** Messages expunged per transaction, so a large backlog never holds the write lock (or row locks) for long. */
export const RETENTION_BATCH = 5_000;

/**
 * One batch of retention, run in a transaction: null out the payloads past payload_expires_at and
 * empty the response bodies of those messages' attempts (counts and statuses remain). Several
 * PostgreSQL processes may run it at once: SKIP LOCKED gives each batch to one of them.
 */
export function* expireContentBatch(
  c: CatalogContext,
  now: number,
): Steps<{ picked: number; messages: number; attempts: number }> {
  const picked = yield* all(
    c.qb
      .selectFrom('messages')
      .select('id')
      .where('payload', 'is not', null)
      .where('payload_expires_at', '<=', now)
      .orderBy('payload_expires_at')
      .limit(RETENTION_BATCH)
      .$if(c.rowLocks, (q) => q.forNoKeyUpdate().skipLocked()),
  );
  if (picked.length === 0) return { picked: 0, messages: 0, attempts: 0 };
  const ids = picked.map((r) => r.id);
  const messages = yield* changed(c.qb.updateTable('messages').set({ payload: null }).where(c.isIn('id', ids)));
  const attempts = yield* changed(
    c.qb.updateTable('attempts').set({ response: '' }).where(c.isIn('msg_id', ids)).where('response', '<>', ''),
  );
  return { picked: ids.length, messages, attempts };
}

export function* dropExpiredIdempotencyKeys(c: CatalogContext, now: number): Steps<number> {
  return yield* changed(c.qb.deleteFrom('idempotency_keys').where('expires_at', '<=', now));
}
