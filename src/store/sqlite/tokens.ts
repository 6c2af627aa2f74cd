import type { Capability } from '../../domain/capabilities.js';
import type { LoginKeyExchange, NewToken, TokenKind, TokenRecord } from '../store.js';
import { jsonOrNull, type Row, type SqliteContext } from './sqlite-context.js';

/** Bearer tokens, portal sessions and one-time login keys (TokenKind in store.ts). */

const RECORD_COLUMNS = 'id, app_id, expires_at, kind, capabilities, session_id';

function recordOf(row: Row): TokenRecord {
  return {
    id: row.id as string,
    appId: (row.app_id as string | null) ?? null,
    expiresAt: (row.expires_at as number | null) ?? null,
    kind: row.kind as TokenKind,
    capabilities: row.capabilities === null ? null : (JSON.parse(row.capabilities as string) as Capability[]),
    sessionId: (row.session_id as string | null) ?? null,
  };
}

export function createToken(ctx: SqliteContext, t: NewToken): void {
  ctx
    .stmt(
      `INSERT INTO tokens (id, hash, app_id, expires_at, created_at, kind, capabilities, session_id, session_expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      t.id,
      t.hash,
      t.appId,
      t.expiresAt,
      t.now,
      t.kind ?? 'api',
      jsonOrNull(t.capabilities),
      t.sessionId ?? null,
      t.sessionExpiresAt ?? null,
    );
}

export function findToken(ctx: SqliteContext, hash: string, now: number): TokenRecord | null {
  const row = ctx
    .stmt(
      `SELECT ${RECORD_COLUMNS} FROM tokens WHERE hash = ? AND kind <> 'login_key' AND (expires_at IS NULL OR expires_at > ?)`,
    )
    .get(hash, now) as Row | undefined;
  return row ? recordOf(row) : null;
}

/** One IMMEDIATE transaction: only one of two racing exchanges finds the key unused. */
export function exchangeLoginKey(
  ctx: SqliteContext,
  hash: string,
  session: { id: string; hash: string },
  now: number,
): LoginKeyExchange {
  return ctx.db
    .transaction((): LoginKeyExchange => {
      const key = ctx
        .stmt(
          `UPDATE tokens SET used_at = ?
       WHERE hash = ? AND kind = 'login_key' AND used_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
       RETURNING app_id, capabilities, session_id, session_expires_at`,
        )
        .get(now, hash, now) as Row | undefined;
      if (!key) {
        const seen = ctx.stmt("SELECT used_at FROM tokens WHERE hash = ? AND kind = 'login_key'").get(hash) as
          Row | undefined;
        if (!seen) return { ok: false, reason: 'unknown' };
        return { ok: false, reason: seen.used_at === null ? 'expired' : 'used' };
      }
      const row: Row = {
        id: session.id,
        app_id: key.app_id,
        expires_at: key.session_expires_at,
        kind: 'session',
        capabilities: key.capabilities,
        session_id: key.session_id,
      };
      ctx
        .stmt(
          `INSERT INTO tokens (id, hash, app_id, expires_at, created_at, kind, capabilities, session_id)
       VALUES (?, ?, ?, ?, ?, 'session', ?, ?)`,
        )
        .run(session.id, session.hash, row.app_id, row.expires_at, now, row.capabilities, row.session_id);
      return { ok: true, session: recordOf(row) };
    })
    .immediate();
}

export function expireAppTokens(ctx: SqliteContext, appId: string, at: number, sessionIds: string[] | null): number {
  const bySession = sessionIds === null ? '' : ' AND session_id IN (SELECT value FROM json_each(?))';
  const args: unknown[] = [at, appId, at];
  if (sessionIds !== null) args.push(JSON.stringify(sessionIds));
  return ctx
    .stmt(`UPDATE tokens SET expires_at = ? WHERE app_id = ? AND (expires_at IS NULL OR expires_at > ?)${bySession}`)
    .run(...args).changes;
}

export function expireToken(ctx: SqliteContext, id: string, now: number): boolean {
  return (
    ctx
      .stmt('UPDATE tokens SET expires_at = ? WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)')
      .run(now, id, now).changes > 0
  );
}
