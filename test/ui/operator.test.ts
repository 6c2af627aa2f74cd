import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertClean,
  dashboardLogin,
  heading,
  launchBrowser,
  newWatchedPage,
  signaturesVerifiedBy,
  startHookrelay,
  startSwitchableReceiver,
  storySteps,
  suiteSkipReason,
  visible,
  waitFor,
  type HookrelayProcess,
  type SwitchableReceiver,
  type WatchedPage,
} from './browser-harness.js';
import { attemptResponseCodes, expandAttemptWithCode, openTab } from './ui-helpers.js';

/**
 * Issue 17, acceptance 2, operator flow — one story through the dashboard against a real server
 * and a real receiver: log in; create an app, an event type (schema + example), an endpoint;
 * send-example; the delivered message with its attempt; a 500 with a body shown on the failed
 * attempt; Resend → success; rotate the secret → grace period shown, the next delivery carries
 * two signatures and both verify at the receiver (old and new secret).
 *
 * The retry schedule is "0,300": a failed delivery's next automatic retry is minutes away, so
 * the success after the 500 can only come from the Resend button.
 */

const skip = suiteSkipReason();

describe('operator flow (dashboard)', { skip }, () => {
  let server: HookrelayProcess;
  let browser: Browser;
  let receiver: SwitchableReceiver;
  let w: WatchedPage;
  let page: Page;
  const appName = 'Acme Operator Test';
  const eventType = 'invoice.paid';
  const example = { invoiceId: 'inv_1001', amount: 4200, currency: 'EUR' };
  let appId = '';
  let endpointPath = '';

  before(async () => {
    [server, browser, receiver] = await Promise.all([
      startHookrelay({ HOOKRELAY_RETRY_SCHEDULE: '0,300' }),
      launchBrowser(),
      startSwitchableReceiver(),
    ]);
    w = await newWatchedPage(browser);
    page = w.page;
  });
  after(async () => {
    await w?.context.close().catch(() => undefined);
    await browser?.close();
    await receiver?.close();
    await server?.stop();
  });
  afterEach(() => assertClean(w));
  const step = storySteps(test);

  step('logs in with the admin token and shows the overview', async () => {
    await dashboardLogin(page, server.url);
    await visible(page.getByRole('button', { name: 'Sign out', exact: true }), 'the "Sign out" button');
  });

  step('creates an application', async () => {
    await page.goto(`${server.url}/#/apps`);
    await visible(heading(page, 'Applications'), 'the Applications heading');
    await page.getByRole('button', { name: 'Create application', exact: true }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(appName);
    await dialog.getByLabel('UID (optional)', { exact: true }).fill('acme-operator');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    const apps = await waitFor('the new application in the API', async () => {
      const list = await server.admin.expect(200, 'GET', '/api/v1/app?limit=50');
      return (list.data as Array<{ id: string; name: string; uid: string }>).find((a) => a.name === appName);
    });
    assert.equal(apps.uid, 'acme-operator');
    appId = apps.id;
    // Creating opens the new app.
    await waitFor(`the app page #/apps/${appId}`, () => page.url().includes(`#/apps/${appId}`));
    await visible(heading(page, 'Endpoints'), "the new app's Endpoints heading");
    // The list links it by name.
    await page.goto(`${server.url}/#/apps`);
    const link = await visible(
      page.getByRole('link', { name: appName, exact: true }),
      `a link named "${appName}" on the Applications page`,
    );
    assert.equal(await link.getAttribute('href'), `#/apps/${appId}`);
    await link.click();
    await visible(heading(page, 'Endpoints'), "the app page's Endpoints heading");
    assert.ok(page.url().endsWith(`#/apps/${appId}`) || page.url().includes(`#/apps/${appId}/`), page.url());
  });

  step('creates an event type with a JSON Schema and an example', async () => {
    await page.goto(`${server.url}/#/event-types`);
    await visible(heading(page, 'Event types'), 'the Event types heading');
    await page
      .getByRole('button', { name: 'New event type', exact: true })
      .or(page.getByRole('link', { name: 'New event type', exact: true }))
      .click();
    await page.getByLabel('Name', { exact: true }).fill(eventType);
    await page.getByLabel('Description', { exact: true }).fill('An invoice was paid in full.');
    const schema = {
      type: 'object',
      properties: { invoiceId: { type: 'string' }, amount: { type: 'integer' }, currency: { type: 'string' } },
      required: ['invoiceId', 'amount'],
    };
    await page.getByLabel('JSON Schema', { exact: true }).fill(JSON.stringify(schema, null, 2));
    await page.getByLabel('Example payload', { exact: true }).fill(JSON.stringify(example, null, 2));
    await page.getByRole('button', { name: 'Create event type', exact: true }).click();
    const saved = await waitFor('the event type in the API', async () => {
      const r = await server.admin.call('GET', `/api/v1/event-type/${eventType}`);
      return r.status === 200 ? (r.body as { description: string; schemas: Record<string, any> }) : null;
    });
    assert.equal(saved.description, 'An invoice was paid in full.');
    const stored = Object.values(saved.schemas ?? {})[0];
    assert.ok(stored, `no schema stored: ${JSON.stringify(saved)}`);
    assert.deepEqual(stored.properties, schema.properties);
    assert.deepEqual(
      stored.examples?.[0],
      example,
      `the example is stored as the schema's examples[0]: ${JSON.stringify(stored)}`,
    );
    await page.goto(`${server.url}/#/event-types/${eventType}`);
    await visible(page.getByText(eventType, { exact: true }), `the event type page naming ${eventType}`);
  });

  step('creates an endpoint pointing at the receiver', async () => {
    await page.goto(`${server.url}/#/apps/${appId}`);
    await page
      .getByRole('link', { name: 'Add endpoint', exact: true })
      .or(page.getByRole('button', { name: 'Add endpoint', exact: true }))
      .click();
    await page.getByLabel('Endpoint URL', { exact: true }).fill(receiver.url);
    await page.getByLabel('Description', { exact: true }).fill('Operator test receiver');
    await page.getByRole('checkbox', { name: eventType, exact: true }).check();
    await page.getByRole('button', { name: 'Create endpoint', exact: true }).click();
    await visible(heading(page, receiver.url), 'the endpoint detail heading (its URL)');
    const m = /#\/apps\/[^/]+\/endpoints\/([^/?]+)/.exec(page.url());
    assert.ok(m, `the detail page's URL names the endpoint: ${page.url()}`);
    endpointPath = `#/apps/${appId}/endpoints/${m[1]}`;
    const ep = await server.admin.expect(200, 'GET', `/api/v1/app/${appId}/endpoint/${m[1]}`);
    assert.equal(ep.url, receiver.url);
    assert.deepEqual(ep.filterTypes, [eventType]);
  });

  step('send-example delivers; the message page shows it with its attempt', async () => {
    await sendExample(page, eventType);
    const req = await receiver.nth(1);
    assert.deepEqual(JSON.parse(req.body), example);
    await openTab(page, 'Messages');
    // The endpoint's message log links the message by its event type or id.
    const row = page
      .getByRole('link', { name: eventType })
      .or(page.getByRole('link', { name: String(req.headers['webhook-id']) }));
    await visible(row, 'a message row linking the sent example');
    await row.first().click();
    await visible(heading(page, 'Message'), 'the Message heading');
    const payload = await visible(page.getByLabel('Payload', { exact: true }), 'the "Payload" code block');
    assert.deepEqual(JSON.parse(await payload.innerText()), example);
    await waitFor('an attempt with response code 200', async () => (await attemptResponseCodes(page)).includes('200'));
  });

  let failedMsgId = '';
  step('a 500 with a body shows as a failed attempt with that response body', async () => {
    receiver.answer.status = 500;
    receiver.answer.body = 'receiver exploded: database on fire';
    await page.goto(`${server.url}/${endpointPath}`);
    await sendExample(page, eventType);
    const req = await receiver.nth(2);
    failedMsgId = String(req.headers['webhook-id']);
    await page.goto(`${server.url}/#/apps/${appId}/messages/${failedMsgId}`);
    await visible(heading(page, 'Message'), 'the Message heading');
    await waitFor(
      'an attempt with response code 500',
      async () => {
        const codes = await attemptResponseCodes(page);
        if (!codes.includes('500')) await page.reload();
        return codes.includes('500');
      },
      10_000,
      500,
    );
    await expandAttemptWithCode(page, '500');
    const body = await visible(page.getByLabel('Response body', { exact: true }), 'the "Response body" code block');
    assert.match(await body.innerText(), /receiver exploded: database on fire/);
  });

  step('the failing endpoint is listed under "Failing endpoints" with its last error', async () => {
    await page.goto(`${server.url}/#/failing`);
    await visible(heading(page, 'Failing endpoints'), 'the Failing endpoints heading');
    const row = page.getByRole('row').filter({ hasText: receiver.url });
    await visible(row, `a row for ${receiver.url}`);
    await visible(
      row
        .getByRole('button', { name: 'Recover', exact: true })
        .or(row.getByRole('link', { name: 'Recover', exact: true })),
      'the row\'s "Recover" action',
    );
    assert.match(await row.innerText(), /500/, "the row shows the last error's status");
    await page.goto(`${server.url}/#/apps/${appId}/messages/${failedMsgId}`);
    await visible(heading(page, 'Message'), 'the Message heading');
  });

  step('Resend after the receiver recovers → a successful attempt', async () => {
    receiver.answer.status = 200;
    receiver.answer.body = 'ok again';
    const before = receiver.requests.length;
    await page.getByRole('button', { name: 'Resend', exact: true }).first().click();
    const req = await receiver.nth(before + 1);
    assert.equal(String(req.headers['webhook-id']), failedMsgId);
    await waitFor(
      'the page to show the 200 attempt beside the 500',
      async () => {
        const codes = await attemptResponseCodes(page);
        if (!codes.includes('200')) await page.reload();
        return codes.includes('200') && codes.includes('500');
      },
      10_000,
      500,
    );
  });

  step('rotating the secret shows the grace period; both signatures verify at the receiver', async () => {
    await page.goto(`${server.url}/${endpointPath}`);
    for (const figure of ['Succeeded', 'Failed', 'Pending'])
      await visible(page.getByText(figure, { exact: true }), `the "${figure}" figure`);
    await visible(page.getByText('Signing secret', { exact: true }), 'the "Signing secret" card');
    await page.getByRole('button', { name: 'Reveal secret', exact: true }).click();
    const shown = await visible(page.locator('code').filter({ hasText: /^whsec_/ }), 'the revealed whsec_ secret');
    const oldSecret = (await shown.innerText()).trim();
    const epId = endpointPath.split('/').pop()!;
    const apiOld = await server.admin.expect(200, 'GET', `/api/v1/app/${appId}/endpoint/${epId}/secret`);
    assert.equal(oldSecret, apiOld.key, "the revealed secret is the endpoint's secret");

    await page.getByRole('button', { name: 'Rotate secret', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate', exact: true }).click();
    await visible(page.getByText(/previous secret keeps signing until/), 'the grace-period text');
    const apiNew = await server.admin.expect(200, 'GET', `/api/v1/app/${appId}/endpoint/${epId}/secret`);
    assert.notEqual(apiNew.key, oldSecret, 'the secret changed');

    const before = receiver.requests.length;
    await sendExample(page, eventType);
    const req = await receiver.nth(before + 1);
    const sigs = String(req.headers['webhook-signature']).split(' ').filter(Boolean);
    assert.equal(sigs.length, 2, `two signatures during the grace period: ${req.headers['webhook-signature']}`);
    const byOld = signaturesVerifiedBy(req, oldSecret);
    const byNew = signaturesVerifiedBy(req, apiNew.key);
    assert.equal(byOld.length, 1, 'exactly one signature verifies with the old secret');
    assert.equal(byNew.length, 1, 'exactly one signature verifies with the new secret');
    assert.notEqual(byOld[0], byNew[0], 'the two signatures come from the two secrets');
  });

  step('"Open portal link" mints a link that opens this app\'s portal', async () => {
    await page.goto(`${server.url}/#/apps/${appId}`);
    await page.getByRole('button', { name: 'Open portal link', exact: true }).click();
    const field = await visible(page.getByLabel('Portal link', { exact: true }), 'the "Portal link" field');
    const url = await field.inputValue();
    assert.ok(url.startsWith(`${server.url}/portal/?app=${appId}#key=`), url);
    const popup = await w.context.newPage();
    try {
      await popup.goto(url);
      await visible(heading(popup, 'Endpoints'), 'the portal opened from the link');
      await visible(popup.getByRole('link', { name: receiver.url, exact: true }), "this app's endpoint in the portal");
    } finally {
      await popup.close();
    }
  });

  step('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await visible(heading(page, 'Sign in to Hookrelay'), 'the sign-in page after signing out');
    await page.reload();
    await visible(heading(page, 'Sign in to Hookrelay'), 'the sign-in page after a reload (token forgotten)');
  });
});

async function sendExample(page: Page, eventType: string): Promise<void> {
  await openTab(page, 'Testing');
  await page.getByLabel('Event type', { exact: true }).selectOption(eventType);
  await page.getByRole('button', { name: 'Send example', exact: true }).click();
}
