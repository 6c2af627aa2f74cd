import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_CAPABILITIES, Capabilities, type Capability } from './capabilities.js';

const held = (list: readonly string[] | null | undefined) =>
  ALL_CAPABILITIES.filter((c) => new Capabilities(list).has(c));

test('a session without a list holds every capability', () => {
  assert.deepEqual(held(null), [...ALL_CAPABILITIES]);
  assert.deepEqual(held(undefined), [...ALL_CAPABILITIES]);
});

test('an empty list holds none', () => {
  assert.deepEqual(held([]), []);
});

test('managing an endpoint includes managing and viewing its secret, and nothing else', () => {
  assert.deepEqual(held(['ManageEndpoint']), [
    'ViewEndpointSecret',
    'ManageEndpointSecret',
    'ManageEndpoint',
  ] satisfies Capability[]);
});

test('managing the secret includes viewing it, not managing the endpoint', () => {
  assert.deepEqual(held(['ViewBase', 'ManageEndpointSecret']), [
    'ViewBase',
    'ViewEndpointSecret',
    'ManageEndpointSecret',
  ] satisfies Capability[]);
});

test('viewing implies nothing', () => {
  assert.deepEqual(held(['ViewBase', 'ViewEndpointSecret']), ['ViewBase', 'ViewEndpointSecret'] satisfies Capability[]);
  assert.deepEqual(held(['CreateAttempts']), ['CreateAttempts'] satisfies Capability[]);
});

test('names it does not know grant nothing', () => {
  assert.deepEqual(held(['Admin', 'manageendpoint']), []);
});
