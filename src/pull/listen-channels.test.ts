import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNEL_ID, listenChannelId } from './listen-channels.js';

test('named channels get the same unguessable ID under the same key, different per scope and key', () => {
  const id = listenChannelId('laptop', 'admin:root', 'k1');
  assert.match(id, CHANNEL_ID);
  assert.equal(listenChannelId('laptop', 'admin:root', 'k1'), id, 'another process, or after a restart');
  assert.notEqual(listenChannelId('laptop', 'app:tok_1', 'k1'), id);
  assert.notEqual(listenChannelId('laptop', 'admin:root', 'k2'), id);
  assert.match(listenChannelId(null, 's', 'k1'), CHANNEL_ID);
  assert.notEqual(listenChannelId(null, 's', 'k1'), listenChannelId(null, 's', 'k1'), 'unnamed channels are random');
});
