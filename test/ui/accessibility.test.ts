import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertClean,
  attemptsFor,
  axeSeriousViolations,
  createApp,
  createEndpoint,
  createEventType,
  dashboardLogin,
  formatViolations,
  heading,
  launchBrowser,
  newWatchedPage,
  openPortal,
  portalLink,
  screenshot,
  sendMessage,
  settled,
  startHookrelay,
  startSwitchableReceiver,
  suiteSkipReason,
  visible,
  withPage,
  type HookrelayProcess,
  type SwitchableReceiver,
  type WatchedPage,
} from './browser-harness.js';
import { expandAttemptWithCode, openTab } from './ui-helpers.js';

/**
 * Issue 17, acceptance 2, accessibility: axe-core (injected over CDP, so the page's CSP does not
 * stand in the way) over every page of both apps, with realistic data (succeeded and failed
 * deliveries, an event catalog); no `serious` or `critical` violation. With SCREENSHOTS=1 the
 * main pages are saved to docs/screenshots/ (1280×800 viewport, full page).
 */

const skip = suiteSkipReason();

interface PageSpec {
  name: string;
  hash: string;
  /** The heading that says the page is there (null: any heading in <main>). */
  expect: string | null;
  /** Something to do before the audit (open a tab, expand a row). */
  prepare?: (page: Page) => Promise<void>;
  shot?: string;
}

async function audit(page: Page, base: string, spec: PageSpec): Promise<void> {
  await page.goto(`${base}${spec.hash}`);
  if (spec.expect) await visible(heading(page, spec.expect), `the "${spec.expect}" heading on ${spec.hash}`);
  else await visible(page.locator('main').getByRole('heading'), `a heading in <main> on ${spec.hash}`);
  await settled(page);
  if (spec.prepare) {
    await spec.prepare(page);
    await settled(page);
  }
  if (spec.shot) await screenshot(page, spec.shot);
  const violations = await axeSeriousViolations(page);
  assert.equal(violations.length, 0, formatViolations(`${spec.name} (${spec.hash})`, violations));
}

