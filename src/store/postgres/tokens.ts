import type { Capability } from '../../domain/capabilities.js';
import type { LoginKeyExchange, NewToken, TokenKind, TokenRecord } from '../store.js';
import type { Db } from './db.js';

/** Bearer tokens, portal sessions and one-time login keys (TokenKind in store.ts). */

interface TokenRow {
  id: string;
  app_id: string | null;
  expires_at: string | number | null;
  kind: TokenKind;
  capabilities: Capability[] | null;
  session_id: string | null;
}

const RECORD_COLUMNS = 'id, app_id, expires_at, kind, capabilities, session_id';

function recordOf(r: TokenRow): TokenRecord {
  return {
    id: r.id,
    appId: r.app_id ?? null,
    expiresAt: r.expires_at === null ? null : Number(r.expires_at),
    kind: r.kind,
    capabilities: r.capabilities ?? null,
    sessionId: r.session_id ?? null,
  };
}

export async function createToken(db: Db, t: NewToken): Promise<void> {
  await db.query(
    `INSERT INTO tokens (id, hash, app_id, expires_at, created_at, kind, capabilities, session_id, session_expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      t.id,
      t.hash,
      t.appId,
      t.expiresAt,
      t.now,
      t.kind ?? 'api',
      t.capabilities == null ? null : JSON.stringify(t.capabilities),
      t.sessionId ?? null,
      t.sessionExpiresAt ?? null,
    ],
  );
}

export async function findToken(db: Db, hash: string, now: number): Promise<TokenRecord | null> {
  const { rows } = await db.query<TokenRow>(
    `SELECT ${RECORD_COLUMNS} FROM tokens WHERE hash = $1 AND kind <> 'login_key' AND (expires_at IS NULL OR expires_at > $2)`,
    [hash, now],
  );
  return rows[0] ? recordOf(rows[0]) : null;
}

/**
 * The key is marked used and the session inserted in one statement (one transaction). Of two
 * racing exchanges, the second UPDATE waits for the first's row lock, then re-checks
 * `used_at IS NULL` on the committed row and matches nothing.
 */
export async function exchangeLoginKey(
  db: Db,
  hash: string,
  session: { id: string; hash: string },
  now: number,
): Promise<LoginKeyExchange> {
  const { rows } = await db.query<TokenRow>(
    `WITH key AS (
       UPDATE tokens SET used_at = $3
       WHERE hash = $1 AND kind = 'login_key' AND used_at IS NULL AND (expires_at IS NULL OR expires_at > $3)
       RETURNING app_id, capabilities, session_id, session_expires_at
     )
     INSERT INTO tokens (id, hash, app_id, expires_at, created_at, kind, capabilities, session_id)
     SELECT $4, $2, app_id, session_expires_at, $3, 'session', capabilities, session_id FROM key
     RETURNING ${RECORD_COLUMNS}`,
    [hash, session.hash, now, session.id],
  );
  if (rows[0]) return { ok: true, session: recordOf(rows[0]) };
  const seen = await db.query<{ used_at: string | null }>(
    "SELECT used_at FROM tokens WHERE hash = $1 AND kind = 'login_key'",
    [hash],
  );
  if (!seen.rows[0]) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: seen.rows[0].used_at === null ? 'expired' : 'used' };
}

export async function expireAppTokens(db: Db, appId: string, at: number, sessionIds: string[] | null): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE tokens SET expires_at = $1
     WHERE app_id = $2 AND (expires_at IS NULL OR expires_at > $1) AND ($3::text[] IS NULL OR session_id = ANY ($3::text[]))`,
    [at, appId, sessionIds],
  );
  return rowCount ?? 0;
}

export async function expireToken(db: Db, id: string, now: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE tokens SET expires_at = $1 WHERE id = $2 AND (expires_at IS NULL OR expires_at > $1)',
    [now, id],
  );
  return (rowCount ?? 0) > 0;
}
