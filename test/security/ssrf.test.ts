import type { EndpointId } from '../../src/ids.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { testConfig } from '../../src/config.js';
import { DeliveryStatus, type Endpoint } from '../../src/domain/model.js';
import { generateSecret } from '../../src/domain/endpoint-secret.js';
import { SecretBox } from '../../src/domain/secret-box.js';
import { DeliveryBlockedError, resolveChecked, type Resolver } from '../../src/delivery/guarded-connect.js';
import { classifyAddress, checkUrlLiteral } from '../../src/delivery/ssrf-guard.js';
import { DeliveryWorker } from '../../src/delivery/worker.js';
import { newId } from '../../src/ids.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { apiInstance } from '../support/api-instance.js';
import { waitUntil } from '../support/api-client.js';
import { startRecorder } from '../support/webhook-recorder.js';
import { BLOCKED_ADDRESSES, BLOCKED_URLS, PUBLIC_CONTROLS } from './ssrf-probes.js';

/**
 * SSRF: the probe table through the decision functions, the endpoint-create API (422) and the
 * delivery path (a recorded failed attempt with a clear reason). Real connections happen only on
 * loopback: 127.0.0.1/32 is allow-listed and 127.0.0.2 is the forbidden target. DNS names go
 * through an injected resolver — nothing is ever looked up or connected to off this machine.
 */

const counts = { blocked: 0, allowedControls: 0 };

