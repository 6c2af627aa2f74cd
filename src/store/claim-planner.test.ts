import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planClaim } from './claim-planner.js';

test('one endpoint gets the batch up to its free slots', () => {
  const plan = planClaim([{ endpointId: 'a', dueAt: 1 }], new Map([['a', 10]]), 256, 32);
  assert.deepEqual([...plan], [['a', 22]]);
});

test('the batch is shared evenly, and an endpoint at its cap gets nothing', () => {
  const heads = [
    { endpointId: 'a', dueAt: 3 },
    { endpointId: 'b', dueAt: 1 },
    { endpointId: 'c', dueAt: 2 },
  ];
  const plan = planClaim(heads, new Map([['c', 32]]), 40, 32);
  assert.equal(plan.get('a'), 20);
  assert.equal(plan.get('b'), 20);
  assert.equal(plan.has('c'), false);
});

test('more endpoints than rows: the oldest heads are served first, one each', () => {
  const heads = Array.from({ length: 1000 }, (_, i) => ({ endpointId: `e${i}`, dueAt: 1000 - i }));
  const plan = planClaim(heads, new Map(), 256, 32);
  assert.equal(
    [...plan.values()].reduce((a, b) => a + b, 0),
    256,
  );
  assert.ok([...plan.values()].every((n) => n === 1));
  assert.ok(plan.has('e999') && !plan.has('e0'), 'oldest due first');
});

test('leftover room is handed out again until the batch or every endpoint is full', () => {
  const heads = [
    { endpointId: 'a', dueAt: 1 },
    { endpointId: 'b', dueAt: 2 },
  ];
  const plan = planClaim(heads, new Map([['a', 30]]), 100, 32);
  assert.equal(plan.get('a'), 2);
  assert.equal(plan.get('b'), 32);
});
