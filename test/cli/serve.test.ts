import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runCli, type CliProcess } from './cli-process.js';

/** `hookrelay serve` with no configuration at all: what a first-time user sees and can do. */

// Strip every HOOKRELAY_* variable so the run is truly unconfigured.
const BARE_ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('HOOKRELAY_')),
);

async function stop(p: CliProcess): Promise<number | null> {
  p.child.kill('SIGTERM');
  return p.exited;
}

async function call(method: string, url: string, token: string, body?: unknown) {
  const res = await request(url, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.statusCode, json: (await res.body.json().catch(() => null)) as Record<string, unknown> | null };
}

test(
  'serve on a fresh data dir prints the URL, a generated admin token and a curl that sends a first event',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookrelay-serve-'));
    const first = runCli(['serve', '--port', '0', '--data-dir', dir], { ...BARE_ENV, HOOKRELAY_LOG_LEVEL: 'silent' });
    let url: string;
    let token: string;
    try {
      [, url] = await first.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
      [, token] = await first.waitFor(/Admin token \(generated now[^\n]*\n\s+(hr_admin_\S+)/, 5_000);
      assert.equal(
        readFileSync(join(dir, 'admin-token'), 'utf8').trim(),
        token,
        'the generated token is saved for the operator',
      );
      await first.waitFor(
        new RegExp(`Dashboard: ${url.replace(/\./g, '\\.')}/ \\(log in with the admin token\\)`),
        5_000,
      );
      const dashboard = await request(`${url}/`);
      assert.equal(dashboard.statusCode, 200);
      assert.match(String(dashboard.headers['content-type']), /^text\/html/);
      await dashboard.body.dump();
      const [curl] = await first.waitFor(/curl -s -X POST \S+\/api\/v1\/app\/demo\/msg[^\n]*\\\n\s+-d '[^']+'/, 5_000);
      const body = JSON.parse(curl.match(/-d '([^']+)'/)![1]);

      // The printed command, run as printed: the app is created on the fly and the event accepted.
      const sent = await call('POST', `${url}/api/v1/app/demo/msg`, token, body);
      assert.equal(sent.status, 202);
      assert.match(String(sent.json?.id), /^msg_/);
      assert.equal((await call('GET', `${url}/api/v1/app/demo/msg/${sent.json?.id}`, token)).status, 200);
      assert.equal((await call('GET', `${url}/api/v1/app`, 'hr_admin_wrong')).status, 401);
    } finally {
      assert.equal(await stop(first), 0, 'SIGTERM is a clean shutdown');
    }

    // A second start reuses the stored token and says where it is, without printing it.
    const second = runCli(['serve', '--port', '0', '--data-dir', dir], { ...BARE_ENV, HOOKRELAY_LOG_LEVEL: 'silent' });
    try {
      [, url] = await second.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
      await second.waitFor(/Admin token: saved in /, 5_000);
      assert.ok(!second.stdout().includes(token), 'the token is printed once only');
      assert.equal((await call('GET', `${url}/api/v1/app/demo`, token)).status, 200, 'the stored token still works');
    } finally {
      await stop(second);
    }

    // `token --app` mints an app-scoped token on the same data dir; `migrate` is idempotent.
    const minted = runCli(['token', '--app', 'demo', '--data-dir', dir], BARE_ENV);
    assert.equal(await minted.exited, 0, minted.stderr());
    const appToken = minted.stdout().trim();
    assert.match(appToken, /^hr_app_/);
    const migrate = runCli(['migrate', '--data-dir', dir], BARE_ENV);
    assert.equal(await migrate.exited, 0, migrate.stderr());
    assert.match(migrate.stdout(), /migrations applied \(sqlite\)/);

    // Without the token file, the banner does not point at it.
    rmSync(join(dir, 'admin-token'));
    const third = runCli(['serve', '--port', '0', '--data-dir', dir], { ...BARE_ENV, HOOKRELAY_LOG_LEVEL: 'silent' });
    try {
      [, url] = await third.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
      await third.waitFor(
        /Admin token: not in \S+admin-token; the process that first opened this database saved it/,
        5_000,
      );
      await third.waitFor(/Authorization: Bearer \$HOOKRELAY_ADMIN_TOKEN/, 5_000);
      assert.doesNotMatch(third.stdout(), /saved in/);
      assert.equal((await call('GET', `${url}/api/v1/app/demo/msg`, appToken)).status, 200);
      const other = await call('POST', `${url}/api/v1/app`, token, { name: 'Other', uid: 'other' });
      assert.equal(other.status, 201);
      assert.equal(
        (await call('GET', `${url}/api/v1/app/other`, appToken)).status,
        403,
        'an app token cannot see another app',
      );
    } finally {
      await stop(third);
    }
  },
);

test('a bad configuration value stops serve with a message naming the variable', { timeout: 30_000 }, async () => {
  const p = runCli(['serve', '--port', '0'], { ...BARE_ENV, HOOKRELAY_RETRY_SCHEDULE: '0,soon' });
  assert.equal(await p.exited, 1);
  assert.match(p.stderr(), /HOOKRELAY_RETRY_SCHEDULE/);
});
