import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message, NewMessage } from '../domain/model.js';
import type { AppId, EndpointId, MessageId } from '../ids.js';
import { WAITING_DUE } from './delivery-types.js';
import { eventKey, planBatch, settle, type Target } from './outbox-plan.js';

const app = 'app_1' as AppId;
const input = (id: string, over: Partial<NewMessage> = {}): NewMessage => ({
  id: id as MessageId,
  appId: app,
  eventType: 'user.created',
  eventId: null,
  channels: null,
  tags: null,
  payload: '{}',
  now: 1000,
  deliverAt: 1000,
  payloadExpiresAt: 9000,
  ...over,
});
const target = (id: string, over: Partial<Target> = {}): Target => ({
  id: id as EndpointId,
  filterTypes: null,
  channels: null,
  ordered: false,
  ...over,
});
const facts = (targets: Target[], existing: Message[] = []) => ({
  apps: new Set([app]),
  targets: new Map([[app, targets]]),
  existing: new Map(existing.map((m) => [eventKey(m.appId, m.eventId!), m])),
});

test('each accepted message gets one row per endpoint that wants it; an ordered endpoint row waits under its key', () => {
  const inputs = [input('msg_1', { orderingKey: 'k1' }), input('msg_2', { eventType: 'user.deleted' })];
  const plan = planBatch(
    inputs,
    facts([target('ep_a'), target('ep_b', { filterTypes: ['user.created'] }), target('ep_c', { ordered: true })]),
  );
  assert.deepEqual(
    plan.accepted.map((a) => a.deliveries.map((d) => [d.endpointId, d.dueAt, d.orderKey])),
    [
      [
        ['ep_a', 1000, null],
        ['ep_b', 1000, null],
        ['ep_c', WAITING_DUE, 'k1'],
      ],
      [
        ['ep_a', 1000, null],
        ['ep_c', WAITING_DUE, ''],
      ],
    ],
  );
  const results = settle(inputs, plan, [7, 8]);
  assert.deepEqual(
    results.map((r) => (r.ok ? [r.message.seq, r.deliveryCount] : r.reason)),
    [
      [7, 3],
      [8, 2],
    ],
  );
});

test('send-example writes the one endpoint it names, whatever its filter', () => {
  const plan = planBatch(
    [input('msg_1', { onlyEndpointId: 'ep_b' })],
    facts([target('ep_a'), target('ep_b', { filterTypes: ['other'] })]),
  );
  assert.deepEqual(
    plan.accepted[0].deliveries.map((d) => d.endpointId),
    ['ep_b'],
  );
});

test('unknown apps and stored eventIds are refused before any write; an in-batch repeat points at the first', () => {
  const stored = { id: 'msg_old', appId: app, eventId: 'e1', seq: 3 } as Message;
  const inputs = [
    input('msg_1', { appId: 'app_gone' as AppId }),
    input('msg_2', { eventId: 'e1' }),
    input('msg_3', { eventId: 'e2' }),
    input('msg_4', { eventId: 'e2' }),
  ];
  const plan = planBatch(inputs, facts([target('ep_a')], [stored]));
  assert.deepEqual(
    plan.accepted.map((a) => a.index),
    [2],
  );
  const results = settle(inputs, plan, [11]);
  assert.deepEqual(results[0], { ok: false, reason: 'app_not_found' });
  assert.deepEqual(results[1], { ok: false, reason: 'duplicate_event_id', existing: stored });
  assert.ok(results[2].ok && results[2].message.seq === 11);
  assert.ok(!results[3].ok && results[3].reason === 'duplicate_event_id' && results[3].existing.id === 'msg_3');
});

test('an item whose eventId a concurrent writer stored first is a duplicate of that message, and so are its repeats', () => {
  const winner = { id: 'msg_other', appId: app, eventId: 'e1', seq: 5 } as Message;
  const inputs = [input('msg_1', { eventId: 'e1' }), input('msg_2', { eventId: 'e1' })];
  const plan = planBatch(inputs, facts([target('ep_a')]));
  const results = settle(inputs, plan, [null], new Map([[eventKey(app, 'e1'), winner]]));
  assert.deepEqual(
    results.map((r) => !r.ok && r.reason === 'duplicate_event_id' && r.existing.id),
    ['msg_other', 'msg_other'],
  );
  assert.throws(() => settle(inputs, plan, [null]), /was not inserted/);
});
