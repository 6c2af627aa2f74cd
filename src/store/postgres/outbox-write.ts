import { DeliveryStatus } from '../../domain/model.js';
import type { Message, TriggerType } from '../../domain/model.js';
import type { ClaimRequest, ClaimedDelivery, CreateMessageResult, NewMessage } from '../store.js';
import { bind, columns, type Db, type NamedStatement, type Queryable } from './db.js';
import { LOCK_CLAIM } from './advisory-locks.js';
import { toEndpoint } from '../catalog/endpoints.js';
import { claimedInDueOrder, claimedMessage } from '../claimed-message.js';
import type { CatalogContext } from '../catalog/catalog-context.js';
import {
  eventKey,
  planBatch,
  settle,
  toTarget,
  type PlannedDelivery,
  type Target,
  type TargetRow,
} from '../outbox-plan.js';
import { CHANNEL_MESSAGES, CHANNEL_WORK } from './channels.js';
import { toMessage } from '../catalog/messages.js';
import { postgresValues } from './catalog-values.js';
import { arrangeIngested } from './ordering.js';
import type { DeliveryColumns, EndpointRow, MessageRow } from '../catalog/schema.js';

/** Text arrays go through unnest() one value per row; list values travel as JSON text and are unpacked in SQL. */
const jsonList = (v: string[] | null): string | null => (v === null ? null : JSON.stringify(v));
const TEXT_ARRAY = (col: string) =>
  `CASE WHEN ${col} IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(${col}::jsonb)) END`;

/**
 * Store.createMessages(AndClaim) on PostgreSQL: the batch in one transaction, on generic plans
 * cached per connection (its statements seek by key whatever the batch: planning each call buys nothing).
 * The only foreign key it writes, a message's application, is held by READ's KEY SHARE lock.
 */
export async function createMessages(
  db: Db,
  inputs: NewMessage[],
  claim?: ClaimRequest,
): Promise<{ results: CreateMessageResult[]; claimed: ClaimedDelivery[] }> {
  if (inputs.length === 0) return { results: [], claimed: [] };
  return db.tx(
    async (client) => {
      const { results, leased, endpoints } = await writeBatch(client, inputs, claim);
      return { results, claimed: claimedOf(leased, endpoints, inputs, db.catalog) };
    },
    { generic: true },
  );
}

/** The rows WRITE leased as the worker takes them; their messages are the batch's own, held here. */
function claimedOf(
  leased: Batch['leased'],
  endpointRows: EndpointRow[],
  inputs: NewMessage[],
  catalog: CatalogContext,
): ClaimedDelivery[] {
  const messages = new Map<string, NewMessage>(inputs.map((m) => [m.id, m]));
  const endpoints = new Map(endpointRows.map((r) => [r.id, toEndpoint(catalog, r)]));
  return claimedInDueOrder(
    leased,
    (r) => {
      const m = messages.get(r.msg_id);
      return m && claimedMessage(m, m.now);
    },
    (r) => endpoints.get(r.endpoint_id),
  );
}

/**
 * The ingest transaction's body: READ, then WRITE (and a re-read only after a lost eventId race).
 * Exported so the seq test can hold a transaction open where a real writer would commit.
 */
export async function writeMessages(client: Queryable, inputs: NewMessage[]): Promise<CreateMessageResult[]> {
  return (await writeBatch(client, inputs)).results;
}

interface Batch {
  results: CreateMessageResult[];
  /** The rows inserted leased to `claim.owner`, and their endpoints' rows. */
  leased: Array<DeliveryColumns & { trigger_type: TriggerType }>;
  endpoints: EndpointRow[];
}

/** A row of READ: an app, an endpoint or a stored message, as JSON. */
type ReadRow =
  | { kind: 'app'; row: { id: string } }
  | { kind: 'endpoint'; row: TargetRow & { app_id: string } }
  | { kind: 'message'; row: MessageRow };

