import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BadRequestError } from '../../src/errors.js';
import { newId } from '../../src/ids.js';
import { postgresAvailable } from '../support/postgres.js';
import { harness, openSqliteStore, type Harness, type StoreOpener } from './api-harness.js';
import { openPostgresStore } from './postgres-harness.js';

/**
 * Strings no store can keep — NUL (PostgreSQL text refuses it) and lone surrogates (no UTF-8
 * encoding) — are refused at the API boundary with a 422 on both stores, never a 500; a
 * message payload may carry them, since it is stored as JSON text where they are escapes.
 */

const STORES: Array<[string, StoreOpener | null]> = [
  ['SQLite', openSqliteStore],
  ['PostgreSQL', openPostgresStore],
];

for (const [label, openStore] of STORES) {
  describe(`hostile strings (${label})`, () => {
    let h: Harness | undefined;
    before(async () => {
      if (label === 'PostgreSQL' && !(await postgresAvailable())) return;
      h = await harness({}, {}, openStore!);
      await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'X', uid: 'x' } });
      await h.call({ method: 'POST', url: '/api/v1/event-type', payload: { name: 'e.x', description: 'd' } });
    });
    after(async () => {
      await h?.close();
    });

    it('NUL and lone surrogates in bodies, paths and queries answer 422', async (t) => {
      if (!h) return t.skip('no PostgreSQL');
      const cases: Array<{ method: 'GET' | 'POST'; url: string; payload?: string }> = [
        { method: 'POST', url: '/api/v1/app', payload: '{"name":"\\u0000\\ud800"}' },
        { method: 'POST', url: '/api/v1/app', payload: '{"name":"a\\u0000"}' },
        { method: 'POST', url: '/api/v1/app', payload: '{"name":"a","metadata":{"k\\u0000":"v"}}' },
        { method: 'POST', url: '/api/v1/app', payload: '{"name":"a","metadata":{"k":"\\udc00"}}' },
        { method: 'GET', url: '/api/v1/app/%00' },
        { method: 'GET', url: '/api/v1/app/x/endpoint/%00' },
        { method: 'GET', url: '/api/v1/app/x/msg/%00' },
        { method: 'GET', url: '/api/v1/app/x/msg?channel=%00' },
        { method: 'GET', url: '/api/v1/event-type/a%00b' },
      ];
      for (const c of cases) {
        const res = await h.call({ ...c, headers: c.payload ? { 'content-type': 'application/json' } : {} });
        assert.equal(res.statusCode, 422, `${c.method} ${c.url} ${c.payload ?? ''} → ${res.statusCode} ${res.body}`);
        const detail = JSON.parse(res.body).detail;
        assert.ok(Array.isArray(detail) && detail[0].type === 'value_error.unstorable_string', res.body);
      }
    });

    it('the store refuses what the API would have: a 400 on PostgreSQL, never a 500', async (t) => {
      if (!h) return t.skip('no PostgreSQL');
      if (label !== 'PostgreSQL') return;
      await assert.rejects(
        h.store.getApplication('\u0000'),
        (err: unknown) => err instanceof BadRequestError && err.code === 'unstorable_string',
      );
      await assert.rejects(
        h.store.createApplication({
          id: newId('application'),
          uid: null,
          name: 'a',
          rateLimit: null,
          metadata: { 'k\u0000': 'v' },
          now: Date.now(),
        }),
        (err: unknown) => err instanceof BadRequestError && err.code === 'unstorable_string',
      );
    });

    it('a message payload may hold NUL and lone surrogates: it is kept as JSON escapes', async (t) => {
      if (!h) return t.skip('no PostgreSQL');
      const res = await h.call({
        method: 'POST',
        url: '/api/v1/app/x/msg',
        payload: '{"eventType":"e.x","payload":{"a\\u0000":"b\\u0000\\ud800"}}',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 202, res.body);
      const got = await h.call({ method: 'GET', url: `/api/v1/app/x/msg/${res.json().id}` });
      assert.equal(got.statusCode, 200, got.body);
      assert.deepEqual(got.json().payload, { 'a\u0000': 'b\u0000\ud800' });
    });
  });
}
