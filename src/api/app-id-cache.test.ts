import type { AppId } from '../ids.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppIdCache } from './app-id-cache.js';

describe('AppIdCache', () => {
  it('remembers an ID for ttlMs, then forgets it; clear() forgets everything', () => {
    const cache = new AppIdCache(1000, 3);
    cache.set('shop', 'app_1' as AppId, 0);
    assert.equal(cache.get('shop', 999), 'app_1');
    assert.equal(cache.get('shop', 1000), null);
    cache.set('shop', 'app_1' as AppId, 2000);
    cache.clear();
    assert.equal(cache.get('shop', 2001), null);
  });

  it('stays bounded', () => {
    const cache = new AppIdCache(1000, 2);
    cache.set('a', '1' as AppId, 0);
    cache.set('b', '2' as AppId, 0);
    cache.set('c', '3' as AppId, 0);
    assert.equal(cache.get('c', 1), '3');
    assert.equal([cache.get('a', 1), cache.get('b', 1)].filter(Boolean).length, 0);
  });
});