/** An injected resolver: a fixed table; anything else is NXDOMAIN (no real lookup). */
function tableResolver(table: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addrs = table[hostname];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('SSRF probes', { timeout: 60_000 }, () => {
  test('decision functions: every blocked address and URL is refused without an allow-list', async () => {
    for (const [ip, what] of BLOCKED_ADDRESSES) {
      const d = classifyAddress(ip, []);
      assert.equal(d.allowed, false, `${ip} (${what}) was allowed`);
      if (!d.allowed) assert.ok(d.reason.length > 0);
      counts.blocked++;
    }
    for (const [url, what] of BLOCKED_URLS) {
      const d = checkUrlLiteral(url, []);
      assert.equal(d.ok, false, `${url} (${what}) was allowed`);
      counts.blocked++;
    }
    for (const ip of PUBLIC_CONTROLS) {
      assert.deepEqual(classifyAddress(ip, []), { allowed: true }, `${ip} is public and must pass`);
      counts.allowedControls++;
    }
  });

  test('the allow-list opens exactly what it names', () => {
    const allow = ['127.0.0.1/32'];
    assert.deepEqual(classifyAddress('127.0.0.1', allow), { allowed: true });
    assert.deepEqual(
      classifyAddress('::ffff:127.0.0.1', allow),
      { allowed: true },
      'the mapped form of an allowed address',
    );
    for (const ip of ['127.0.0.2', '::1', '::ffff:127.0.0.2', '10.0.0.1', '169.254.169.254']) {
      assert.equal(classifyAddress(ip, allow).allowed, false, `${ip} must stay blocked with only 127.0.0.1/32 allowed`);
      counts.blocked++;
    }
    assert.equal(checkUrlLiteral('http://2130706433:9/', allow).ok, true, 'decimal 127.0.0.1 is 127.0.0.1');
    assert.equal(checkUrlLiteral('http://0177.0.0.2/', allow).ok, false, 'octal 127.0.0.2 is not allowed');
    counts.blocked++;
  });

  test('DNS names resolving to private addresses are refused at resolve time (injected resolver)', async () => {
    const resolver = tableResolver({
      'loop.test': ['127.0.0.2'],
      'meta.test': ['169.254.169.254'],
      'private.test': ['10.0.0.7'],
      'cgnat.test': ['100.64.1.1'],
      'mapped.test': ['::ffff:127.0.0.1'],
      'v6loop.test': ['::1'],
      'mixed.test': ['93.184.216.34', '192.168.0.10'],
      'public.test': ['93.184.216.34'],
    });
    for (const name of [
      'loop.test',
      'meta.test',
      'private.test',
      'cgnat.test',
      'mapped.test',
      'v6loop.test',
      'mixed.test',
    ]) {
      await assert.rejects(
        resolveChecked(name, [], resolver),
        (err: unknown) => err instanceof DeliveryBlockedError && err.message.startsWith(`blocked: ${name} resolves to`),
        name,
      );
      counts.blocked++;
    }
    assert.deepEqual(
      await resolveChecked('public.test', [], resolver),
      { address: '93.184.216.34', family: 4 },
      'judged only, never connected',
    );
  });

  test('endpoint create and update answer 422 for every blocked literal', async () => {
    const api = await apiInstance({ allowNetworks: [] });
    try {
      assert.equal(
        (await api.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'S', uid: 'ssrf' } })).statusCode,
        201,
      );
      const ok = await api.call({
        method: 'POST',
        url: '/api/v1/app/ssrf/endpoint',
        payload: { url: 'https://receiver.example/hook', uid: 'ok' },
      });
      assert.equal(ok.statusCode, 201);
      for (const [url, what] of BLOCKED_URLS) {
        const created = await api.call({ method: 'POST', url: '/api/v1/app/ssrf/endpoint', payload: { url } });
        assert.equal(created.statusCode, 422, `create ${url} (${what}): ${created.statusCode} ${created.body}`);
        assert.deepEqual(JSON.parse(created.body).detail[0].loc, ['body', 'url']);
        const patched = await api.call({ method: 'PATCH', url: '/api/v1/app/ssrf/endpoint/ok', payload: { url } });
        assert.equal(patched.statusCode, 422, `patch to ${url} (${what}): ${patched.statusCode}`);
        counts.blocked += 2;
      }
    } finally {
      await api.close();
    }
    const narrow = await apiInstance({ allowNetworks: ['127.0.0.1/32'] });
    try {
      await narrow.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'S', uid: 'ssrf' } });
      assert.equal(
        (
          await narrow.call({
            method: 'POST',
            url: '/api/v1/app/ssrf/endpoint',
            payload: { url: 'http://127.0.0.1:9/' },
          })
        ).statusCode,
        201,
      );
      assert.equal(
        (
          await narrow.call({
            method: 'POST',
            url: '/api/v1/app/ssrf/endpoint',
            payload: { url: 'http://127.0.0.2:9/' },
          })
        ).statusCode,
        422,
      );
      counts.blocked++;
    } finally {
      await narrow.close();
    }
  });

  test('delivery path: blocked destinations become failed attempts with a reason; redirects are never followed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookrelay-ssrf-'));
    const store = new SqliteStore({ file: join(dir, 'hookrelay.db'), secretBox: SecretBox.random() });
    await store.migrate();
    const forbidden = await startRecorder((_q, res) => res.end('should never be reached'), '127.0.0.2');
    const allowed = await startRecorder((req, res) => {
      const path = req.url ?? '';
      const to = path.startsWith('/redirect-private')
        ? `http://127.0.0.2:${forbidden.port}/`
        : path.startsWith('/redirect-metadata')
          ? 'http://169.254.169.254/latest/meta-data/'
          : path.startsWith('/redirect-public')
            ? 'https://example.com/'
            : null;
      if (to) {
        res.writeHead(302, { location: to });
        res.end();
      } else {
        res.end('ok');
      }
    });
    const resolver = tableResolver({
      'ok.test': ['127.0.0.1'],
      'loop.test': ['127.0.0.2'],
      'meta.test': ['169.254.169.254'],
      'mixed.test': ['127.0.0.1', '10.0.0.1'],
    });
    const config = testConfig({
      allowNetworks: ['127.0.0.1/32'],
      retrySchedule: [0],
      pollIntervalMs: 50,
      requestTimeoutMs: 2000,
      leaseMs: 10_000,
    });
    const p1 = allowed.port;
    const p2 = forbidden.port;
    // [url, expected: 'delivered' | reason pattern | redirect status]
    const cases: Array<[string, 'delivered' | RegExp | number]> = [
      [`http://127.0.0.1:${p1}/control`, 'delivered'],
      [`http://ok.test:${p1}/dns-control`, 'delivered'],
      [
        `http://127.0.0.2:${p2}/`,
        /^blocked: 127\.0\.0\.2 is loopback \(if it is yours, allow it: HOOKRELAY_ALLOW_NETWORKS=127\.0\.0\.2\/32\)$/,
      ],
      [`http://0177.0.0.2:${p2}/`, /^blocked: 127\.0\.0\.2 is loopback/],
      [`http://[::ffff:127.0.0.2]:${p2}/`, /^blocked: .*127\.0\.0\.2.*loopback/],
      [
        `http://loop.test:${p2}/`,
        /^blocked: loop\.test resolves to 127\.0\.0\.2 is loopback \(if it is yours, allow it: HOOKRELAY_ALLOW_NETWORKS=127\.0\.0\.2\/32\)$/,
      ],
      // No way past the refusal is offered for the cloud metadata service.
      [
        `http://meta.test:${p1}/`,
        /^blocked: meta\.test resolves to 169\.254\.169\.254 is link-local \(cloud metadata service\)$/,
      ],
      [`http://mixed.test:${p1}/`, /^blocked: mixed\.test resolves to 10\.0\.0\.1/],
      [`http://unknown.test:${p1}/`, /^dns: ENOTFOUND unknown\.test/],
      [`http://127.0.0.1:${p1}/redirect-private`, 302],
      [`http://127.0.0.1:${p1}/redirect-metadata`, 302],
      [`http://127.0.0.1:${p1}/redirect-public`, 302],
    ];
    const now = Date.now();
    const app = await store.createApplication({
      id: newId('application'),
      uid: 'ssrf',
      name: 'S',
      rateLimit: null,
      metadata: {},
      now,
    });
    const endpoints: Endpoint[] = [];
    for (const [url] of cases) {
      // Written through the store, as if created before the operator narrowed the allow-list.
      endpoints.push(
        await store.createEndpoint({
          id: newId('endpoint'),
          appId: app.id,
          uid: null,
          kind: 'url',
          url,
          description: '',
          version: 1,
          filterTypes: null,
          channels: null,
          rateLimit: null,
          disabled: false,
          metadata: {},
          headers: {},
          format: 'standard',
          cloudEventsHandshake: false,
          svixHeaders: null,
          secret: generateSecret(),
          now,
        }),
      );
    }
    const [r] = await store.createMessages([
      {
        id: newId('message', now),
        appId: app.id,
        eventType: 'ssrf.probe',
        eventId: null,
        channels: null,
        tags: null,
        payload: '{"x":1}',
        now,
        deliverAt: now,
        payloadExpiresAt: now + 86_400_000,
      },
    ]);
    assert.ok(r.ok);
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    const worker = new DeliveryWorker({ store, config, logger: silent, resolver, random: () => 0.5 });
    worker.start();
    try {
      const attemptsOf = async (id: EndpointId) =>
        (await store.listAttemptsByEndpoint(app.id, id, { limit: 10, iterator: null, order: 'ascending' }, {})).data;
      await waitUntil(
        async () => {
          for (const ep of endpoints) if ((await attemptsOf(ep.id)).length === 0) return false;
          return true;
        },
        20_000,
        'one attempt per probe endpoint',
      );
      for (let i = 0; i < cases.length; i++) {
        const [url, expected] = cases[i];
        const attempts = await attemptsOf(endpoints[i].id);
        assert.equal(attempts.length, 1, `${url}: one attempt (retry schedule [0])`);
        const a = attempts[0];
        if (expected === 'delivered') {
          assert.equal(a.responseStatusCode, 200, `${url}: ${a.response}`);
        } else if (typeof expected === 'number') {
          assert.equal(a.responseStatusCode, expected, `${url}: redirect recorded as its status`);
          assert.equal(a.status, DeliveryStatus.Fail, `${url}: a redirect is a failure`);
          counts.blocked++;
        } else {
          assert.equal(a.responseStatusCode, 0, `${url}: no response`);
          assert.match(a.response, expected, `${url}: reason`);
          counts.blocked++;
        }
      }
      assert.equal(forbidden.total(), 0, 'nothing ever reached 127.0.0.2');
      assert.equal(
        allowed.total(),
        5,
        'the two controls and the three redirecting requests reached 127.0.0.1, once each',
      );
    } finally {
      await worker.stop();
      await store.close();
      await allowed.close();
      await forbidden.close();
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`# ssrf: probes blocked=${counts.blocked} public controls allowed=${counts.allowedControls}`);
  });
});
