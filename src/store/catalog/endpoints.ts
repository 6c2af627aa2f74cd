import { sql } from 'kysely';
import { DeliveryStatus, type DeliveryFormat, type Endpoint, type Metadata } from '../../domain/model.js';
import { SecretBox } from '../../domain/secret-box.js';
import { WAITING_DUE } from '../delivery-types.js';
import { SecretCodec, type StoredSecret } from '../secret-codec.js';
import type { EndpointUpdate, NewEndpoint, Page, PageQuery } from '../store.js';
import { ifSet, type CatalogContext } from './catalog-context.js';
import { paginate } from './paginate.js';
import { rowsByIds } from './rows-by-ids.js';
import type { EndpointRow } from './schema.js';
import { all, changed, first, type Steps } from './steps.js';
import { putSetting } from './settings.js';
import type { AppId, EndpointId } from '../../ids.js';

/** Endpoints of an app, with their sealed secrets. */

export function toEndpoint(c: CatalogContext, r: EndpointRow): Endpoint {
  const v = c.values;
  return {
    id: r.id as EndpointId,
    appId: r.app_id as AppId,
    uid: r.uid,
    kind: r.kind,
    url: r.url,
    description: r.description,
    version: r.version,
    filterTypes: r.filter_types === null ? null : v.readList(r.filter_types),
    channels: r.channels === null ? null : v.readList(r.channels),
    rateLimit: r.rate_limit,
    disabled: v.readBool(r.disabled),
    metadata: v.readJson<Metadata>(r.metadata),
    headers: v.readJson<Record<string, string>>(r.headers),
    format: r.format as DeliveryFormat,
    cloudEventsHandshake: v.readBool(r.cloud_events_handshake),
    svixHeaders: r.svix_headers === null ? null : v.readBool(r.svix_headers),
    ordered: v.readBool(r.ordered),
    secrets: c.secrets.open(v.readJson<StoredSecret[]>(r.secrets)),
    failingSince: r.failing_since,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function* createEndpoint(c: CatalogContext, e: NewEndpoint): Steps<Endpoint> {
  const v = c.values;
  const row = yield* first(
    c.qb
      .insertInto('endpoints')
      .values({
        id: e.id,
        app_id: e.appId,
        uid: e.uid,
        kind: e.kind,
        url: e.url,
        description: e.description,
        version: e.version,
        filter_types: e.filterTypes === null ? null : v.list(e.filterTypes),
        channels: e.channels === null ? null : v.list(e.channels),
        rate_limit: e.rateLimit,
        disabled: v.bool(e.disabled),
        metadata: v.json(e.metadata),
        headers: v.json(e.headers),
        format: e.format,
        cloud_events_handshake: v.bool(e.cloudEventsHandshake),
        svix_headers: e.svixHeaders === null ? null : v.bool(e.svixHeaders),
        ordered: v.bool(e.ordered ?? false),
        secrets: v.json(c.secrets.seal([{ key: e.secret, expiresAt: null }])),
        failing_since: null,
        created_at: e.now,
        updated_at: e.now,
      })
      .returningAll(),
  );
  return toEndpoint(c, row!);
}

/** Endpoints by ID (any app), for joining onto deliveries: one statement whatever the count. */
export function* endpointsByIds(c: CatalogContext, ids: string[]): Steps<Map<string, Endpoint>> {
  const rows = yield* rowsByIds(c, 'endpoints', ids);
  return new Map(rows.map((r) => [r.id, toEndpoint(c, r)]));
}

/** By ID first, then by uid, within one app. */
export function* getEndpoint(c: CatalogContext, appId: AppId, idOrUid: string): Steps<Endpoint | null> {
  const byId = yield* first(
    c.qb.selectFrom('endpoints').selectAll().where('app_id', '=', appId).where('id', '=', idOrUid),
  );
  const row =
    byId ??
    (yield* first(c.qb.selectFrom('endpoints').selectAll().where('app_id', '=', appId).where('uid', '=', idOrUid)));
  return row ? toEndpoint(c, row) : null;
}

export function listEndpoints(c: CatalogContext, appId: AppId, page: PageQuery): Steps<Page<Endpoint>> {
  const q = c.qb.selectFrom('endpoints').selectAll().where('app_id', '=', appId);
  return paginate(q, page, { key: 'id', keyOf: (r) => r.id, map: (r) => toEndpoint(c, r) });
}

export function* updateEndpoint(
  c: CatalogContext,
  appId: AppId,
  id: string,
  u: EndpointUpdate,
  now: number,
): Steps<Endpoint | null> {
  const v = c.values;
  const list = (l: string[] | null) => (l === null ? null : v.list(l));
  const row = yield* first(
    c.qb
      .updateTable('endpoints')
      .set({
        uid: u.uid,
        url: u.url,
        description: u.description,
        version: u.version,
        filter_types: ifSet(u.filterTypes, list),
        channels: ifSet(u.channels, list),
        rate_limit: u.rateLimit,
        disabled: ifSet(u.disabled, v.bool),
        metadata: ifSet(u.metadata, v.json),
        headers: ifSet(u.headers, v.json),
        format: u.format,
        cloud_events_handshake: ifSet(u.cloudEventsHandshake, v.bool),
        svix_headers: ifSet(u.svixHeaders, (s) => (s === null ? null : v.bool(s))),
        ordered: ifSet(u.ordered, v.bool),
        failing_since: u.failingSince,
        updated_at: now,
      })
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .returningAll(),
  );
  if (row && u.ordered === false) yield* releaseOrder(c, id, now);
  return row ? toEndpoint(c, row) : null;
}

/** Ordering turned off: the rows waiting for their key's head are due now, and no row keeps a key. */
function* releaseOrder(c: CatalogContext, endpointId: string, now: number): Steps<void> {
  yield* changed(
    c.qb
      .updateTable('deliveries')
      .set({ next_attempt_at: now, updated_at: now })
      .where('endpoint_id', '=', endpointId)
      .where('order_key', 'is not', null)
      .where('status', '=', sql.lit(DeliveryStatus.Pending))
      .where('next_attempt_at', '=', WAITING_DUE),
  );
  yield* changed(
    c.qb
      .updateTable('deliveries')
      .set({ order_key: null, order_seq: null })
      .where('endpoint_id', '=', endpointId)
      .where('order_key', 'is not', null),
  );
}

/** Every endpoint's secrets re-sealed under `newKey`, with `settings`; run in one transaction (rows locked). */
export function* reencryptSecrets(c: CatalogContext, newKey: Buffer, settings: Record<string, string>): Steps<number> {
  const next = new SecretCodec(new SecretBox(Buffer.from(newKey)));
  const rows = yield* all(
    c.qb
      .selectFrom('endpoints')
      .select(['id', 'secrets'])
      .orderBy('id')
      .$if(c.rowLocks, (q) => q.forUpdate()),
  );
  for (const r of rows) {
    const resealed = next.seal(c.secrets.open(c.values.readJson<StoredSecret[]>(r.secrets)));
    yield* changed(
      c.qb
        .updateTable('endpoints')
        .set({ secrets: c.values.json(resealed) })
        .where('id', '=', r.id),
    );
  }
  for (const [key, value] of Object.entries(settings)) yield* putSetting(c, key, value);
  return rows.length;
}

/**
 * The new key becomes current; the previous current key signs on until now + gracePeriodMs.
 * Older keys whose grace period is over at `now` are dropped here (readers do not filter).
 * Run in one transaction, the row locked, so two concurrent rotations cannot lose a key.
 */
export function* rotateEndpointSecret(
  c: CatalogContext,
  appId: AppId,
  id: string,
  newKey: string,
  gracePeriodMs: number,
  now: number,
): Steps<Endpoint | null> {
  const row = yield* first(
    c.qb
      .selectFrom('endpoints')
      .select('secrets')
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .$if(c.rowLocks, (q) => q.forUpdate()),
  );
  if (!row) return null;
  const kept = c.values
    .readJson<StoredSecret[]>(row.secrets)
    .map((s) => (s.expiresAt === null ? { key: s.key, expiresAt: now + gracePeriodMs } : s))
    .filter((s) => s.expiresAt !== null && s.expiresAt > now);
  const next: StoredSecret[] = [{ key: c.secrets.sealKey(newKey), expiresAt: null }, ...kept];
  const updated = yield* first(
    c.qb
      .updateTable('endpoints')
      .set({ secrets: c.values.json(next), updated_at: now })
      .where('app_id', '=', appId)
      .where('id', '=', id)
      .returningAll(),
  );
  return toEndpoint(c, updated!);
}

/**
 * Deletes the endpoint, its deliveries and attempts, and its consumer offsets. Once the endpoint
 * row is locked FOR UPDATE, an ingest or resend holding it FOR KEY SHARE has finished and any that
 * starts later no longer finds it, so no delivery row of it is left behind (they carry no foreign
 * key on PostgreSQL). Run in one transaction.
 */
export function* deleteEndpoint(c: CatalogContext, appId: AppId, id: string): Steps<boolean> {
  const endpoint = c.qb.selectFrom('endpoints').select('id').where('app_id', '=', appId).where('id', '=', id);
  if (!(yield* first(endpoint.$if(c.rowLocks, (q) => q.forUpdate())))) return false;
  yield* deleteDeliveriesOf(c, [id]);
  yield* changed(c.qb.deleteFrom('endpoints').where('id', '=', id));
  return true;
}

/**
 * The delivery rows of endpoints whose rows the caller locked FOR UPDATE, then their attempts
 * (on PostgreSQL no key ties an attempt to anything). In that order: the first DELETE waits for an
 * outcome commit holding any of the rows, and the second, a statement of its own, sees that
 * commit's attempts; a later outcome commit finds no row to lock and writes none.
 */
export function* deleteDeliveriesOf(c: CatalogContext, endpointIds: string[]): Steps<void> {
  if (endpointIds.length === 0) return;
  yield* changed(c.qb.deleteFrom('deliveries').where(c.isIn('endpoint_id', endpointIds)));
  yield* changed(c.qb.deleteFrom('attempts').where(c.isIn('endpoint_id', endpointIds)));
}
