import { endpointWantsMessage } from '../domain/endpoint-filter.js';
import type { CreateMessageResult, Message, NewMessage } from '../domain/model.js';
import { newId, type EndpointId, type MessageId } from '../ids.js';
import type { ValueCodec } from './catalog/catalog-context.js';
import { acceptedMessage } from './catalog/messages.js';
import type { EndpointRow } from './catalog/schema.js';
import { WAITING_DUE } from './delivery-types.js';

/**
 * Which rows a batch of new messages writes, decided in full before the first write, the same on
 * both dialects: each dialect's outbox-write.ts reads what the plan needs (`BatchFacts`), writes
 * the planned rows with its own statements, and turns the seqs it got into results (`settle`).
 */

/** An enabled `url` endpoint of an app, as far as fan-out needs it. */
export interface Target {
  id: EndpointId;
  filterTypes: string[] | null;
  channels: string[] | null;
  ordered: boolean;
}

/** The endpoint columns a Target is read from. */
export type TargetRow = Pick<EndpointRow, 'id' | 'filter_types' | 'channels' | 'ordered'>;

export const toTarget = (values: ValueCodec, r: TargetRow): Target => ({
  id: r.id as EndpointId,
  filterTypes: r.filter_types === null ? null : values.readList(r.filter_types),
  channels: r.channels === null ? null : values.readList(r.channels),
  ordered: values.readBool(r.ordered),
});

/** What the store holds that decides a batch: its apps, their targets, the stored messages with the batch's eventIds. */
export interface BatchFacts {
  apps: ReadonlySet<string>;
  targets: ReadonlyMap<string, Target[]>;
  /** Stored messages by `eventKey(appId, eventId)`. */
  existing: ReadonlyMap<string, Message>;
}

/** A delivery row a new message queues. */
export interface PlannedDelivery {
  id: string;
  msgId: MessageId;
  endpointId: EndpointId;
  /** WAITING_DUE for an ordered endpoint's row, written waiting for its key's turn (ordering.ts). */
  dueAt: number;
  now: number;
  /** The ordering key of an ordered endpoint's row ('' when the message has none); null otherwise. */
  orderKey: string | null;
}

/** An accepted item: its index in the batch and the delivery rows it queues. */
export interface AcceptedItem {
  index: number;
  deliveries: PlannedDelivery[];
}

export interface BatchPlan {
  /** Items refused before any write (unknown app, eventId already stored); null for the rest. */
  refused: Array<CreateMessageResult | null>;
  /** The items to insert, in batch order. An item whose eventId an earlier one has is neither. */
  accepted: AcceptedItem[];
}

export const eventKey = (appId: string, eventId: string): string => `${appId}\u0000${eventId}`;

export function planBatch(inputs: NewMessage[], facts: BatchFacts): BatchPlan {
  const refused: Array<CreateMessageResult | null> = new Array(inputs.length).fill(null);
  const accepted: AcceptedItem[] = [];
  const firstOfEvent = new Set<string>();
  inputs.forEach((input, index) => {
    if (!facts.apps.has(input.appId)) {
      refused[index] = { ok: false, reason: 'app_not_found' };
      return;
    }
    if (input.eventId !== null) {
      const key = eventKey(input.appId, input.eventId);
      const stored = facts.existing.get(key);
      if (stored) {
        refused[index] = { ok: false, reason: 'duplicate_event_id', existing: stored };
        return;
      }
      if (firstOfEvent.has(key)) return; // settled once the first item has its result
      firstOfEvent.add(key);
    }
    accepted.push({ index, deliveries: fanOut(input, facts.targets.get(input.appId) ?? []) });
  });
  return { refused, accepted };
}

/** One row per target that wants the message (send-example: only the endpoint it names). */
function fanOut(input: NewMessage, targets: Target[]): PlannedDelivery[] {
  const rows: PlannedDelivery[] = [];
  for (const ep of targets) {
    if (input.onlyEndpointId ? ep.id !== input.onlyEndpointId : !endpointWantsMessage(ep, input)) continue;
    rows.push({
      id: newId('delivery', input.now),
      msgId: input.id,
      endpointId: ep.id,
      dueAt: ep.ordered ? WAITING_DUE : input.deliverAt,
      now: input.now,
      orderKey: ep.ordered ? (input.orderingKey ?? '') : null,
    });
  }
  return rows;
}

/**
 * Every item's result once the accepted ones are written: `seqs[k]` is the seq of the k-th
 * accepted item, or null when a concurrent writer stored its eventId first (that message is in
 * `raced`). An item whose eventId an earlier item of the batch has points at that one's message.
 */
export function settle(
  inputs: NewMessage[],
  plan: BatchPlan,
  seqs: Array<number | null>,
  raced: ReadonlyMap<string, Message> = new Map(),
): CreateMessageResult[] {
  const results = [...plan.refused];
  plan.accepted.forEach(({ index, deliveries }, k) => {
    const input = inputs[index];
    const seq = seqs[k];
    if (seq !== null) {
      results[index] = { ok: true, message: acceptedMessage(input, seq), deliveryCount: deliveries.length };
      return;
    }
    const stored = input.eventId === null ? undefined : raced.get(eventKey(input.appId, input.eventId));
    if (!stored) throw new Error(`message ${input.id} was not inserted and no message with its eventId exists`);
    results[index] = { ok: false, reason: 'duplicate_event_id', existing: stored };
  });
  const firstOf = new Map<string, CreateMessageResult>();
  plan.accepted.forEach(({ index }) => {
    const { appId, eventId } = inputs[index];
    if (eventId !== null) firstOf.set(eventKey(appId, eventId), results[index]!);
  });
  return inputs.map((input, i) => {
    const result = results[i];
    if (result) return result;
    const winner = firstOf.get(eventKey(input.appId, input.eventId!))!;
    return { ok: false, reason: 'duplicate_event_id', existing: winner.ok ? winner.message : existingOf(winner) };
  });
}

const existingOf = (r: CreateMessageResult): Message => (r as { existing: Message }).existing;
