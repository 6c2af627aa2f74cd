import type { EndpointId } from '../ids.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthFolds, rowMoves } from './outcome-fold.js';
import type { DeliveryOutcome } from './store.js';

const health = (endpoint: string, failed: boolean, now: number, disable = false): DeliveryOutcome => ({
  deliveryId: `d-${endpoint}-${now}`,
  owner: 'w',
  next: failed ? { kind: 'retry', at: now + 1000 } : { kind: 'success' },
  endpointUpdate: { endpointId: endpoint as EndpointId, failed, disable, now },
});

describe('outcome fold', () => {
  it('folds health per endpoint as if applied one by one', () => {
    const folds = healthFolds([
      health('b', true, 10),
      health('a', true, 1),
      health('a', false, 2),
      health('a', true, 3),
      health('a', true, 4),
      health('c', false, 5),
      health('b', true, 11, true),
      health('b', true, 12, true),
    ]);
    assert.deepEqual(folds, [
      // fail, success, fail, fail → failing since the first failure after the success (3), stored value overridden
      { endpointId: 'a', reset: true, failFrom: 3, disableAt: null },
      // only failures → failing since min(stored, 10); disabled at the first disabling outcome
      { endpointId: 'b', reset: false, failFrom: 10, disableAt: 11 },
      // only a success → cleared
      { endpointId: 'c', reset: true, failFrom: null, disableAt: null },
    ]);
  });

  it('moves each row once, by its first outcome, with the status and count of its kind', () => {
    const moves = rowMoves([
      {
        deliveryId: 'x',
        owner: 'w',
        next: { kind: 'retry', at: 50 },
        attempt: {
          id: 'a1',
          url: 'u',
          status: 2,
          responseStatusCode: 500,
          response: '',
          responseDurationMs: 1,
          triggerType: 0,
          now: 7,
        },
      },
      { deliveryId: 'x', owner: 'w', next: { kind: 'success' } },
      {
        deliveryId: 'y',
        owner: 'w',
        next: { kind: 'defer', at: 90 },
        endpointUpdate: { endpointId: 'e' as EndpointId, failed: false, disable: false, now: 8 },
      },
      {
        deliveryId: 'z',
        owner: 'w',
        next: { kind: 'fail', reason: 'timeout' },
        attempt: {
          id: 'a2',
          url: 'u',
          status: 2,
          responseStatusCode: 0,
          response: '',
          responseDurationMs: 1,
          triggerType: 0,
          now: 9,
        },
      },
    ]);
    assert.deepEqual(moves, [
      { id: 'x', owner: 'w', status: 1, nextAt: 50, counted: 1, attemptedAt: 7, now: 7, reason: null },
      { id: 'y', owner: 'w', status: 1, nextAt: 90, counted: 0, attemptedAt: null, now: 8, reason: null },
      { id: 'z', owner: 'w', status: 2, nextAt: null, counted: 1, attemptedAt: 9, now: 9, reason: 'timeout' },
    ]);
  });
});
