import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  createApp,
  createEndpoint,
  dashboardLogin,
  heading,
  launchBrowser,
  openPortal,
  portalLink,
  startHookrelay,
  suiteSkipReason,
  visible,
  waitFor,
  withPage,
  type HookrelayProcess,
} from './browser-harness.js';

/**
 * Issue 17, acceptance 5, bad input: a form validates on the client (nothing is sent); a value
 * only the server refuses shows the server's 422 detail next to the field; a 5xx or a network
 * failure shows an error with "Try again" (never a blank page), and retrying works once the
 * API answers again.
 */

const skip = suiteSkipReason();

/** The error text wired to a field: aria-invalid and the element its aria-describedby names. */
async function fieldError(field: Locator): Promise<string> {
  return waitFor('an error next to the field', async () => {
    if ((await field.getAttribute('aria-invalid')) !== 'true') return null;
    const ids = (await field.getAttribute('aria-describedby')) ?? '';
    const texts = await field.evaluate(
      (el, list) =>
        list
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
          .join(' ')
          .trim(),
      ids,
    );
    return texts || null;
  });
}

function countRequests(page: Page, method: string, pathRe: RegExp): { n: number } {
  const seen = { n: 0 };
  page.on('request', (r) => {
    if (r.method() === method && pathRe.test(new URL(r.url()).pathname)) seen.n += 1;
  });
  return seen;
}

