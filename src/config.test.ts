import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadConfig, OPTIONS } from './config.js';
import { renderConfigDocs } from './config-docs.js';
import { ConfigError } from './errors.js';

test('defaults need no environment', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8071);
  assert.equal(config.dataDir, './.hookrelay');
  assert.equal(config.databaseUrl, null);
  assert.deepEqual(config.retrySchedule, [0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
  assert.ok(config.leaseMs > config.requestTimeoutMs);
});

test('env vars are parsed', () => {
  const config = loadConfig({
    HOOKRELAY_PORT: '9000',
    HOOKRELAY_ALLOW_NETWORKS: '127.0.0.0/8, ::1/128',
    HOOKRELAY_RETRY_SCHEDULE: '0,1,2',
    HOOKRELAY_DATABASE_URL: 'postgres://u@127.0.0.1/db',
    HOOKRELAY_SVIX_HEADERS: 'true',
    HOOKRELAY_ROLE: 'worker',
  });
  assert.equal(config.port, 9000);
  assert.deepEqual(config.allowNetworks, ['127.0.0.0/8', '::1/128']);
  assert.deepEqual(config.retrySchedule, [0, 1, 2]);
  assert.equal(config.databaseUrl, 'postgres://u@127.0.0.1/db');
  assert.equal(config.svixHeaders, true);
  assert.equal(config.role, 'worker');
});

test('bad values fail with a message naming the variable', () => {
  const cases: Record<string, string> = {
    HOOKRELAY_PORT: 'eighty',
    HOOKRELAY_ALLOW_NETWORKS: '127.0.0.1/99',
    HOOKRELAY_RETRY_SCHEDULE: '0,-5',
    HOOKRELAY_DATABASE_URL: 'mysql://x',
    HOOKRELAY_ROLE: 'everything',
    HOOKRELAY_ENCRYPTION_KEY: 'c2hvcnQ=',
    HOOKRELAY_SVIX_HEADERS: 'maybe',
  };
  for (const [env, value] of Object.entries(cases)) {
    assert.throws(
      () => loadConfig({ [env]: value }),
      (err: unknown) => err instanceof ConfigError && err.message.includes(env),
      env,
    );
  }
});

test('API rate limits are off unless set to a positive integer', () => {
  assert.deepEqual([loadConfig({}).apiRateLimitPerToken, loadConfig({}).apiRateLimitPerApp], [null, null]);
  const set = loadConfig({ HOOKRELAY_API_RATE_LIMIT_PER_TOKEN: '50', HOOKRELAY_API_RATE_LIMIT_PER_APP: '' });
  assert.deepEqual([set.apiRateLimitPerToken, set.apiRateLimitPerApp], [50, null]);
  for (const bad of ['0', '-1', '2.5', 'many']) {
    assert.throws(
      () => loadConfig({ HOOKRELAY_API_RATE_LIMIT_PER_APP: bad }),
      (err: unknown) => err instanceof ConfigError && err.message.includes('HOOKRELAY_API_RATE_LIMIT_PER_APP'),
      bad,
    );
  }
});

test('a lease shorter than the request timeout is refused', () => {
  assert.throws(() => loadConfig({ HOOKRELAY_LEASE_MS: '10000', HOOKRELAY_REQUEST_TIMEOUT_MS: '15000' }), /LEASE_MS/);
});

test('docs/configuration.md lists every option and is current', () => {
  const docs = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
  for (const opt of OPTIONS) assert.ok(docs.includes('`' + opt.env + '`'), opt.env);
  assert.equal(docs, renderConfigDocs(), 'run: npx tsx scripts/gen-config-docs.ts');
});