/** writeMessages, with what it leased given a claim. */
async function writeBatch(client: Queryable, inputs: NewMessage[], claim?: ClaimRequest): Promise<Batch> {
  const withEventId = inputs.filter((i) => i.eventId !== null);
  const read = await client.query<ReadRow>(
    bind(READ, [[...new Set(inputs.map((i) => i.appId))].sort(), ...columns(withEventId, 'appId', 'eventId')]),
  );
  const apps = new Set<string>();
  const targets = new Map<string, Target[]>();
  const existing = new Map<string, Message>();
  for (const r of read.rows) {
    if (r.kind === 'app') apps.add(r.row.id);
    else if (r.kind === 'endpoint') {
      const list = targets.get(r.row.app_id) ?? [];
      list.push(toTarget(postgresValues, r.row));
      targets.set(r.row.app_id, list);
    } else existing.set(eventKey(r.row.app_id, r.row.event_id!), toMessage(postgresValues, r.row));
  }

  // Refused items never reach an INSERT, so no statement fails.
  const plan = planBatch(inputs, { apps, targets, existing });
  if (plan.accepted.length === 0) return { results: settle(inputs, plan, []), leased: [], endpoints: [] };
  const accepted = plan.accepted.map((a) => inputs[a.index]);
  const deliveries = plan.accepted.flatMap((a) => a.deliveries);
  const written = await write(client, accepted, deliveries, claim);
  const queued = deliveries.filter((d) => written.inserted.has(d.msgId));
  const ordered = queued.filter((d) => d.orderKey !== null);
  await arrangeIngested(client, ordered, inputs[0].now);

  // A concurrent writer committed the same eventId after READ: ON CONFLICT skipped ours, and theirs is visible now.
  const first = written.last - plan.accepted.length + 1;
  const seqs = accepted.map((m, k) => (written.inserted.has(m.id) ? first + k : null));
  const lost = accepted.filter((_, k) => seqs[k] === null);
  const raced = lost.length > 0 ? await existingByEventId(client, lost) : undefined;
  return { results: settle(inputs, plan, seqs, raced), leased: written.leased, endpoints: written.endpoints };
}

/**
 * KEY SHARE locks on the batch's apps, then their enabled `url` endpoints in ID order (as
 * deleteApplication locks them), so a concurrent delete waits for this commit; and the stored
 * messages with the batch's eventIds. LATERAL seeks, one per key: as joins, a generic plan cached
 * on empty tables scanned them whole.
 */
const READ: NamedStatement = {
  name: 'hookrelay_ingest_read',
  text: `WITH apps AS (
      SELECT a.id FROM unnest($1::text[]) AS k(id)
      CROSS JOIN LATERAL (SELECT id FROM applications WHERE id = k.id FOR KEY SHARE) a
    ), targets AS (
      SELECT t.* FROM apps a
      CROSS JOIN LATERAL (
        SELECT id, app_id, filter_types, channels, ordered FROM endpoints
        WHERE app_id = a.id AND kind = 'url' AND NOT disabled
        ORDER BY id FOR KEY SHARE
      ) t
    )
    SELECT 'app' AS kind, to_json(a) AS row FROM apps a
    UNION ALL
    SELECT 'endpoint', to_json(t) FROM targets t
    UNION ALL
    SELECT 'message', to_json(m) FROM unnest($2::text[], $3::text[]) AS k(app_id, event_id)
      CROSS JOIN LATERAL (SELECT * FROM messages WHERE app_id = k.app_id AND event_id = k.event_id OFFSET 0) m`,
};

/**
 * The batch's writes in one statement. `seqs` takes the seq lock (migrations/0001-initial.ts) to
 * COMMIT, so seqs become visible in order across processes; a lost eventId race leaves a gap.
 * With a claim ($16–$20) the rows `chosen` go in leased, by outbox-claim.ts's rules: the claim
 * lock is only tried, and the lease counts are read under it by `hookrelay_ingest_room`, whose
 * snapshot is newer than this statement's.
 */