describe('bad input and failing API', { skip }, () => {
  let server: HookrelayProcess;
  let browser: Browser;
  let appId = '';
  let ep = { id: '', url: '' };

  before(async () => {
    [server, browser] = await Promise.all([startHookrelay(), launchBrowser()]);
    appId = (await createApp(server, 'Bad Input Co')).id;
    ep = await createEndpoint(server, appId, { url: 'http://127.0.0.1:9/existing', description: 'existing' });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('endpoint form: an invalid URL is refused on the client, nothing is sent', async () => {
    await withPage(browser, async ({ page }) => {
      await openPortal(page, await portalLink(server, appId));
      const posts = countRequests(page, 'POST', /\/api\/v1\/app\/[^/]+\/endpoint$/);
      await page.evaluate(() => {
        window.location.hash = '#/endpoints/new';
      });
      const url = page.getByLabel('Endpoint URL', { exact: true });
      await url.fill('not a url');
      await page.getByRole('button', { name: 'Create endpoint', exact: true }).click();
      const message = await fieldError(url);
      assert.ok(message.length > 0);
      assert.equal(posts.n, 0, 'no request for a form the client refuses');
      // Fixing the value makes the form submit.
      await url.fill('http://127.0.0.1:9/fixed');
      await page.getByRole('button', { name: 'Create endpoint', exact: true }).click();
      await visible(heading(page, 'http://127.0.0.1:9/fixed'), 'the created endpoint');
      assert.equal(posts.n, 1);
    });
  });

  test("event type form: the server's 422 detail shows next to the field", async () => {
    await withPage(browser, async ({ page }) => {
      await dashboardLogin(page, server.url);
      await page.goto(`${server.url}/#/event-types/new`);
      await page.getByLabel('Name', { exact: true }).fill('shipment.lost');
      // Valid JSON, but not a JSON Schema the server compiles ("type" must be a known type).
      const schemaField = page.getByLabel('JSON Schema', { exact: true });
      await schemaField.fill('{"type": "not-a-type"}');
      const answers: Array<{ status: number; body: string }> = [];
      page.on('response', async (r) => {
        if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/event-type')
          answers.push({ status: r.status(), body: await r.text().catch(() => '') });
      });
      await page.getByRole('button', { name: 'Create event type', exact: true }).click();
      await waitFor("the server's answer", () => answers[0]);
      assert.equal(answers[0].status, 422, `the server refused it: ${answers[0].body}`);
      const detail = JSON.parse(answers[0].body).detail as Array<{ loc: string[]; msg: string }>;
      const message = await fieldError(schemaField);
      assert.ok(
        detail.some((d) => message.includes(d.msg)),
        `the field shows the server's detail (${JSON.stringify(detail)}), got: ${message}`,
      );
      const r = await server.admin.call('GET', '/api/v1/event-type/shipment.lost');
      assert.equal(r.status, 404, 'nothing was created');
    });
  });

  test('endpoint form: a value only the server refuses shows its 422 detail next to the field', async () => {
    await withPage(browser, async ({ page }) => {
      await openPortal(page, await portalLink(server, appId));
      await page.evaluate(() => {
        window.location.hash = '#/endpoints/new';
      });
      await page.getByLabel('Endpoint URL', { exact: true }).fill('http://127.0.0.1:9/too-long');
      // The API takes descriptions of up to 8192 characters; the form leaves that to the server.
      const description = page.getByLabel('Description', { exact: true });
      await description.fill('x'.repeat(9000));
      const answers: Array<{ status: number; body: string }> = [];
      page.on('response', async (r) => {
        if (r.request().method() === 'POST' && /\/api\/v1\/app\/[^/]+\/endpoint$/.test(new URL(r.url()).pathname))
          answers.push({ status: r.status(), body: await r.text().catch(() => '') });
      });
      await page.getByRole('button', { name: 'Create endpoint', exact: true }).click();
      await waitFor("the server's answer", () => answers[0]);
      assert.equal(answers[0].status, 422, `the server refused it: ${answers[0].body}`);
      const detail = JSON.parse(answers[0].body).detail as Array<{ loc: string[]; msg: string }>;
      const message = await fieldError(description);
      assert.ok(
        detail.some((d) => message.includes(d.msg)),
        `the Description field shows the server's detail (${JSON.stringify(detail)}), got: ${message}`,
      );
      const list = await server.admin.expect(200, 'GET', `/api/v1/app/${appId}/endpoint`);
      assert.ok(!(list.data as Array<{ url: string }>).some((e) => e.url.endsWith('/too-long')), 'nothing was created');
    });
  });

  test('endpoint form: a rate limit out of range is refused on the client', async () => {
    await withPage(browser, async ({ page }) => {
      await openPortal(page, await portalLink(server, appId));
      const posts = countRequests(page, 'POST', /\/api\/v1\/app\/[^/]+\/endpoint$/);
      await page.evaluate(() => {
        window.location.hash = '#/endpoints/new';
      });
      await page.getByLabel('Endpoint URL', { exact: true }).fill('http://127.0.0.1:9/rate');
      const rate = page.getByLabel('Rate limit (messages per second)', { exact: true });
      await rate.fill('70000');
      await page.getByRole('button', { name: 'Create endpoint', exact: true }).click();
      assert.ok((await fieldError(rate)).length > 0, 'an error next to "Rate limit"');
      assert.equal(posts.n, 0);
    });
  });

  for (const failure of ['500', 'network'] as const) {
    test(`endpoints page: a ${failure} failure shows "Try again", and retry works`, async () => {
      await withPage(browser, async (w) => {
        const { page } = w;
        await openPortal(page, await portalLink(server, appId));
        const pattern = '**/api/v1/app/*/endpoint*';
        await page.route(pattern, (route) =>
          failure === '500'
            ? route.fulfill({
                status: 500,
                contentType: 'application/json',
                body: JSON.stringify({ code: 'internal_error', detail: 'Simulated server failure.' }),
              })
            : route.abort('failed'),
        );
        await page.reload();
        const retry = await visible(page.getByRole('button', { name: 'Try again', exact: true }), '"Try again"');
        await visible(page.getByRole('alert'), 'the error message');
        if (failure === '500') await visible(page.getByText('Simulated server failure.'), "the server's detail");
        assert.ok((await page.locator('body').innerText()).trim().length > 0, 'never a blank page');
        assert.equal(await page.getByRole('link', { name: ep.url, exact: true }).count(), 0);
        await page.unroute(pattern);
        await retry.click();
        await visible(page.getByRole('link', { name: ep.url, exact: true }), 'the endpoint list after retrying');
        assert.equal(await page.getByRole('button', { name: 'Try again', exact: true }).count(), 0);
        // Failed fetches log console errors by design; page errors and dialogs still fail the test.
      });
    });
  }

  test('dashboard overview: a 5xx from the stats shows "Try again", and retry works', async () => {
    await withPage(browser, async ({ page }) => {
      await dashboardLogin(page, server.url);
      const pattern = '**/api/v1/stats/overview*';
      await page.route(pattern, (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'store_unavailable', detail: 'Simulated outage.' }),
        }),
      );
      await page.reload();
      await visible(heading(page, 'Overview'), 'the Overview heading (the page frame still renders)');
      const retry = await visible(page.getByRole('button', { name: 'Try again', exact: true }), '"Try again"');
      await page.unroute(pattern);
      await retry.click();
      await visible(page.getByText('Queue depth', { exact: true }), 'the overview stats after retrying');
      await waitFor(
        'the error gone',
        async () => (await page.getByRole('button', { name: 'Try again', exact: true }).count()) === 0,
      );
    });
  });
});
