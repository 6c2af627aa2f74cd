import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApi } from '../../src/api/build-api.js';
import { sha256Hex } from '../../src/api/auth.js';
import { testConfig, type Config } from '../../src/config.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { newId } from '../../src/ids.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { ADMIN_TOKEN, harness, openSqliteStore, type Harness, type StoreOpener } from './api-harness.js';
import { openPostgresStore } from './postgres-harness.js';

/**
 * API rate limits per token and per application (HOOKRELAY_API_RATE_LIMIT_PER_TOKEN / _PER_APP):
 * 429 rate_limited with Retry-After over a limit, public routes never counted, on both stores;
 * and two API processes on one PostgreSQL database sharing a token's budget.
 */

const STORES: Array<[string, StoreOpener]> = [
  ['SQLite', openSqliteStore],
  ['PostgreSQL', openPostgresStore],
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An application and an app token of it, written straight to the store (API calls would count against the admin token). */
async function appWithToken(store: Store, uid: string): Promise<{ appId: string; token: string }> {
  const appId = newId('application');
  await store.createApplication({ id: appId, uid, name: uid, rateLimit: null, metadata: {}, now: Date.now() });
  return { appId, token: await tokenOf(store, appId) };
}

async function tokenOf(store: Store, appId: string | null): Promise<string> {
  const token = `appsk_${newId('token')}`;
  await store.createToken({ id: newId('token'), hash: sha256Hex(token), appId, expiresAt: null, now: Date.now() });
  return token;
}

function assertLimited(res: LightMyRequestResponse, names: RegExp): void {
  assert.equal(res.statusCode, 429, res.body);
  assert.equal(res.headers['retry-after'], '1');
  assert.equal(res.json().code, 'rate_limited');
  assert.match(res.json().detail, names);
}

for (const [label, openStore] of STORES)
  describe(`API rate limits (${label})`, () => {
    let skip = false;
    const open: Harness[] = [];
    const api = async (over: Partial<Config>): Promise<Harness> => {
      const h = await harness(over, {}, openStore);
      open.push(h);
      return h;
    };
    before(async () => {
      skip = label === 'PostgreSQL' && !(await postgresAvailable());
    });
    after(async () => {
      for (const h of open) await h.close();
    });

    it('answers 429 with Retry-After once a token has spent its second of burst, and serves it again as it refills', async (t) => {
      if (skip) return t.skip('PostgreSQL unavailable');
      const h = await api({ apiRateLimitPerToken: 2 });
      const { token } = await appWithToken(h.store, 'acme');
      const other = await tokenOf(h.store, null);
      const get = (tk: string) => h.call({ method: 'GET', url: '/api/v1/app/acme', token: tk });
      assert.deepEqual([(await get(token)).statusCode, (await get(token)).statusCode], [200, 200]);
      assertLimited(await get(token), /this token.*HOOKRELAY_API_RATE_LIMIT_PER_TOKEN/);
      assert.equal((await get(other)).statusCode, 200, 'another token has a budget of its own');
      await sleep(600); // 2 per second: a token is back after 500 ms
      assert.equal((await get(token)).statusCode, 200);
      assert.equal((await get(token)).statusCode, 429);
    });

    it('never counts routes that need no token, nor requests without one', async (t) => {
      if (skip) return t.skip('PostgreSQL unavailable');
      const h = await api({ apiRateLimitPerToken: 1, apiRateLimitPerApp: 1 });
      const { token } = await appWithToken(h.store, 'acme');
      for (let i = 0; i < 5; i++) {
        assert.equal((await h.call({ method: 'GET', url: '/api/v1/health', token })).statusCode, 200);
        assert.equal((await h.call({ method: 'GET', url: '/api/v1/openapi.json', token })).statusCode, 200);
        assert.equal(
          (await h.call({ method: 'GET', url: '/api/v1/app/acme', token: 'appsk_unknown' })).statusCode,
          401,
        );
      }
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/app/acme', token })).statusCode,
        200,
        "the token's one request is still there",
      );
      assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme', token })).statusCode, 429);
    });

    it("counts an application's tokens together, and an admin token against the app its route names", async (t) => {
      if (skip) return t.skip('PostgreSQL unavailable');
      const h = await api({ apiRateLimitPerApp: 3 });
      const acme = await appWithToken(h.store, 'acme');
      const second = await tokenOf(h.store, acme.appId);
      const other = await appWithToken(h.store, 'other');
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/app/acme/endpoint', token: acme.token })).statusCode,
        200,
      );
      assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/acme/msg', token: second })).statusCode, 200);
      assert.equal(
        (await h.call({ method: 'GET', url: `/api/v1/app/${acme.appId}`, token: ADMIN_TOKEN })).statusCode,
        200,
        'by ID',
      );
      assertLimited(
        await h.call({ method: 'GET', url: '/api/v1/app/acme', token: second }),
        new RegExp(`application ${acme.appId}.*HOOKRELAY_API_RATE_LIMIT_PER_APP`),
      );
      assertLimited(await h.call({ method: 'GET', url: '/api/v1/app/acme', token: ADMIN_TOKEN }), /application/);
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/app/other', token: other.token })).statusCode,
        200,
        'another app has a budget of its own',
      );
      assert.equal(
        (await h.call({ method: 'GET', url: '/api/v1/app', token: ADMIN_TOKEN })).statusCode,
        200,
        'a route without an app counts against none',
      );
    });

    it('limits nothing when the options are unset (the default)', async (t) => {
      if (skip) return t.skip('PostgreSQL unavailable');
      const h = await api({});
      const { token } = await appWithToken(h.store, 'acme');
      const codes = new Set<number>();
      for (let i = 0; i < 40; i++)
        codes.add((await h.call({ method: 'GET', url: '/api/v1/app/acme', token })).statusCode);
      assert.deepEqual([...codes], [200]);
    });
  });

describe('API rate limits across two API processes on one PostgreSQL database', () => {
  let skip = false;
  let db: { url: string; drop: () => Promise<void> } | undefined;
  const stores: PostgresStore[] = [];
  const apis: FastifyInstance[] = [];
  before(async () => {
    skip = !(await postgresAvailable());
    if (skip) return;
    db = await createTestDatabase('hr_api_limits');
    const box = SecretBox.random();
    const config = testConfig({ apiRateLimitPerToken: 4 });
    for (let i = 0; i < 2; i++) {
      const store = new PostgresStore({ url: db.url, secretBox: box });
      await store.migrate();
      stores.push(store);
      apis.push(await buildApi({ store, config, adminTokenHash: sha256Hex(ADMIN_TOKEN) }));
    }
  });
  after(async () => {
    for (const a of apis) await a.close();
    for (const s of stores) await s.close();
    await db?.drop();
  });

  it('answers 429 with Retry-After from both once the token has spent its budget on either', async (t) => {
    if (skip) return t.skip('PostgreSQL unavailable');
    const { token } = await appWithToken(stores[0], 'acme');
    const get = (i: number) =>
      apis[i].inject({ method: 'GET', url: '/api/v1/app/acme', headers: { authorization: `Bearer ${token}` } });
    const spent = [await get(0), await get(1), await get(0), await get(1)];
    assert.deepEqual(
      spent.map((r) => r.statusCode),
      [200, 200, 200, 200],
    );
    assertLimited(await get(0), /this token/);
    assertLimited(await get(1), /this token/);
  });
});
