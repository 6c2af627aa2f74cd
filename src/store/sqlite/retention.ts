import type { SqliteContext } from './sqlite-context.js';

/** Rows expunged per statement, so a large backlog does not hold the write lock for long. (Default: 5,000) */
const BATCH = 5_000;

/**
 * Null out payloads past payload_expires_at and empty the response bodies of those messages'
 * attempts (counts and statuses remain); drop expired idempotency keys on the way.
 */
export function expireContent(ctx: SqliteContext, now: number): { messages: number; attempts: number } {
  const pick = ctx
    .stmt(
      'SELECT id FROM messages WHERE payload IS NOT NULL AND payload_expires_at <= ? ORDER BY payload_expires_at LIMIT ?',
    )
    .pluck();
  const clearPayloads = ctx.stmt('UPDATE messages SET payload = NULL WHERE id IN (SELECT value FROM json_each(?))');
  const clearResponses = ctx.stmt(
    "UPDATE attempts SET response = '' WHERE msg_id IN (SELECT value FROM json_each(?)) AND response <> ''",
  );
  let messages = 0;
  let attempts = 0;
  for (;;) {
    const n = ctx.db.transaction(() => {
      const ids = pick.all(now, BATCH) as string[];
      if (ids.length === 0) return 0;
      const list = JSON.stringify(ids);
      messages += clearPayloads.run(list).changes;
      attempts += clearResponses.run(list).changes;
      return ids.length;
    })();
    if (n < BATCH) break;
  }
  ctx.stmt('DELETE FROM idempotency_keys WHERE expires_at <= ?').run(now);
  return { messages, attempts };
}
