import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { parentContext, traceparentOf } from './trace-context.js';

const VALID = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

test('a stored traceparent names the same parent it was written from', () => {
  const parent = trace.getSpanContext(parentContext({ traceparent: VALID }));
  assert.deepEqual(
    [parent?.traceId, parent?.spanId, parent?.traceFlags, parent?.isRemote],
    ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 1, true],
  );
  assert.equal(traceparentOf(parent!), VALID);
});

test('a missing or malformed traceparent starts a new trace instead of failing the request', () => {
  for (const bad of [
    undefined,
    '',
    'garbage',
    '00-00000000000000000000000000000000-b7ad6b7169203331-01',
    `ff${VALID.slice(2)}`,
    ['x', 'y'],
  ]) {
    assert.equal(trace.getSpanContext(parentContext({ traceparent: bad })), undefined, String(bad));
  }
});
