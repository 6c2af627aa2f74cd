import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  createApp,
  createEventType,
  heading,
  launchBrowser,
  openPortal,
  portalLink,
  startHookrelay,
  startSwitchableReceiver,
  suiteSkipReason,
  tabTo,
  visible,
  waitFor,
  withPage,
  UI_ADMIN_TOKEN,
  type HookrelayProcess,
  type SwitchableReceiver,
} from './browser-harness.js';
import { keyboardSelectTab } from './ui-helpers.js';

/**
 * Issue 17, acceptance 2, keyboard: the main actions are reached with Tab and activated with
 * Enter/Space only — no mouse clicks, no locator fills: sign in, open an app, open the
 * create-endpoint form, fill and submit it, send an example, rotate the secret.
 */

const skip = suiteSkipReason();

describe('keyboard only', { skip }, () => {
  let server: HookrelayProcess;
  let browser: Browser;
  let receiver: SwitchableReceiver;
  let appId = '';
  const eventType = 'order.shipped';

  before(async () => {
    [server, browser, receiver] = await Promise.all([startHookrelay(), launchBrowser(), startSwitchableReceiver()]);
    appId = (await createApp(server, 'Keyboard Co')).id;
    await createEventType(server, eventType, 'An order left the warehouse.', {
      type: 'object',
      properties: { orderId: { type: 'string' } },
      examples: [{ orderId: 'ord_42' }],
    });
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await server?.stop();
  });

  test('dashboard: sign in, open an app, create an endpoint, send an example, rotate the secret', async () => {
    await withPage(browser, async ({ page }) => {
      await page.goto(`${server.url}/`);
      await visible(heading(page, 'Sign in to Hookrelay'), 'the sign-in page');
      await tabTo(page, page.getByLabel('Admin token', { exact: true }), 'the "Admin token" field');
      await page.keyboard.type(UI_ADMIN_TOKEN);
      await tabTo(page, page.getByRole('button', { name: 'Sign in', exact: true }), 'the "Sign in" button');
      await page.keyboard.press('Enter');
      await visible(heading(page, 'Overview'), 'the Overview after signing in');

      await tabTo(
        page,
        page.getByRole('navigation').getByRole('link', { name: 'Applications', exact: true }),
        'the "Applications" link',
      );
      await page.keyboard.press('Enter');
      await visible(heading(page, 'Applications'), 'the Applications page');
      await tabTo(page, page.getByRole('link', { name: 'Keyboard Co', exact: true }), "the app's link");
      await page.keyboard.press('Enter');
      await visible(heading(page, 'Endpoints'), "the app's Endpoints");
      assert.ok(page.url().includes(`#/apps/${appId}`), page.url());

      await tabTo(
        page,
        page
          .getByRole('link', { name: 'Add endpoint', exact: true })
          .or(page.getByRole('button', { name: 'Add endpoint', exact: true })),
        '"Add endpoint"',
      );
      await page.keyboard.press('Enter');
      await tabTo(page, page.getByLabel('Endpoint URL', { exact: true }), 'the "Endpoint URL" field');
      await page.keyboard.type(receiver.url);
      await tabTo(page, page.getByRole('checkbox', { name: eventType, exact: true }), `the "${eventType}" checkbox`);
      await page.keyboard.press('Space');
      assert.equal(
        await page.getByRole('checkbox', { name: eventType, exact: true }).isChecked(),
        true,
        'Space checks the event type',
      );
      await tabTo(
        page,
        page.getByRole('button', { name: 'Create endpoint', exact: true }),
        'the "Create endpoint" button',
      );
      await page.keyboard.press('Enter');
      await visible(heading(page, receiver.url), "the new endpoint's detail page");

      await keyboardSelectTab(page, 'Testing');
      await tabTo(page, page.getByLabel('Event type', { exact: true }), 'the "Event type" select');
      await page.keyboard.press('ArrowDown'); // make sure an event type is chosen (the first is)
      await waitFor(
        'an event type chosen',
        async () => (await page.getByLabel('Event type', { exact: true }).inputValue()) === eventType,
      );
      await tabTo(page, page.getByRole('button', { name: 'Send example', exact: true }), '"Send example"');
      await page.keyboard.press('Enter');
      const req = await receiver.nth(1);
      assert.deepEqual(JSON.parse(req.body), { orderId: 'ord_42' });

      await keyboardSelectTab(page, 'Overview');
      await tabTo(page, page.getByRole('button', { name: 'Rotate secret', exact: true }), '"Rotate secret"');
      await page.keyboard.press('Enter');
      const dialog = await visible(page.getByRole('dialog'), 'the rotate dialog');
      await tabTo(
        page,
        dialog.getByRole('button', { name: 'Rotate', exact: true }),
        'the dialog\'s "Rotate" button',
        10,
      );
      await page.keyboard.press('Enter');
      await visible(page.getByText(/previous secret keeps signing until/), 'the grace-period text');
    });
  });

  test('portal: open an endpoint and its tabs with the keyboard; Escape closes a dialog', async () => {
    const link = await portalLink(server, appId);
    await withPage(browser, async ({ page }) => {
      await openPortal(page, link);
      await tabTo(page, page.getByRole('link', { name: receiver.url, exact: true }), 'the endpoint link');
      await page.keyboard.press('Enter');
      await visible(heading(page, receiver.url), 'the endpoint detail');
      await tabTo(page, page.getByRole('tab', { name: 'Overview', exact: true }), 'the tab list');
      await page.keyboard.press('ArrowRight');
      await waitFor(
        'the Messages tab selected by ArrowRight',
        async () =>
          (await page.getByRole('tab', { name: 'Messages', exact: true }).getAttribute('aria-selected')) === 'true',
      );
      await page.keyboard.press('ArrowLeft');
      await tabTo(page, page.getByRole('button', { name: 'Delete', exact: true }), '"Delete"');
      await page.keyboard.press('Enter');
      await visible(page.getByRole('dialog'), 'the delete confirmation');
      await page.keyboard.press('Escape');
      await waitFor('the dialog closed by Escape', async () => (await page.getByRole('dialog').count()) === 0);
      await visible(heading(page, receiver.url), 'still the endpoint detail (nothing deleted)');
      const r = await server.admin.call('GET', `/api/v1/app/${appId}/endpoint`);
      assert.equal((r.body as any).data.length, 1, 'the endpoint still exists');
    });
  });
});
