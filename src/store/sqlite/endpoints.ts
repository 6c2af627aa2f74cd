import type { Endpoint } from '../../domain/model.js';
import type { EndpointUpdate, NewEndpoint, Page, PageQuery } from '../store.js';
import { SecretBox } from '../../domain/secret-box.js';
import { SecretCodec, type StoredSecret } from '../secret-codec.js';
import { paginate } from './pagination.js';
import { toEndpoint } from './row-mappers.js';
import { bit, json, jsonOrNull, type Row, type SqliteContext } from './sqlite-context.js';
import { buildSet, same, type ColumnMap } from './update-builder.js';

const COLUMNS: ColumnMap<EndpointUpdate> = {
  uid: ['uid', same],
  url: ['url', same],
  description: ['description', same],
  version: ['version', same],
  filterTypes: ['filter_types', jsonOrNull],
  channels: ['channels', jsonOrNull],
  rateLimit: ['rate_limit', same],
  disabled: ['disabled', (v) => bit(v === true)],
  metadata: ['metadata', json],
  headers: ['headers', json],
  format: ['format', same],
  cloudEventsHandshake: ['cloud_events_handshake', (v) => bit(v === true)],
  svixHeaders: ['svix_headers', (v) => (v === null ? null : bit(v))],
  failingSince: ['failing_since', same],
};

export function createEndpoint(ctx: SqliteContext, e: NewEndpoint): Endpoint {
  const row = ctx
    .stmt(
      `INSERT INTO endpoints (id, app_id, uid, kind, url, description, version, filter_types, channels, rate_limit, disabled,
       metadata, headers, format, cloud_events_handshake, svix_headers, secrets, failing_since, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) RETURNING *`,
    )
    .get(
      e.id,
      e.appId,
      e.uid,
      e.kind,
      e.url,
      e.description,
      e.version,
      jsonOrNull(e.filterTypes),
      jsonOrNull(e.channels),
      e.rateLimit,
      bit(e.disabled),
      json(e.metadata),
      json(e.headers),
      e.format,
      bit(e.cloudEventsHandshake),
      e.svixHeaders === null ? null : bit(e.svixHeaders),
      JSON.stringify(ctx.secrets.seal([{ key: e.secret, expiresAt: null }])),
      e.now,
      e.now,
    ) as Row;
  return toEndpoint(row, ctx.secrets);
}

export function getEndpoint(ctx: SqliteContext, appId: string, idOrUid: string): Endpoint | null {
  const row = (ctx.stmt('SELECT * FROM endpoints WHERE app_id = ? AND id = ?').get(appId, idOrUid) ??
    ctx.stmt('SELECT * FROM endpoints WHERE app_id = ? AND uid = ?').get(appId, idOrUid)) as Row | undefined;
  return row ? toEndpoint(row, ctx.secrets) : null;
}

/** Endpoints by ID (any app), for joining onto deliveries. */
export function endpointsByIds(ctx: SqliteContext, ids: string[]): Map<string, Endpoint> {
  const rows = ctx
    .stmt('SELECT * FROM endpoints WHERE id IN (SELECT value FROM json_each(?))')
    .all(json([...new Set(ids)])) as Row[];
  return new Map(rows.map((r) => [r.id as string, toEndpoint(r, ctx.secrets)]));
}

export function listEndpoints(ctx: SqliteContext, appId: string, page: PageQuery): Page<Endpoint> {
  return paginate(
    ctx,
    {
      select: '*',
      from: 'endpoints',
      where: ['app_id = ?'],
      params: [appId],
      key: 'id',
      keyOf: (r) => r.id as string,
    },
    page,
    (r) => toEndpoint(r, ctx.secrets),
  );
}

export function updateEndpoint(
  ctx: SqliteContext,
  appId: string,
  id: string,
  update: EndpointUpdate,
  now: number,
): Endpoint | null {
  const { sets, params } = buildSet(COLUMNS, update);
  const row = ctx
    .stmt(`UPDATE endpoints SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE app_id = ? AND id = ? RETURNING *`)
    .get(...params, now, appId, id) as Row | undefined;
  return row ? toEndpoint(row, ctx.secrets) : null;
}

export function deleteEndpoint(ctx: SqliteContext, appId: string, id: string): boolean {
  // Cascades to the endpoint's deliveries (and their attempts) and its consumer offsets.
  return ctx.stmt('DELETE FROM endpoints WHERE app_id = ? AND id = ?').run(appId, id).changes > 0;
}

/**
 * The new key becomes current; the previous current key signs on until now + gracePeriodMs.
 * Older keys whose grace period is over at `now` are dropped here (readers do not filter).
 */
/** Every endpoint's secrets re-sealed under `newKey`, with `settings`, in one transaction. */
export function reencryptSecrets(ctx: SqliteContext, newKey: Buffer, settings: Record<string, string>): number {
  const next = new SecretCodec(new SecretBox(Buffer.from(newKey)));
  return ctx.db.transaction(() => {
    const rows = ctx.stmt('SELECT id, secrets FROM endpoints').all() as Row[];
    const update = ctx.stmt('UPDATE endpoints SET secrets = ? WHERE id = ?');
    for (const r of rows)
      update.run(json(next.seal(ctx.secrets.open(JSON.parse(r.secrets as string) as StoredSecret[]))), r.id);
    for (const [key, value] of Object.entries(settings)) {
      ctx
        .stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(key, value);
    }
    return rows.length;
  })();
}

export function rotateEndpointSecret(
  ctx: SqliteContext,
  appId: string,
  id: string,
  newKey: string,
  gracePeriodMs: number,
  now: number,
): Endpoint | null {
  return ctx.db.transaction(() => {
    const row = ctx.stmt('SELECT secrets FROM endpoints WHERE app_id = ? AND id = ?').get(appId, id) as Row | undefined;
    if (!row) return null;
    const stored = JSON.parse(row.secrets as string) as StoredSecret[];
    const kept = stored
      .map((s) => (s.expiresAt === null ? { key: s.key, expiresAt: now + gracePeriodMs } : s))
      .filter((s) => s.expiresAt !== null && s.expiresAt > now);
    const next = [{ key: ctx.secrets.sealKey(newKey), expiresAt: null }, ...kept];
    const updated = ctx
      .stmt('UPDATE endpoints SET secrets = ?, updated_at = ? WHERE app_id = ? AND id = ? RETURNING *')
      .get(json(next), now, appId, id) as Row;
    return toEndpoint(updated, ctx.secrets);
  })();
}
