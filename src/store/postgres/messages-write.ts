import { endpointWantsMessage } from '../../domain/endpoint-filter.js';
import type { Message } from '../../domain/model.js';
import { newId } from '../../ids.js';
import type { CreateMessageResult, NewMessage } from '../store.js';
import type { Db, Queryable } from './db.js';
import { CHANNEL_MESSAGES, CHANNEL_WORK } from './notifications.js';
import { toMessage } from './row-mappers.js';

interface Target {
  id: string;
  appId: string;
  filterTypes: string[] | null;
  channels: string[] | null;
}

/** Text arrays go through unnest() one value per row; list values travel as JSON text and are unpacked in SQL. */
const jsonList = (v: string[] | null): string | null => (v === null ? null : JSON.stringify(v));
const TEXT_ARRAY = (col: string) => `CASE WHEN ${col} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${col}::jsonb)) END`;

/** Foreign-key violation: cannot happen while we hold the KEY SHARE locks; retried as a safety net. */
const FK_VIOLATION = '23503';
const MAX_TRIES = 3;

/**
 * The outbox, as a group commit: every message of the batch and one pending delivery row per
 * matching enabled `url` endpoint in ONE transaction (one commit for the whole batch).
 * A refused item (unknown app, duplicate eventId) does not affect the others.
 */
export async function createMessages(db: Db, inputs: NewMessage[]): Promise<CreateMessageResult[]> {
  if (inputs.length === 0) return [];
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.tx((client) => writeMessages(client, inputs));
    } catch (err) {
      if ((err as { code?: string }).code !== FK_VIOLATION || attempt >= MAX_TRIES) throw err;
    }
  }
}

/**
 * The body of the ingest transaction, run on a client inside BEGIN … COMMIT. Exported so the
 * seq test can hold a transaction open at the point a real writer would commit.
 */
export async function writeMessages(client: Queryable, inputs: NewMessage[]): Promise<CreateMessageResult[]> {
  const appIds = [...new Set(inputs.map((i) => i.appId))].sort();
  // KEY SHARE locks on the batch's apps and endpoints, once per batch (instead of a foreign-key
  // check per row): a concurrent delete waits for this commit, and after it no row of ours can
  // point at something deleted. Non-key updates (disable, health) do not conflict with them.
  const apps = new Set((await client.query<{ id: string }>(
    'SELECT id FROM applications WHERE id = ANY($1::text[]) ORDER BY id FOR KEY SHARE', [appIds])).rows.map((r) => r.id));
  const targets = await loadTargets(client, [...apps]);
  const existing = await existingByEventId(client, inputs.filter((i) => apps.has(i.appId) && i.eventId !== null));

  // Decide every item before writing: refused items never reach an INSERT, so no statement fails.
  const results: Array<CreateMessageResult | null> = new Array(inputs.length).fill(null);
  const accepted: number[] = [];
  const inBatch = new Map<string, number>(); // app + eventId → index of the accepted item
  inputs.forEach((input, i) => {
    if (!apps.has(input.appId)) {
      results[i] = { ok: false, reason: 'app_not_found' };
      return;
    }
    if (input.eventId !== null) {
      const key = `${input.appId}\u0000${input.eventId}`;
      const stored = existing.get(key);
      if (stored) {
        results[i] = { ok: false, reason: 'duplicate_event_id', existing: stored };
        return;
      }
      if (inBatch.has(key)) return; // resolved below, once the first item has its result
      inBatch.set(key, i);
    }
    accepted.push(i);
  });
  if (accepted.length === 0) return results as CreateMessageResult[];

  // Delivery rows first, outside the seq lock: they are the larger insert, and nobody can see
  // them (or claim them) before this transaction commits with their messages.
  const deliveries: DeliveryRow[] = [];
  const counts = new Map<number, number>();
  for (const i of accepted) {
    const input = inputs[i];
    let count = 0;
    for (const ep of targets.get(input.appId) ?? []) {
      if (input.onlyEndpointId ? ep.id !== input.onlyEndpointId : !endpointWantsMessage(ep, input)) continue; // send-example: one endpoint
      deliveries.push({ id: newId('delivery', input.now), appId: input.appId, msgId: input.id, endpointId: ep.id, dueAt: input.deliverAt, now: input.now });
      count++;
    }
    counts.set(i, count);
  }
  await insertDeliveries(client, deliveries);

  // From here to COMMIT this transaction holds the seq lock (see hookrelay_reserve_seqs in
  // migrations/0001-initial.ts): seqs become visible in seq order across all processes.
  const last = (await client.query<{ last: number }>('SELECT hookrelay_reserve_seqs($1) AS last', [accepted.length])).rows[0].last;
  const first = last - accepted.length + 1;
  const messages = new Map<number, Message>();
  accepted.forEach((i, k) => messages.set(i, messageOf(inputs[i], first + k)));
  const inserted = await insertMessages(client, [...messages.values()]);

  // A concurrent writer may have committed the same eventId after our check: ON CONFLICT
  // skipped our row (and its delivery rows go), and the committed one is visible to this next statement.
  const lost = accepted.filter((i) => !inserted.has(inputs[i].id));
  if (lost.length > 0) {
    const raced = await existingByEventId(client, lost.map((i) => inputs[i]));
    for (const i of lost) {
      const input = inputs[i];
      const stored = input.eventId === null ? undefined : raced.get(`${input.appId}\u0000${input.eventId}`);
      if (!stored) throw new Error(`message ${input.id} was not inserted and no message with its eventId exists`);
      results[i] = { ok: false, reason: 'duplicate_event_id', existing: stored };
      messages.delete(i);
    }
    await client.query('DELETE FROM deliveries WHERE msg_id = ANY($1::text[])', [lost.map((i) => inputs[i].id)]);
  }

  const notifyApps = new Set<string>();
  const workApps = new Set<string>();
  for (const [i, message] of messages) {
    const count = counts.get(i) ?? 0;
    results[i] = { ok: true, message, deliveryCount: count };
    notifyApps.add(message.appId);
    if (count > 0) workApps.add(message.appId);
  }
  // In-batch duplicates point at the item that was accepted (or refused) first.
  inputs.forEach((input, i) => {
    if (results[i] !== null) return;
    const winner = results[inBatch.get(`${input.appId}\u0000${input.eventId}`)!]!;
    results[i] = { ok: false, reason: 'duplicate_event_id', existing: winner.ok ? winner.message : (winner as { existing: Message }).existing };
  });

  // NOTIFY inside the transaction: PostgreSQL delivers it at COMMIT, to every process, or never.
  await client.query(
    `SELECT pg_notify('${CHANNEL_MESSAGES}', a) FROM unnest($1::text[]) a
     UNION ALL SELECT pg_notify('${CHANNEL_WORK}', a) FROM unnest($2::text[]) a`,
    [[...notifyApps], [...workApps]],
  );
  return results as CreateMessageResult[];
}

