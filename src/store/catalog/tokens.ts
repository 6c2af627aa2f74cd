import type { Selectable } from 'kysely';
import type { Capability } from '../../domain/capabilities.js';
import type { LoginKeyExchange, NewToken, TokenRecord } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import type { TokensTable } from './schema.js';
import { changed, first, type Steps } from './steps.js';

/** Bearer tokens, portal sessions and one-time login keys (TokenKind in token-types.ts), stored by hash. */

type RecordRow = Pick<Selectable<TokensTable>, 'id' | 'app_id' | 'expires_at' | 'kind' | 'capabilities' | 'session_id'>;
const RECORD_COLUMNS = ['id', 'app_id', 'expires_at', 'kind', 'capabilities', 'session_id'] as const;

function recordOf(c: CatalogContext, r: RecordRow): TokenRecord {
  return {
    id: r.id,
    appId: r.app_id,
    expiresAt: r.expires_at,
    kind: r.kind,
    capabilities: r.capabilities === null ? null : c.values.readJson<Capability[]>(r.capabilities),
    sessionId: r.session_id,
  };
}

export function* createToken(c: CatalogContext, t: NewToken): Steps<void> {
  yield* changed(
    c.qb.insertInto('tokens').values({
      id: t.id,
      hash: t.hash,
      app_id: t.appId,
      expires_at: t.expiresAt,
      created_at: t.now,
      kind: t.kind ?? 'api',
      capabilities: t.capabilities == null ? null : c.values.json(t.capabilities),
      session_id: t.sessionId ?? null,
      session_expires_at: t.sessionExpiresAt ?? null,
    }),
  );
}

export function* findToken(c: CatalogContext, hash: string, now: number): Steps<TokenRecord | null> {
  const row = yield* first(
    c.qb
      .selectFrom('tokens')
      .select(RECORD_COLUMNS)
      .where('hash', '=', hash)
      .where('kind', '<>', 'login_key')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])),
  );
  return row ? recordOf(c, row) : null;
}

/**
 * Marks the key used and opens its session, in one transaction. Only one exchange of a key can
 * match `used_at IS NULL`: SQLite's single writer orders them, and on PostgreSQL a second UPDATE
 * waits for the row lock and then re-checks the committed row.
 */
export function* exchangeLoginKey(
  c: CatalogContext,
  hash: string,
  session: { id: string; hash: string },
  now: number,
): Steps<LoginKeyExchange> {
  const key = yield* first(
    c.qb
      .updateTable('tokens')
      .set({ used_at: now })
      .where('hash', '=', hash)
      .where('kind', '=', 'login_key')
      .where('used_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .returning(['app_id', 'capabilities', 'session_id', 'session_expires_at']),
  );
  if (!key) {
    const seen = yield* first(
      c.qb.selectFrom('tokens').select('used_at').where('hash', '=', hash).where('kind', '=', 'login_key'),
    );
    if (!seen) return { ok: false, reason: 'unknown' };
    return { ok: false, reason: seen.used_at === null ? 'expired' : 'used' };
  }
  const row = {
    id: session.id,
    app_id: key.app_id,
    expires_at: key.session_expires_at,
    kind: 'session' as const,
    capabilities: key.capabilities,
    session_id: key.session_id,
  };
  // A stored value read back is in the driver's read form; it is written again through the codec.
  const capabilities = key.capabilities === null ? null : c.values.json(c.values.readJson(key.capabilities));
  yield* changed(c.qb.insertInto('tokens').values({ ...row, capabilities, hash: session.hash, created_at: now }));
  return { ok: true, session: recordOf(c, row) };
}

/** Ends the app's live tokens at `at` — all of them, or those of the given portal sessions. */
export function* expireAppTokens(
  c: CatalogContext,
  appId: string,
  at: number,
  sessionIds: string[] | null,
): Steps<number> {
  if (sessionIds !== null && sessionIds.length === 0) return 0;
  let q = c.qb
    .updateTable('tokens')
    .set({ expires_at: at })
    .where('app_id', '=', appId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
  if (sessionIds !== null) q = q.where('session_id', 'in', sessionIds);
  return yield* changed(q);
}

export function* expireToken(c: CatalogContext, id: string, now: number): Steps<boolean> {
  const q = c.qb
    .updateTable('tokens')
    .set({ expires_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
  return (yield* changed(q)) > 0;
}
