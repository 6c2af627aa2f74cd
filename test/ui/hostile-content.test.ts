import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  attemptsFor,
  createApp,
  createEndpoint,
  createEventType,
  dashboardLogin,
  heading,
  launchBrowser,
  openPortal,
  portalLink,
  sendMessage,
  settled,
  startHookrelay,
  startSwitchableReceiver,
  suiteSkipReason,
  visible,
  withPage,
  type HookrelayProcess,
  type SwitchableReceiver,
} from './browser-harness.js';
import { expandAttemptWithCode } from './ui-helpers.js';

/**
 * Issue 17, acceptance 2, hostile content: a payload, a receiver's response body, an endpoint
 * description and an event type's description holding markup and a script-closing tag are shown
 * as text. Any dialog (alert(1), alert(2)) or page error fails the test (the harness's listeners);
 * no <img src="x"> ever reaches the DOM, and no script set the canary.
 */

const skip = suiteSkipReason();
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script><script>alert(2)</script>';
const CANARY = '<svg onload="window.__pwned=1">';

async function assertInert(page: Page, where: string): Promise<void> {
  assert.equal(
    await page.evaluate(() => document.querySelectorAll('img[src="x"]').length),
    0,
    `${where}: an <img src=x> was created`,
  );
  assert.equal(
    await page.evaluate(() => document.querySelectorAll('svg[onload]').length),
    0,
    `${where}: an <svg onload> was created`,
  );
  assert.equal(await page.evaluate(() => (window as any).__pwned), undefined, `${where}: injected script ran`);
}

describe('hostile content is shown as text', { skip }, () => {
  let server: HookrelayProcess;
  let browser: Browser;
  let receiver: SwitchableReceiver;
  let appId = '';
  let epId = '';
  let msgId = '';
  const eventType = 'hostile.event';

  before(async () => {
    [server, browser, receiver] = await Promise.all([
      startHookrelay({ HOOKRELAY_RETRY_SCHEDULE: '0,300' }),
      launchBrowser(),
      startSwitchableReceiver(),
    ]);
    receiver.answer.status = 500;
    receiver.answer.body = `upstream said: ${IMG} ${SCRIPT} ${CANARY}`;
    appId = (await createApp(server, `Hostile ${IMG}`)).id;
    await createEventType(server, eventType, `Description with ${IMG} and ${SCRIPT}`, {
      type: 'object',
      properties: { note: { type: 'string' } },
      examples: [{ note: SCRIPT }],
    });
    epId = (await createEndpoint(server, appId, { url: receiver.url, description: `desc ${IMG} ${SCRIPT}` })).id;
    msgId = (await sendMessage(server, appId, eventType, { note: IMG, closing: SCRIPT, canary: CANARY })).id;
    const attempts = await attemptsFor(server, appId, msgId);
    assert.equal(attempts[0].responseStatusCode, 500);
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await server?.stop();
  });

  test('portal message page: payload and response body as text', async () => {
    await withPage(browser, async ({ page }) => {
      await openPortal(page, await portalLink(server, appId));
      await page.evaluate((id) => {
        window.location.hash = `#/messages/${id}`;
      }, msgId);
      await visible(heading(page, 'Message'), 'the Message heading');
      const payload = await visible(page.getByLabel('Payload', { exact: true }), 'the "Payload" code block');
      const text = await payload.innerText();
      assert.ok(text.includes(IMG), `payload shows ${IMG} as text: ${text}`);
      assert.ok(text.includes(SCRIPT), `payload shows ${SCRIPT} as text: ${text}`);
      await expandAttemptWithCode(page, '500');
      const body = await visible(page.getByLabel('Response body', { exact: true }), 'the "Response body" code block');
      const bodyText = await body.innerText();
      assert.ok(
        bodyText.includes(IMG) && bodyText.includes(SCRIPT) && bodyText.includes(CANARY),
        `response body shown as text: ${bodyText}`,
      );
      await assertInert(page, 'message page');
    });
  });

  test('portal endpoints, endpoint detail and catalog: descriptions as text', async () => {
    await withPage(browser, async ({ page }) => {
      await openPortal(page, await portalLink(server, appId));
      await settled(page);
      await assertInert(page, 'endpoints list');
      await page.evaluate((id) => {
        window.location.hash = `#/endpoints/${id}`;
      }, epId);
      await visible(heading(page, receiver.url), 'the endpoint detail heading');
      await visible(page.getByText(`desc ${IMG} ${SCRIPT}`), 'the endpoint description as text');
      await page.getByRole('tab', { name: 'Messages', exact: true }).click();
      await settled(page);
      await assertInert(page, 'endpoint detail');
      await page.evaluate(() => {
        window.location.hash = '#/event-types';
      });
      await visible(heading(page, 'Event catalog'), 'the Event catalog heading');
      await visible(page.getByText(`Description with ${IMG} and ${SCRIPT}`), 'the event type description as text');
      const example = await visible(page.getByLabel('Example', { exact: true }), 'the "Example" code block');
      assert.ok((await example.innerText()).includes(SCRIPT));
      await assertInert(page, 'event catalog');
    });
  });

  test('dashboard: applications, failing endpoints and the message page stay inert', async () => {
    await withPage(browser, async ({ page }) => {
      await dashboardLogin(page, server.url);
      await page.goto(`${server.url}/#/apps`);
      await visible(
        page.getByRole('link', { name: `Hostile ${IMG}`, exact: true }),
        'the hostile app name as a link text',
      );
      await assertInert(page, 'applications');
      await page.goto(`${server.url}/#/failing`);
      await visible(heading(page, 'Failing endpoints'), 'the Failing endpoints heading');
      await settled(page);
      await assertInert(page, 'failing endpoints');
      await page.goto(`${server.url}/#/apps/${appId}/messages/${msgId}`);
      await visible(heading(page, 'Message'), 'the Message heading');
      assert.ok((await page.getByLabel('Payload', { exact: true }).innerText()).includes(IMG));
      await assertInert(page, 'dashboard message page');
    });
  });
});
