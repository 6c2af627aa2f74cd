import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

/** The dashboard and the portal as the API process serves them, from a small fake build. */

const CSP_BASE =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; font-src 'self' https: data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ";

function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'hookrelay-ui-'));
  mkdirSync(join(root, 'portal'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><title>dashboard</title><script type="module" src="/assets/dashboard-abc123.js"></script>',
  );
  writeFileSync(join(root, 'portal', 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(join(root, 'assets', 'dashboard-abc123.js'), 'console.log("dashboard");');
  return root;
}

function assertUiHeaders(
  res: { headers: Record<string, unknown> },
  frameAncestors: string,
  cacheControl: string,
): void {
  assert.equal(res.headers['content-security-policy'], CSP_BASE + frameAncestors);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  assert.equal(res.headers['cache-control'], cacheControl);
}

describe('static UI: dashboard, portal, assets', () => {
  let h: Harness;
  let root: string;
  let appId: string;
  before(async () => {
    root = fakeBuild();
    h = await harness({}, { uiRoot: root });
    appId = (await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } })).json().id;
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Plain', uid: 'plain' } });
  });
  after(async () => {
    await h.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves the dashboard at / with no token, unframeable and revalidated on every load', async () => {
    const res = await h.call({ method: 'GET', url: '/', token: null });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.match(res.body, /<title>dashboard<\/title>/);
    assertUiHeaders(res, "'none'", 'no-cache');
    assert.equal((await h.call({ method: 'HEAD', url: '/', token: null })).statusCode, 200);
  });

  it("serves hashed assets with a year's immutable cache, and 404s unknown ones", async () => {
    const res = await h.call({ method: 'GET', url: '/assets/dashboard-abc123.js', token: null });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(res.body, 'console.log("dashboard");');
    assertUiHeaders(res, "'none'", 'public, max-age=31536000, immutable');
    const missing = await h.call({ method: 'GET', url: '/assets/nope-000.js', token: null });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'not_found');
    assert.equal((await h.call({ method: 'GET', url: '/assets/../index.html', token: null })).statusCode, 404);
  });

  it('redirects /portal to /portal/ with 301, keeping the query', async () => {
    const res = await h.call({ method: 'GET', url: `/portal?app=${appId}&x=1`, token: null });
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `/portal/?app=${appId}&x=1`);
    assert.equal((await h.call({ method: 'GET', url: '/portal', token: null })).headers.location, '/portal/');
  });

  it("lets the portal be framed by this origin and the environment's frameAncestors, or the app's own", async () => {
    let res = await h.call({ method: 'GET', url: '/portal/', token: null });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<title>portal<\/title>/);
    assertUiHeaders(res, "'self'", 'no-cache');

    await h.call({
      method: 'PATCH',
      url: '/api/v1/management/environment-settings',
      payload: { frameAncestors: ['https://env.example', "'self'"] },
    });
    await h.call({
      method: 'PUT',
      url: '/api/v1/app/acme/portal-settings',
      payload: { frameAncestors: ['https://acme.example', 'http://localhost:3000'] },
    });

    res = await h.call({ method: 'GET', url: '/portal/?app=plain', token: null });
    assertUiHeaders(res, "'self' https://env.example", 'no-cache');
    for (const app of [appId, 'acme']) {
      res = await h.call({ method: 'GET', url: `/portal/?app=${app}`, token: null });
      assertUiHeaders(res, "'self' https://acme.example http://localhost:3000", 'no-cache');
    }
    res = await h.call({ method: 'GET', url: '/portal/?app=ghost', token: null });
    assertUiHeaders(res, "'self' https://env.example", 'no-cache');

    await h.call({ method: 'PUT', url: '/api/v1/app/acme/portal-settings', payload: { frameAncestors: [] } });
    res = await h.call({ method: 'GET', url: '/portal/?app=acme', token: null });
    assertUiHeaders(res, "'self'", 'no-cache');
  });

  it('leaves /api/v1 to the API: an unknown API route is still a JSON 404', async () => {
    const res = await h.call({ method: 'GET', url: '/api/v1/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'not_found');
  });
});

describe('static UI when the build is missing', () => {
  let h: Harness;
  before(async () => {
    h = await harness({}, { uiRoot: join(tmpdir(), 'hookrelay-ui-never-built') });
  });
  after(async () => {
    await h.close();
  });

  it('answers / and /portal/ with a page that says to run npm run build:ui', async () => {
    for (const url of ['/', '/portal/']) {
      const res = await h.call({ method: 'GET', url, token: null });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /npm run build:ui/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
    assert.equal((await h.call({ method: 'GET', url: '/assets/x.js', token: null })).statusCode, 404);
  });
});