const WRITE: NamedStatement = {
  name: 'hookrelay_ingest_write',
  text: `WITH seqs AS (
      SELECT hookrelay_reserve_seqs(cardinality($1::text[])) AS last
    ), inserted AS (
      INSERT INTO messages (id, app_id, seq, event_type, event_id, channels, tags, payload, created_at, deliver_at, payload_expires_at,
        trace_context)
      SELECT u.id, u.app_id, seqs.last - cardinality($1::text[]) + u.ord, u.event_type, u.event_id,
             ${TEXT_ARRAY('u.channels')}, ${TEXT_ARRAY('u.tags')}, u.payload, u.created_at, u.deliver_at, u.payload_expires_at,
             u.trace_context
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                    $8::bigint[], $9::bigint[], $10::bigint[], $21::text[]) WITH ORDINALITY
          AS u(id, app_id, event_type, event_id, channels, tags, payload, created_at, deliver_at, payload_expires_at, trace_context, ord)
        CROSS JOIN seqs
      ON CONFLICT DO NOTHING
      RETURNING id, app_id
    ), queued_in AS (
      SELECT q.id, m.app_id, q.msg_id, q.endpoint_id, q.due, q.now, q.ord
        FROM unnest($11::text[], $12::text[], $13::text[], $14::bigint[], $15::bigint[]) WITH ORDINALITY AS q(id, msg_id, endpoint_id, due, now, ord)
        JOIN inserted m ON m.id = q.msg_id
    ), claim_lock AS (
      SELECT CASE WHEN $16::text IS NULL THEN false ELSE pg_try_advisory_xact_lock(${LOCK_CLAIM}) END AS ok
    ), room AS (
      SELECT r.ep AS endpoint_id, r.room AS n
      FROM hookrelay_ingest_room(ARRAY(SELECT DISTINCT endpoint_id FROM queued_in WHERE due <= $17), $17, $20) r
      WHERE (SELECT ok FROM claim_lock)
    ), chosen AS (
      SELECT q.id FROM (
        SELECT id, endpoint_id, ord, row_number() OVER (PARTITION BY endpoint_id ORDER BY ord) AS k FROM queued_in WHERE due <= $17
      ) q JOIN room r ON r.endpoint_id = q.endpoint_id AND q.k <= r.n
      ORDER BY q.ord LIMIT $19
    ), queued AS (
      INSERT INTO deliveries (id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, trigger_type, created_at, updated_at,
        lease_owner, lease_expires_at)
      SELECT q.id, q.app_id, q.msg_id, q.endpoint_id, CASE WHEN c.id IS NULL THEN ${DeliveryStatus.Pending} ELSE ${DeliveryStatus.Sending} END, 0, q.due, 0, q.now,
             CASE WHEN c.id IS NULL THEN q.now ELSE $17 END, CASE WHEN c.id IS NULL THEN NULL ELSE $16 END, CASE WHEN c.id IS NULL THEN NULL ELSE $18::bigint END
        FROM queued_in q LEFT JOIN chosen c ON c.id = q.id
      RETURNING id, app_id, msg_id, endpoint_id, status, attempt_count, next_attempt_at, last_attempt_at, trigger_type, created_at,
        updated_at
    ), notified AS (
      SELECT pg_notify('${CHANNEL_MESSAGES}', app_id) FROM (SELECT DISTINCT app_id FROM inserted) a
      UNION ALL
      SELECT pg_notify('${CHANNEL_WORK}', app_id) FROM (SELECT DISTINCT app_id FROM queued WHERE status = ${DeliveryStatus.Pending}) w
    )
    SELECT seqs.last, ARRAY(SELECT id FROM inserted) AS inserted, (SELECT count(*) FROM notified) AS notified,
      (SELECT coalesce(json_agg(q), '[]') FROM queued q WHERE q.status = ${DeliveryStatus.Sending}) AS leased,
      (SELECT coalesce(json_agg(e), '[]') FROM endpoints e WHERE e.id IN (SELECT endpoint_id FROM queued WHERE status = ${DeliveryStatus.Sending}))
        AS endpoints
    FROM seqs`,
};

/** Runs WRITE: the last seq reserved (the batch has `last - n + 1 … last`), the IDs inserted, and the rows leased. */
async function write(
  client: Queryable,
  messages: NewMessage[],
  deliveries: PlannedDelivery[],
  claim?: ClaimRequest,
): Promise<{ last: number; inserted: Set<string> } & Pick<Batch, 'leased' | 'endpoints'>> {
  const { rows } = await client.query<
    { last: number | string; inserted: string[] } & Pick<Batch, 'leased' | 'endpoints'>
  >(
    bind(WRITE, [
      ...columns(messages, 'id', 'appId', 'eventType', 'eventId'),
      messages.map((m) => jsonList(m.channels)),
      messages.map((m) => jsonList(m.tags)),
      ...columns(messages, 'payload', 'now', 'deliverAt', 'payloadExpiresAt'),
      ...columns(deliveries, 'id', 'msgId', 'endpointId', 'dueAt', 'now'),
      ...claimParams(claim),
      messages.map((m) => m.traceContext ?? null),
    ]),
  );
  // Number(): a plain pg client (the seq test's) returns bigint as text.
  const r = rows[0];
  return { last: Number(r.last), inserted: new Set(r.inserted), leased: r.leased, endpoints: r.endpoints };
}

/** Stored messages with the (appId, eventId) of the given inputs, keyed `appId \0 eventId`. */
async function existingByEventId(client: Queryable, inputs: NewMessage[]): Promise<Map<string, Message>> {
  const found = new Map<string, Message>();
  if (inputs.length === 0) return found;
  const { rows } = await client.query<MessageRow>(
    `SELECT m.* FROM messages m JOIN unnest($1::text[], $2::text[]) AS k(app_id, event_id)
       ON m.app_id = k.app_id AND m.event_id = k.event_id`,
    [inputs.map((i) => i.appId), inputs.map((i) => i.eventId)],
  );
  for (const r of rows) found.set(eventKey(r.app_id, r.event_id!), toMessage(postgresValues, r));
  return found;
}

/** $16–$20 of the WRITE statement: owner (null: claim nothing), now, lease expiry, limit, per-endpoint limit. */
function claimParams(claim: ClaimRequest | undefined): unknown[] {
  if (!claim || claim.limit <= 0) return [null, 0, 0, 0, 0];
  return [claim.owner, claim.now, claim.now + claim.leaseMs, claim.limit, claim.perEndpointLimit];
}
