import type { AppId } from '../../src/ids.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { portalSession } from '../support/portal-login.js';
import { harness, type Harness } from './api-harness.js';

const DAY = 86_400_000;

/** Environment settings and per-application portal overrides. */
describe('environment settings and portal overrides', () => {
  let h: Harness;
  let appId: AppId;
  const patch = (payload: Record<string, unknown>, token?: string) =>
    h.call({ method: 'PATCH', url: '/api/v1/management/environment-settings', payload, token });

  before(async () => {
    h = await harness({ retentionDays: 30 });
    appId = (await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } })).json().id;
  });
  after(async () => {
    await h.close();
  });

  it('answers the defaults, with the configured retention, to any token', async () => {
    const session = await portalSession(h.call, 'acme', { capabilities: ['ViewBase'] });
    const res = await h.call({ method: 'GET', url: '/api/v1/environment/settings', token: session });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      customColor: null,
      logoUrl: null,
      customFontFamily: null,
      customFontFamilyUrl: null,
      displayName: null,
      colorPaletteLight: null,
      colorPaletteDark: null,
      enableChannels: false,
      enableMessageTags: false,
      theme: 'auto',
      frameAncestors: [],
      retentionDays: 30,
    });
  });

  it('PATCH changes only the fields given, null resets one, and new messages get the new retention', async () => {
    const res = await patch({
      customColor: '#1f6feb',
      displayName: 'Acme Webhooks',
      theme: 'dark',
      frameAncestors: ['https://app.example.com', "'self'"],
      retentionDays: 7,
      colorPaletteLight: { primary: '#fff' },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      [
        res.json().customColor,
        res.json().displayName,
        res.json().theme,
        res.json().frameAncestors,
        res.json().retentionDays,
        res.json().colorPaletteLight,
      ],
      ['#1f6feb', 'Acme Webhooks', 'dark', ['https://app.example.com', "'self'"], 7, { primary: '#fff' }],
    );
    const second = (await patch({ displayName: null, enableChannels: true })).json();
    assert.equal(second.displayName, null);
    assert.equal(second.enableChannels, true);
    assert.equal(second.customColor, '#1f6feb', 'untouched fields stay');
    assert.deepEqual((await h.call({ method: 'GET', url: '/api/v1/environment/settings' })).json(), second);

    const before = Date.now();
    const msg = (
      await h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { eventType: 'a.b', payload: {} } })
    ).json();
    const stored = await h.store.getMessage(appId, msg.id);
    assert.ok(
      stored!.payloadExpiresAt >= before + 7 * DAY && stored!.payloadExpiresAt <= Date.now() + 7 * DAY,
      'retention from the setting, not HOOKRELAY_RETENTION_DAYS',
    );

    assert.equal(
      (await patch({ retentionDays: null })).json().retentionDays,
      30,
      'null falls back to the configuration',
    );
  });

  it('refuses bad values with a 422 naming the field', async () => {
    const bad: Array<[Record<string, unknown>, Array<string | number>]> = [
      [{ customColor: 'red' }, ['body', 'customColor']],
      [{ customColor: '#12345' }, ['body', 'customColor']],
      [{ logoUrl: 'javascript:alert(1)' }, ['body', 'logoUrl']],
      [{ customFontFamilyUrl: 'ftp://fonts.example/x.css' }, ['body', 'customFontFamilyUrl']],
      [{ customFontFamily: 'Comic; Sans' }, ['body', 'customFontFamily']],
      [{ frameAncestors: ['https://app.example.com/path'] }, ['body', 'frameAncestors', 0]],
      [
        { frameAncestors: ['https://ok.example', "https://x.example; script-src 'unsafe-inline'"] },
        ['body', 'frameAncestors', 1],
      ],
      [{ frameAncestors: ['*'] }, ['body', 'frameAncestors', 0]],
      [{ frameAncestors: ['https://app.example.com:70000'] }, ['body', 'frameAncestors', 0]],
      [{ retentionDays: 0 }, ['body', 'retentionDays']],
      [{ retentionDays: 3651 }, ['body', 'retentionDays']],
      [{ theme: 'purple' }, ['body', 'theme']],
      [{ colorPaletteDark: { primary: 'blue' } }, ['body', 'colorPaletteDark', 'primary']],
      [{ enableTransformations: true }, ['body', 'enableTransformations']],
    ];
    for (const [payload, loc] of bad) {
      const res = await patch(payload);
      assert.equal(res.statusCode, 422, JSON.stringify(payload));
      assert.deepEqual(res.json().detail[0].loc, loc, `${JSON.stringify(payload)} → ${res.body}`);
    }
  });

  it('only admin tokens change environment settings', async () => {
    const session = await portalSession(h.call, 'acme');
    const res = await patch({ theme: 'light' }, session);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'insufficient_access');
  });

  it("an app's portal settings are the environment's with its overrides on top; null inherits", async () => {
    await patch({ customColor: '#111111', frameAncestors: ['https://env.example'], theme: 'dark', displayName: 'Env' });
    const put = await h.call({
      method: 'PUT',
      url: '/api/v1/app/acme/portal-settings',
      payload: { customColor: '#222', frameAncestors: ['https://acme.example'], theme: null },
    });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(put.json().overrides, { customColor: '#222', frameAncestors: ['https://acme.example'] });

    const session = await portalSession(h.call, 'acme', { capabilities: ['ViewBase'] });
    const got = (await h.call({ method: 'GET', url: `/api/v1/app/${appId}/portal-settings`, token: session })).json();
    assert.deepEqual(
      [got.customColor, got.frameAncestors, got.theme, got.displayName, got.overrides],
      [
        '#222',
        ['https://acme.example'],
        'dark',
        'Env',
        { customColor: '#222', frameAncestors: ['https://acme.example'] },
      ],
    );

    assert.deepEqual(
      (await h.call({ method: 'PUT', url: '/api/v1/app/acme/portal-settings', payload: {} })).json().overrides,
      {},
      'PUT replaces: absent fields inherit again',
    );
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/app/acme/portal-settings' })).json().customColor,
      '#111111',
    );
  });

  it('portal overrides: admin-only writes, validated, 404 for an unknown app, cleared with the app', async () => {
    const session = await portalSession(h.call, 'acme');
    assert.equal(
      (await h.call({ method: 'PUT', url: '/api/v1/app/acme/portal-settings', token: session, payload: {} }))
        .statusCode,
      403,
    );
    const bad = await h.call({ method: 'PUT', url: '/api/v1/app/acme/portal-settings', payload: { retentionDays: 3 } });
    assert.equal(bad.statusCode, 422, 'retention is not a portal override');
    assert.deepEqual(bad.json().detail[0].loc, ['body', 'retentionDays']);
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/app/ghost/portal-settings' })).statusCode, 404);

    const temp = (await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Temp' } })).json().id;
    await h.call({ method: 'PUT', url: `/api/v1/app/${temp}/portal-settings`, payload: { theme: 'light' } });
    assert.ok(await h.store.getSetting(`app:${temp}:portal`));
    assert.equal((await h.call({ method: 'DELETE', url: `/api/v1/app/${temp}` })).statusCode, 204);
    assert.equal(await h.store.getSetting(`app:${temp}:portal`), null);
  });
});
