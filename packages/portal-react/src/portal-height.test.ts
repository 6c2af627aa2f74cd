import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEIGHT_MESSAGE_TYPE, portalHeight, portalOrigin } from './portal-height.js';

const frameWindow = { name: 'the portal frame' };
const origin = 'https://hooks.example.com';
const message = (overrides: Partial<{ source: unknown; origin: string; data: unknown }> = {}) => ({
  source: frameWindow,
  origin,
  data: { type: HEIGHT_MESSAGE_TYPE, height: 812.4 },
  ...overrides,
});

test('a height from the portal frame, at the portal origin, is taken (rounded up)', () => {
  assert.equal(portalHeight(message(), frameWindow, origin), 813);
});

test('a message from another window is ignored, even with the right origin and shape', () => {
  assert.equal(portalHeight(message({ source: { name: 'another frame' } }), frameWindow, origin), null);
  assert.equal(portalHeight(message({ source: null }), frameWindow, origin), null);
});

test('a message from another origin is ignored', () => {
  assert.equal(portalHeight(message({ origin: 'https://evil.example' }), frameWindow, origin), null);
  assert.equal(portalHeight(message({ origin: 'http://hooks.example.com' }), frameWindow, origin), null);
});

test('without a frame window or a known origin nothing is trusted', () => {
  assert.equal(portalHeight(message(), null, origin), null);
  assert.equal(portalHeight(message(), undefined, origin), null);
  assert.equal(portalHeight(message(), frameWindow, null), null);
});

test('malformed data is ignored', () => {
  for (const data of [
    null,
    'hookrelay:portal:height',
    { type: 'other', height: 10 },
    { type: HEIGHT_MESSAGE_TYPE },
    { type: HEIGHT_MESSAGE_TYPE, height: '10' },
    { type: HEIGHT_MESSAGE_TYPE, height: -1 },
    { type: HEIGHT_MESSAGE_TYPE, height: Number.NaN },
    { type: HEIGHT_MESSAGE_TYPE, height: Number.POSITIVE_INFINITY },
    { type: HEIGHT_MESSAGE_TYPE, height: 1e9 },
  ]) {
    assert.equal(portalHeight(message({ data }), frameWindow, origin), null, JSON.stringify(data));
  }
});

test('portalOrigin resolves a portal URL (relative ones against the page) and rejects non-URLs', () => {
  assert.equal(
    portalOrigin('https://hooks.example.com:8443/portal/?app=app_1#key=abc'),
    'https://hooks.example.com:8443',
  );
  assert.equal(portalOrigin('/portal/?app=app_1', 'http://127.0.0.1:8071/settings'), 'http://127.0.0.1:8071');
  assert.equal(portalOrigin('not a url'), null);
  assert.equal(portalOrigin('data:text/html,hi'), null);
});