function messageOf(input: NewMessage, seq: number): Message {
  return {
    id: input.id, appId: input.appId, eventType: input.eventType, eventId: input.eventId, channels: input.channels,
    tags: input.tags, payload: input.payload, seq, createdAt: input.now, deliverAt: input.deliverAt, payloadExpiresAt: input.payloadExpiresAt,
  };
}

async function loadTargets(client: Queryable, appIds: string[]): Promise<Map<string, Target[]>> {
  const byApp = new Map<string, Target[]>();
  if (appIds.length === 0) return byApp;
  const { rows } = await client.query(
    `SELECT id, app_id, filter_types, channels FROM endpoints WHERE app_id = ANY($1::text[]) AND kind = 'url' AND NOT disabled
     ORDER BY id FOR KEY SHARE`,
    [appIds],
  );
  for (const r of rows) {
    const list = byApp.get(r.app_id) ?? [];
    list.push({ id: r.id, appId: r.app_id, filterTypes: r.filter_types, channels: r.channels });
    byApp.set(r.app_id, list);
  }
  return byApp;
}

/** Stored messages with the (appId, eventId) of the given inputs, keyed `appId \0 eventId`. */
async function existingByEventId(client: Queryable, inputs: NewMessage[]): Promise<Map<string, Message>> {
  const found = new Map<string, Message>();
  if (inputs.length === 0) return found;
  const { rows } = await client.query(
    `SELECT m.* FROM messages m JOIN unnest($1::text[], $2::text[]) AS k(app_id, event_id)
       ON m.app_id = k.app_id AND m.event_id = k.event_id`,
    [inputs.map((i) => i.appId), inputs.map((i) => i.eventId)],
  );
  for (const r of rows) found.set(`${r.app_id}\u0000${r.event_id}`, toMessage(r));
  return found;
}

async function insertMessages(client: Queryable, messages: Message[]): Promise<Set<string>> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO messages (id, app_id, seq, event_type, event_id, channels, tags, payload, created_at, deliver_at, payload_expires_at)
     SELECT u.id, u.app_id, u.seq, u.event_type, u.event_id, ${TEXT_ARRAY('u.channels')}, ${TEXT_ARRAY('u.tags')},
            u.payload, u.created_at, u.deliver_at, u.payload_expires_at
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::bigint[], $10::bigint[], $11::bigint[])
         AS u(id, app_id, seq, event_type, event_id, channels, tags, payload, created_at, deliver_at, payload_expires_at)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [
      messages.map((m) => m.id), messages.map((m) => m.appId), messages.map((m) => m.seq), messages.map((m) => m.eventType),
      messages.map((m) => m.eventId), messages.map((m) => jsonList(m.channels)), messages.map((m) => jsonList(m.tags)),
      messages.map((m) => m.payload), messages.map((m) => m.createdAt), messages.map((m) => m.deliverAt),
      messages.map((m) => m.payloadExpiresAt),
    ],
  );
  return new Set(rows.map((r) => r.id));
}

interface DeliveryRow {
  id: string;
  appId: string;
  msgId: string;
  endpointId: string;
  dueAt: number;
  now: number;
}

async function insertDeliveries(client: Queryable, rows: DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO deliveries (id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, trigger_type, created_at, updated_at)
     SELECT u.id, u.app_id, u.msg_id, u.endpoint_id, 1, 0, u.due, 0, u.now, u.now
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS u(id, app_id, msg_id, endpoint_id, due, now)`,
    [rows.map((r) => r.id), rows.map((r) => r.appId), rows.map((r) => r.msgId), rows.map((r) => r.endpointId), rows.map((r) => r.dueAt), rows.map((r) => r.now)],
  );
}

