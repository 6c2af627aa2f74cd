import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  createApp,
  createEndpoint,
  exchangeKey,
  heading,
  settled,
  launchBrowser,
  openPortal,
  portalLink,
  startHookrelay,
  suiteSkipReason,
  visible,
  withPage,
  type HookrelayProcess,
} from './browser-harness.js';

/**
 * Issue 17, acceptance 2, capabilities: what a portal session cannot do is absent from the UI
 * AND refused by the API (403 insufficient_capability) with that session's own token (a fresh
 * link's key exchanged through POST /auth/one-time-token); an app-A session reads nothing of
 * app B (API 403/404, the UI an error page with none of B's data).
 */

const skip = suiteSkipReason();

async function call(
  server: HookrelayProcess,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('portal capabilities', { skip }, () => {
  let server: HookrelayProcess;
  let browser: Browser;
  let appA = '';
  let appB = '';
  let epA = { id: '', url: '' };
  let epB = { id: '', url: '' };

  before(async () => {
    [server, browser] = await Promise.all([startHookrelay(), launchBrowser()]);
    appA = (await createApp(server, 'Customer A')).id;
    appB = (await createApp(server, 'Customer B')).id;
    epA = await createEndpoint(server, appA, { url: 'http://127.0.0.1:9/a-hook', description: 'A endpoint' });
    epB = await createEndpoint(server, appB, {
      url: 'http://127.0.0.1:9/b-secret-hook',
      description: 'B private endpoint',
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openEndpoint(page: Page, url: string): Promise<void> {
    await page.getByRole('link', { name: url, exact: true }).click();
    await visible(heading(page, url), 'the endpoint detail heading');
    await visible(page.getByText('Signing secret', { exact: true }), 'the "Signing secret" card');
  }

  test('all capabilities (positive control): create/edit/delete and the secret are offered', async () => {
    const link = await portalLink(server, appA);
    await withPage(browser, async ({ page }) => {
      await openPortal(page, link);
      await visible(
        page
          .getByRole('link', { name: 'Add endpoint', exact: true })
          .or(page.getByRole('button', { name: 'Add endpoint', exact: true })),
        '"Add endpoint"',
      );
      await openEndpoint(page, epA.url);
      for (const name of ['Edit', 'Delete', 'Reveal secret', 'Rotate secret']) {
        await visible(
          page.getByRole('button', { name, exact: true }).or(page.getByRole('link', { name, exact: true })),
          `"${name}"`,
        );
      }
      await page.getByRole('button', { name: 'Reveal secret', exact: true }).click();
      await visible(page.locator('code').filter({ hasText: /^whsec_/ }), 'the revealed whsec_ secret');
    });
  });

  test('ViewBase only: no secret, no create/edit/delete; the API answers 403 for both', async () => {
    const link = await portalLink(server, appA, { capabilities: ['ViewBase'] });
    await withPage(browser, async ({ page }) => {
      await openPortal(page, link);
      await visible(page.getByRole('link', { name: epA.url, exact: true }), 'the endpoint in the list');
      assert.equal(
        (await page.getByRole('link', { name: 'Add endpoint' }).count()) +
          (await page.getByRole('button', { name: 'Add endpoint' }).count()),
        0,
        '"Add endpoint" is absent',
      );
      await openEndpoint(page, epA.url);
      for (const name of ['Reveal secret', 'Rotate secret', 'Edit', 'Delete', 'Disable']) {
        assert.equal(
          (await page.getByRole('button', { name, exact: true }).count()) +
            (await page.getByRole('link', { name, exact: true }).count()),
          0,
          `"${name}" is absent`,
        );
      }
      assert.equal(
        await page
          .locator('code')
          .filter({ hasText: /whsec_/ })
          .count(),
        0,
        'no secret on the page',
      );
      assert.equal(await page.getByText(/whsec_/).count(), 0, 'no secret text anywhere');
    });
    const session = await exchangeKey(server, (await portalLink(server, appA, { capabilities: ['ViewBase'] })).key);
    assert.deepEqual(session.capabilities, ['ViewBase']);
    assert.equal(session.appId, appA);
    const list = await call(server, session.token, 'GET', `/api/v1/app/${appA}/endpoint`);
    assert.equal(list.status, 200, 'ViewBase can read the endpoints');
    const secret = await call(server, session.token, 'GET', `/api/v1/app/${appA}/endpoint/${epA.id}/secret`);
    assert.equal(secret.status, 403, JSON.stringify(secret.body));
    assert.equal(secret.body.code, 'insufficient_capability');
    const create = await call(server, session.token, 'POST', `/api/v1/app/${appA}/endpoint`, {
      url: 'http://127.0.0.1:9/new',
    });
    assert.equal(create.status, 403, JSON.stringify(create.body));
    assert.equal(create.body.code, 'insufficient_capability');
  });

  test('ViewEndpointSecret without ManageEndpoint: the secret shows, create/edit/delete do not', async () => {
    const caps = ['ViewBase', 'ViewEndpointSecret'];
    await withPage(browser, async ({ page }) => {
      await openPortal(page, await portalLink(server, appA, { capabilities: caps }));
      await visible(page.getByRole('link', { name: epA.url, exact: true }), 'the endpoint in the list');
      assert.equal(
        (await page.getByRole('link', { name: 'Add endpoint' }).count()) +
          (await page.getByRole('button', { name: 'Add endpoint' }).count()),
        0,
        '"Add endpoint" is absent',
      );
      await openEndpoint(page, epA.url);
      for (const name of ['Edit', 'Delete', 'Rotate secret']) {
        assert.equal(
          (await page.getByRole('button', { name, exact: true }).count()) +
            (await page.getByRole('link', { name, exact: true }).count()),
          0,
          `"${name}" is absent`,
        );
      }
      await page.getByRole('button', { name: 'Reveal secret', exact: true }).click();
      await visible(page.locator('code').filter({ hasText: /^whsec_/ }), 'the revealed whsec_ secret');
      // The edit form by URL is no way around it either: no submit button.
      await page.evaluate((id) => {
        window.location.hash = `#/endpoints/${id}/edit`;
      }, epA.id);
      await page.waitForFunction((id) => window.location.hash.endsWith(`/endpoints/${id}/edit`), epA.id);
      await visible(page.getByRole('alert').or(page.getByRole('heading')), "the edit route's page");
      await settled(page);
      assert.equal(
        await page.getByRole('button', { name: 'Save changes', exact: true }).count(),
        0,
        '"Save changes" is absent',
      );
    });
    const session = await exchangeKey(server, (await portalLink(server, appA, { capabilities: caps })).key);
    const secret = await call(server, session.token, 'GET', `/api/v1/app/${appA}/endpoint/${epA.id}/secret`);
    assert.equal(secret.status, 200);
    for (const [method, path, body] of [
      ['POST', `/api/v1/app/${appA}/endpoint`, { url: 'http://127.0.0.1:9/new' }],
      ['PATCH', `/api/v1/app/${appA}/endpoint/${epA.id}`, { description: 'changed' }],
      ['DELETE', `/api/v1/app/${appA}/endpoint/${epA.id}`, undefined],
    ] as const) {
      const r = await call(server, session.token, method, path, body);
      assert.equal(r.status, 403, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 'insufficient_capability');
    }
    const still = await server.admin.expect(200, 'GET', `/api/v1/app/${appA}/endpoint/${epA.id}`);
    assert.equal(still.description, 'A endpoint');
  });

  test('an app-A session reads nothing of app B: API 403/404, UI error page', async () => {
    const link = await portalLink(server, appA);
    const session = await exchangeKey(server, (await portalLink(server, appA)).key);
    for (const path of [
      `/api/v1/app/${appB}/endpoint`,
      `/api/v1/app/${appB}/endpoint/${epB.id}`,
      `/api/v1/app/${appB}/endpoint/${epB.id}/secret`,
      `/api/v1/app/${appB}/msg`,
      `/api/v1/app/${appA}/endpoint/${epB.id}`,
    ]) {
      const r = await call(server, session.token, 'GET', path);
      assert.ok(
        r.status === 403 || r.status === 404,
        `GET ${path} with app A's session: ${r.status} ${JSON.stringify(r.body)}`,
      );
      assert.ok(!JSON.stringify(r.body).includes('b-secret-hook'), `no app-B data in ${path}`);
    }
    await withPage(browser, async ({ page }) => {
      await openPortal(page, link);
      await page.evaluate((id) => {
        window.location.hash = `#/endpoints/${id}`;
      }, epB.id);
      await visible(page.getByRole('alert'), "an error page for app B's endpoint");
      await visible(
        page.getByRole('heading', { name: /Not found|Not allowed|Something went wrong/ }),
        'the error heading',
      );
      assert.equal(await page.getByText('b-secret-hook').count(), 0, "none of app B's data is shown");
      assert.equal(await heading(page, epB.url).count(), 0);
    });
  });
});