describe('accessibility: axe over every page', { skip }, () => {
  let server: HookrelayProcess;
  let browser: Browser;
  let ok: SwitchableReceiver;
  let failing: SwitchableReceiver;
  let appId = '';
  let epOk = { id: '', url: '' };
  let msgFailed = '';
  const eventTypes = ['invoice.paid', 'invoice.voided', 'customer.created'];

  before(async () => {
    [server, browser, ok, failing] = await Promise.all([
      startHookrelay({ HOOKRELAY_RETRY_SCHEDULE: '0,300' }),
      launchBrowser(),
      startSwitchableReceiver(),
      startSwitchableReceiver(),
    ]);
    failing.answer.status = 503;
    failing.answer.body = '{"error":"maintenance window"}';
    appId = (await createApp(server, 'Acme Corp', 'acme')).id;
    await createApp(server, 'Globex', 'globex');
    for (const name of eventTypes) {
      await createEventType(server, name, `Sent when ${name.replace('.', ' is ')}.`, {
        type: 'object',
        properties: { id: { type: 'string' }, amount: { type: 'integer' } },
        required: ['id'],
        examples: [{ id: `${name.split('.')[0]}_1`, amount: 1200 }],
      });
    }
    epOk = await createEndpoint(server, appId, {
      url: ok.url,
      description: 'Billing service',
      filterTypes: ['invoice.paid', 'invoice.voided'],
    });
    await createEndpoint(server, appId, { url: failing.url, description: 'CRM sync' });
    let last = '';
    for (let i = 0; i < 4; i += 1)
      last = (
        await sendMessage(server, appId, i % 2 ? 'invoice.voided' : 'invoice.paid', { id: `inv_${i}`, amount: 100 * i })
      ).id;
    msgFailed = last;
    await attemptsFor(server, appId, msgFailed, 2);
  });
  after(async () => {
    await browser?.close();
    await Promise.all([ok?.close(), failing?.close(), server?.stop()]);
  });

  describe('dashboard', () => {
    let w: WatchedPage;
    let signedIn = false;
    before(async () => {
      w = await newWatchedPage(browser);
    });
    after(async () => {
      await w?.context.close();
    });

    test('sign-in page', async () => {
      await w.page.goto(`${server.url}/`);
      await visible(heading(w.page, 'Sign in to Hookrelay'), 'the sign-in heading');
      const violations = await axeSeriousViolations(w.page);
      assert.equal(violations.length, 0, formatViolations('dashboard sign-in', violations));
      await dashboardLogin(w.page, server.url);
      assertClean(w);
      signedIn = true;
    });

    const pages: PageSpec[] = [
      { name: 'overview', hash: '/#/', expect: 'Overview', shot: 'dashboard-overview' },
      { name: 'applications', hash: '/#/apps', expect: 'Applications', shot: 'dashboard-apps' },
      {
        name: 'create application dialog',
        hash: '/#/apps',
        expect: 'Applications',
        prepare: async (p) => {
          await p.getByRole('button', { name: 'Create application', exact: true }).first().click();
          await visible(p.getByRole('dialog'), 'the dialog');
        },
      },
      { name: 'app endpoints', hash: '', expect: 'Endpoints' },
      { name: 'app new endpoint', hash: '', expect: null },
      { name: 'app endpoint detail', hash: '', expect: null },
      { name: 'app endpoint edit', hash: '', expect: null },
      { name: 'app messages', hash: '', expect: 'Messages' },
      { name: 'app message', hash: '', expect: 'Message' },
      { name: 'failing endpoints', hash: '/#/failing', expect: 'Failing endpoints' },
      { name: 'event types', hash: '/#/event-types', expect: 'Event types' },
      { name: 'new event type', hash: '/#/event-types/new', expect: null },
      { name: 'event type', hash: '/#/event-types/invoice.paid', expect: null, shot: 'dashboard-event-type' },
      { name: 'operational webhooks', hash: '/#/operational-webhooks', expect: 'Operational webhooks' },
      { name: 'settings', hash: '/#/settings', expect: 'Settings', shot: 'dashboard-settings' },
    ];
    for (const spec of pages) {
      test(spec.name, async () => {
        if (!signedIn) throw new Error('not run: signing in to the dashboard failed');
        const appBase = `/#/apps/${appId}`;
        const resolved: PageSpec = { ...spec };
        if (spec.name === 'app endpoints') resolved.hash = appBase;
        if (spec.name === 'app new endpoint') resolved.hash = `${appBase}/endpoints/new`;
        if (spec.name === 'app endpoint detail')
          Object.assign(resolved, { hash: `${appBase}/endpoints/${epOk.id}`, expect: epOk.url });
        if (spec.name === 'app endpoint edit') resolved.hash = `${appBase}/endpoints/${epOk.id}/edit`;
        if (spec.name === 'app messages') resolved.hash = `${appBase}/messages`;
        if (spec.name === 'app message') resolved.hash = `${appBase}/messages/${msgFailed}`;
        await audit(w.page, server.url, resolved);
        assertClean(w);
      });
    }
  });

  describe('portal', () => {
    let w: WatchedPage;
    before(async () => {
      w = await newWatchedPage(browser);
      await openPortal(w.page, await portalLink(server, appId));
    });
    after(async () => {
      await w?.context.close();
    });

    const portal = () => `${server.url}/portal/?app=${appId}`;
    const pages: Array<PageSpec & { tab?: string }> = [
      { name: 'endpoints', hash: '#/', expect: 'Endpoints', shot: 'portal-endpoints' },
      { name: 'new endpoint', hash: '#/endpoints/new', expect: null },
      { name: 'endpoint detail: overview', hash: 'EP', expect: 'EPURL', shot: 'portal-endpoint' },
      { name: 'endpoint detail: messages', hash: 'EP', expect: 'EPURL', prepare: (p) => openTab(p, 'Messages') },
      { name: 'endpoint detail: testing', hash: 'EP', expect: 'EPURL', prepare: (p) => openTab(p, 'Testing') },
      {
        name: 'endpoint detail: secret revealed',
        hash: 'EP',
        expect: 'EPURL',
        prepare: async (p) => {
          await p.getByRole('button', { name: 'Reveal secret', exact: true }).click();
          await visible(p.locator('code').filter({ hasText: /^whsec_/ }), 'the secret');
        },
      },
      {
        name: 'endpoint detail: rotate dialog',
        hash: 'EP',
        expect: 'EPURL',
        prepare: async (p) => {
          await p.getByRole('button', { name: 'Rotate secret', exact: true }).click();
          await visible(p.getByRole('dialog'), 'the rotate dialog');
        },
      },
      { name: 'endpoint edit', hash: 'EP/edit', expect: null },
      { name: 'messages', hash: '#/messages', expect: 'Messages' },
      {
        name: 'message with attempts',
        hash: 'MSG',
        expect: 'Message',
        shot: 'portal-message',
        prepare: (p) => expandAttemptWithCode(p, '503'),
      },
      { name: 'event catalog', hash: '#/event-types', expect: 'Event catalog', shot: 'portal-catalog' },
    ];
    for (const spec of pages) {
      test(spec.name, async () => {
        const hash = spec.hash.replace(/^EP/, `#/endpoints/${epOk.id}`).replace(/^MSG$/, `#/messages/${msgFailed}`);
        await audit(w.page, portal(), { ...spec, hash, expect: spec.expect === 'EPURL' ? epOk.url : spec.expect });
        await w.page.keyboard.press('Escape');
        assertClean(w);
      });
    }

    test('sign-in link needed, link already used', async () => {
      const link = await portalLink(server, appId);
      await withPage(browser, async ({ page }) => {
        await openPortal(page, link);
      });
      await withPage(browser, async ({ page }) => {
        await page.goto(link.url);
        await visible(heading(page, 'This link was already used'), 'the used-link page');
        let v = await axeSeriousViolations(page);
        assert.equal(v.length, 0, formatViolations('portal used link', v));
        await page.goto(portal());
        await page.reload();
        await visible(heading(page, 'Sign-in link needed'), 'the sign-in-needed page');
        v = await axeSeriousViolations(page);
        assert.equal(v.length, 0, formatViolations('portal sign-in needed', v));
      });
    });
  });
});
