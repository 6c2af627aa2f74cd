import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  axeSeriousViolations,
  createApp,
  formatViolations,
  heading,
  launchBrowser,
  openPortal,
  portalLink,
  screenshot,
  startHookrelay,
  startHostPage,
  suiteSkipReason,
  visible,
  waitFor,
  withPage,
  type HookrelayProcess,
  type HostPage,
} from './browser-harness.js';

/**
 * Issue 17, acceptance 2, portal flow: a magic link opens the portal inside an <iframe> on a page
 * of another loopback origin that `frameAncestors` allows, and the frame is blocked on an origin
 * it does not allow; the link works once; an expired link shows the expiry page; expire-all ends
 * a live session. Host pages are served by node:http on 127.0.0.1 (another port) and 127.0.0.2.
 */

const skip = suiteSkipReason();

describe('portal: magic link, embedding, session end', { skip }, () => {
  let server: HookrelayProcess;
  let shortLinks: HookrelayProcess; // HOOKRELAY_PORTAL_LINK_TTL_SECONDS=1
  let browser: Browser;
  let allowedHost: HostPage;
  let otherHost: HostPage;
  let envHost: HostPage;
  let appId = '';

  before(async () => {
    [server, shortLinks, browser, allowedHost, otherHost, envHost] = await Promise.all([
      startHookrelay(),
      startHookrelay({ HOOKRELAY_PORTAL_LINK_TTL_SECONDS: '1' }),
      launchBrowser(),
      startHostPage('127.0.0.1'),
      startHostPage('127.0.0.2'),
      startHostPage('127.0.0.3'),
    ]);
    appId = (await createApp(server, 'Embedding Customer')).id;
    await server.admin.expect(200, 'PUT', `/api/v1/app/${appId}/portal-settings`, {
      frameAncestors: [allowedHost.origin],
    });
  });
  after(async () => {
    await browser?.close();
    await Promise.all([server?.stop(), shortLinks?.stop(), allowedHost?.close(), otherHost?.close(), envHost?.close()]);
  });

  test("the portal answers with frame-ancestors naming the app's allowed origin", async () => {
    const res = await fetch(`${server.url}/portal/?app=${appId}`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const fa = /frame-ancestors ([^;]*)/.exec(csp)?.[1] ?? '';
    assert.ok(fa.split(/\s+/).includes(allowedHost.origin), `frame-ancestors allows ${allowedHost.origin}: ${csp}`);
    assert.ok(!fa.includes(otherHost.origin), `frame-ancestors does not allow ${otherHost.origin}: ${csp}`);
  });

  test('a magic link opens the portal inside an iframe on an allowed origin, which gets its height', async () => {
    const link = await portalLink(server, appId);
    await withPage(browser, async ({ page }) => {
      await page.goto(allowedHost.pageUrl(link.url));
      const frame = page.frameLocator('#portal');
      await visible(heading(frame, 'Endpoints'), "the framed portal's Endpoints heading");
      // The portal posts its height to the parent so the host can size the frame.
      const messages = await waitFor('a height message from the portal', async () => {
        const m = await page.evaluate(() => (window as any).__messages as Array<{ origin: string; data: unknown }>);
        return m.some((x) => x.origin === server.url && JSON.stringify(x.data).match(/height/i)) ? m : null;
      });
      assert.ok(messages.length > 0);
    });
  });

  test("the environment's frameAncestors applies to an app without its own", async () => {
    const other = await createApp(server, 'Env Embedded Customer');
    await server.admin.expect(200, 'PATCH', '/api/v1/management/environment-settings', {
      frameAncestors: [envHost.origin],
    });
    try {
      const link = await portalLink(server, other.id);
      await withPage(browser, async ({ page }) => {
        await page.goto(envHost.pageUrl(link.url));
        await visible(heading(page.frameLocator('#portal'), 'Endpoints'), "the framed portal's Endpoints heading");
      });
    } finally {
      await server.admin.expect(200, 'PATCH', '/api/v1/management/environment-settings', { frameAncestors: null });
    }
  });

  test('on an origin frameAncestors does not allow, the frame is blocked', async () => {
    const link = await portalLink(server, appId);
    await withPage(browser, async (w) => {
      const { page } = w;
      await page.goto(otherHost.pageUrl(link.url));
      // Chromium reports the refusal on the console; wait for it (bounded).
      const refusal = await waitFor("the console's frame-ancestors refusal", () =>
        w.console.find((t) => /frame-ancestors/.test(t) && /Refused to frame|violates/.test(t)),
      );
      assert.match(refusal, /frame-ancestors/);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      assert.ok(frame, 'the host page has its frame');
      const url = frame.url();
      const headings = url.startsWith('chrome-error:')
        ? 0
        : await frame.getByRole('heading', { name: 'Endpoints', exact: true }).count();
      assert.ok(url.startsWith('chrome-error:') || headings === 0, `the frame did not get the portal: ${url}`);
      assert.equal(
        await page.frameLocator('#portal').getByRole('heading', { name: 'Endpoints', exact: true }).count(),
        0,
      );
    });
  });

  test('the link works once; opening it again says it was already used', async () => {
    const link = await portalLink(server, appId);
    await withPage(browser, async ({ page }) => {
      await openPortal(page, link);
      assert.ok(!page.url().includes('key='), `the key is gone from the address bar after the exchange: ${page.url()}`);
    });
    await withPage(browser, async ({ page }) => {
      await page.goto(link.url);
      await visible(heading(page, 'This link was already used'), 'the "This link was already used" page');
      assert.equal(await heading(page, 'Endpoints').count(), 0);
    });
  });

  test('without a key or a session the portal asks for a sign-in link', async () => {
    await withPage(browser, async ({ page }) => {
      await page.goto(`${server.url}/portal/?app=${appId}`);
      await visible(heading(page, 'Sign-in link needed'), 'the "Sign-in link needed" page');
    });
  });

  test('an expired link shows the expiry page', async () => {
    const app = await createApp(shortLinks, 'Expired Link Customer');
    const minted = Date.now();
    const link = await portalLink(shortLinks, app.id);
    // HOOKRELAY_PORTAL_LINK_TTL_SECONDS=1 on this server: let the second pass.
    await waitFor("the link's 1 s lifetime to pass", () => Date.now() > minted + 1_500, 5_000);
    await withPage(browser, async ({ page }) => {
      await page.goto(link.url);
      await visible(heading(page, 'This link has expired'), 'the "This link has expired" page');
      assert.equal(await heading(page, 'Endpoints').count(), 0);
      await screenshot(page, 'portal-expired');
      const v = await axeSeriousViolations(page);
      assert.equal(v.length, 0, formatViolations('portal expired link', v));
    });
  });

  test('expire-all ends a live portal session', async () => {
    const link = await portalLink(server, appId, { sessionId: 'customer-session-1' });
    await withPage(browser, async ({ page }) => {
      await openPortal(page, link);
      await server.admin.expect(204, 'POST', `/api/v1/auth/app/${appId}/expire-all`, {
        sessionIds: ['customer-session-1'],
      });
      // The next action: open the message log.
      await page.evaluate(() => {
        window.location.hash = '#/messages';
      });
      await visible(heading(page, 'Your session has ended'), 'the "Your session has ended" page');
      const v = await axeSeriousViolations(page);
      assert.equal(v.length, 0, formatViolations('portal session ended', v));
      // The ended session is gone for good: a reload does not bring the portal back.
      await page.reload();
      await waitFor(
        "a page without the portal's data",
        async () =>
          (await heading(page, 'Your session has ended').count()) +
            (await heading(page, 'Sign-in link needed').count()) >
          0,
      );
      assert.equal(await heading(page, 'Endpoints').count(), 0);
    });
  });
});
