import type { Endpoint } from '../../domain/model.js';
import type { EndpointUpdate, NewEndpoint, Page, PageQuery } from '../store.js';
import type { Db } from './db.js';
import { paginate } from './pagination.js';
import { toEndpoint } from './row-mappers.js';
import { SecretBox } from '../../domain/secret-box.js';
import { SecretCodec, type StoredSecret } from '../secret-codec.js';
import { buildSet, jsonb, same, type ColumnMap } from './update-builder.js';

const COLUMNS: ColumnMap<EndpointUpdate> = {
  uid: ['uid', same],
  url: ['url', same],
  description: ['description', same],
  version: ['version', same],
  filterTypes: ['filter_types', same],
  channels: ['channels', same],
  rateLimit: ['rate_limit', same],
  disabled: ['disabled', same],
  metadata: ['metadata', jsonb],
  headers: ['headers', jsonb],
  format: ['format', same],
  cloudEventsHandshake: ['cloud_events_handshake', same],
  svixHeaders: ['svix_headers', same],
  failingSince: ['failing_since', same],
};

export async function createEndpoint(db: Db, e: NewEndpoint): Promise<Endpoint> {
  const { rows } = await db.query(
    `INSERT INTO endpoints (id, app_id, uid, kind, url, description, version, filter_types, channels, rate_limit, disabled,
       metadata, headers, format, cloud_events_handshake, svix_headers, secrets, failing_since, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, NULL, $18, $18) RETURNING *`,
    [
      e.id,
      e.appId,
      e.uid,
      e.kind,
      e.url,
      e.description,
      e.version,
      e.filterTypes,
      e.channels,
      e.rateLimit,
      e.disabled,
      JSON.stringify(e.metadata),
      JSON.stringify(e.headers),
      e.format,
      e.cloudEventsHandshake,
      e.svixHeaders,
      JSON.stringify(db.secrets.seal([{ key: e.secret, expiresAt: null }])),
      e.now,
    ],
  );
  return toEndpoint(rows[0], db.secrets);
}

/** By ID first, then by uid, within one app. */
export async function getEndpoint(db: Db, appId: string, idOrUid: string): Promise<Endpoint | null> {
  const { rows } = await db.query(
    'SELECT * FROM endpoints WHERE app_id = $1 AND (id = $2 OR uid = $2) ORDER BY (id = $2) DESC LIMIT 1',
    [appId, idOrUid],
  );
  return rows[0] ? toEndpoint(rows[0], db.secrets) : null;
}

/** Endpoints by ID (any app), for joining onto deliveries; each opened once. */
export async function endpointsByIds(db: Db, ids: string[]): Promise<Map<string, Endpoint>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query('SELECT * FROM endpoints WHERE id = ANY($1::text[])', [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id as string, toEndpoint(r, db.secrets)]));
}

export function listEndpoints(db: Db, appId: string, page: PageQuery): Promise<Page<Endpoint>> {
  return paginate(
    db,
    {
      select: '*',
      from: 'endpoints',
      where: ['app_id = $1'],
      params: [appId],
      key: 'id',
      keyOf: (r) => r.id as string,
    },
    page,
    (r) => toEndpoint(r, db.secrets),
  );
}

export async function updateEndpoint(
  db: Db,
  appId: string,
  id: string,
  update: EndpointUpdate,
  now: number,
): Promise<Endpoint | null> {
  const params: unknown[] = [];
  const sets = buildSet(COLUMNS, update, params);
  params.push(now, appId, id);
  const n = params.length;
  const { rows } = await db.query(
    `UPDATE endpoints SET ${[...sets, `updated_at = $${n - 2}`].join(', ')} WHERE app_id = $${n - 1} AND id = $${n} RETURNING *`,
    params,
  );
  return rows[0] ? toEndpoint(rows[0], db.secrets) : null;
}

/**
 * Deletes the endpoint, its deliveries (their attempts cascade) and its consumer offsets.
 * Deliveries carry no foreign key (see the migration), so they are deleted here, after the
 * endpoint row is locked FOR UPDATE: an ingest or resend holding it FOR KEY SHARE finishes
 * first, and any that starts later no longer finds the endpoint.
 */
export function deleteEndpoint(db: Db, appId: string, id: string): Promise<boolean> {
  return db.tx(async (client) => {
    const { rows } = await client.query('SELECT id FROM endpoints WHERE app_id = $1 AND id = $2 FOR UPDATE', [
      appId,
      id,
    ]);
    if (!rows[0]) return false;
    await client.query('DELETE FROM deliveries WHERE endpoint_id = $1', [id]);
    await client.query('DELETE FROM endpoints WHERE id = $1', [id]);
    return true;
  });
}

/** Every endpoint's secrets re-sealed under `newKey`, with `settings`, in one transaction (rows locked). */
export function reencryptSecrets(db: Db, newKey: Buffer, settings: Record<string, string>): Promise<number> {
  const next = new SecretCodec(new SecretBox(newKey));
  return db.tx(async (client) => {
    const { rows } = await client.query('SELECT id, secrets FROM endpoints ORDER BY id FOR UPDATE');
    for (const r of rows) {
      const resealed = next.seal(db.secrets.open(r.secrets as StoredSecret[]));
      await client.query('UPDATE endpoints SET secrets = $1 WHERE id = $2', [JSON.stringify(resealed), r.id]);
    }
    for (const [key, value] of Object.entries(settings)) {
      await client.query(
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [key, value],
      );
    }
    return rows.length;
  });
}

/**
 * The new key becomes current; the previous current key signs on until now + gracePeriodMs.
 * Older keys whose grace period is over at `now` are dropped here (readers do not filter).
 * The row is locked for the read-modify-write so two concurrent rotations cannot lose a key.
 */
export function rotateEndpointSecret(
  db: Db,
  appId: string,
  id: string,
  newKey: string,
  gracePeriodMs: number,
  now: number,
): Promise<Endpoint | null> {
  return db.tx(async (client) => {
    const { rows } = await client.query('SELECT secrets FROM endpoints WHERE app_id = $1 AND id = $2 FOR UPDATE', [
      appId,
      id,
    ]);
    if (!rows[0]) return null;
    const kept = (rows[0].secrets as StoredSecret[])
      .map((s) => (s.expiresAt === null ? { key: s.key, expiresAt: now + gracePeriodMs } : s))
      .filter((s) => (s.expiresAt as number) > now);
    const next: StoredSecret[] = [{ key: db.secrets.sealKey(newKey), expiresAt: null }, ...kept];
    const updated = await client.query(
      'UPDATE endpoints SET secrets = $1, updated_at = $2 WHERE app_id = $3 AND id = $4 RETURNING *',
      [JSON.stringify(next), now, appId, id],
    );
    return toEndpoint(updated.rows[0], db.secrets);
  });
}
