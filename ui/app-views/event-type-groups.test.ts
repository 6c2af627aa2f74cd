import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventTypePrefix, groupEventTypes, UNGROUPED } from './event-type-groups.js';

test('the prefix is the name up to its first dot; a name without one (or starting with one) is ungrouped', () => {
  assert.equal(eventTypePrefix('invoice.paid'), 'invoice');
  assert.equal(eventTypePrefix('message.attempt.failing'), 'message');
  assert.equal(eventTypePrefix('ping'), UNGROUPED);
  assert.equal(eventTypePrefix('.hidden'), UNGROUPED);
  assert.equal(UNGROUPED, 'Other');
});

test('groups in prefix order with "Other" last, each group in name order', () => {
  const types = [
    'user.deleted',
    'ping',
    'invoice.paid',
    'user.created',
    'invoice.created',
    'zeta',
    'audit.log.written',
  ].map((name) => ({ name }));
  assert.deepEqual(
    groupEventTypes(types).map((group) => [group.prefix, group.types.map((t) => t.name)]),
    [
      ['audit', ['audit.log.written']],
      ['invoice', ['invoice.created', 'invoice.paid']],
      ['user', ['user.created', 'user.deleted']],
      ['Other', ['ping', 'zeta']],
    ],
  );
});

test('keeps the objects it is given and leaves the input order alone', () => {
  const paid = { name: 'invoice.paid', description: 'Paid' };
  const created = { name: 'invoice.created', description: 'Created' };
  const input = [paid, created];
  const [group] = groupEventTypes(input);
  assert.equal(group.types[0], created);
  assert.equal(group.types[1], paid);
  assert.deepEqual(input, [paid, created]);
  assert.deepEqual(groupEventTypes([]), []);
});
