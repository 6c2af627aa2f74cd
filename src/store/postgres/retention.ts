import type { Db } from './db.js';

/** Messages expunged per transaction, so a large backlog never holds locks for long. (Default: 5,000) */
const BATCH = 5_000;

/**
 * Null out payloads past payload_expires_at and empty the response bodies of those messages'
 * attempts (counts and statuses remain); drop expired idempotency keys on the way. Same rule
 * as the SQLite adapter. Several processes may run it at once: SKIP LOCKED gives each batch
 * of messages to one of them.
 */
export async function expireContent(db: Db, now: number): Promise<{ messages: number; attempts: number }> {
  let messages = 0;
  let attempts = 0;
  for (;;) {
    const { rows } = await db.query<{ picked: number; messages: number; attempts: number }>(
      `WITH picked AS (
         SELECT id FROM messages WHERE payload IS NOT NULL AND payload_expires_at <= $1
         ORDER BY payload_expires_at LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED
       ), m AS (
         UPDATE messages SET payload = NULL WHERE id IN (SELECT id FROM picked) RETURNING 1
       ), a AS (
         UPDATE attempts SET response = '' WHERE msg_id IN (SELECT id FROM picked) AND response <> '' RETURNING 1
       )
       SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM m) AS messages, (SELECT count(*) FROM a) AS attempts`,
      [now, BATCH],
    );
    messages += rows[0].messages;
    attempts += rows[0].attempts;
    if (rows[0].picked < BATCH) break;
  }
  await db.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [now]);
  return { messages, attempts };
}
