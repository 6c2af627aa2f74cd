import type { Page } from 'playwright-core';
import { tabTo, visible } from './browser-harness.js';

/** Select a tab of the endpoint detail ("Overview", "Messages", "Testing"). */
export async function openTab(page: Page, name: string): Promise<void> {
  const tab = await visible(page.getByRole('tab', { name, exact: true }), `the "${name}" tab`);
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
}

/**
 * The "Response code" column of the message page's attempts table, as text per attempt row
 * (rows whose cell count differs — an expanded response body row — are skipped).
 */
export async function attemptResponseCodes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const table of Array.from(document.querySelectorAll('table'))) {
      const headers = Array.from(table.querySelectorAll('thead th, thead td')).map((th) =>
        (th.textContent ?? '').trim(),
      );
      const col = headers.indexOf('Response code');
      if (col < 0) continue;
      for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
        const cells = Array.from(row.children);
        if (cells.length !== headers.length) continue;
        out.push((cells[col].textContent ?? '').trim());
      }
    }
    return out;
  });
}

/** Expand the attempt row whose response code is `code`, to show its response body. */
export async function expandAttemptWithCode(page: Page, code: string): Promise<void> {
  const row = page
    .locator('table tbody tr')
    .filter({ has: page.getByRole('cell', { name: code, exact: true }) })
    .first();
  await visible(row, `the attempt row with response code ${code}`);
  const toggle = row.locator('[aria-expanded]');
  if ((await toggle.count()) > 0) {
    if ((await toggle.first().getAttribute('aria-expanded')) !== 'true') await toggle.first().click();
    return;
  }
  const button = row.getByRole('button').filter({ hasNotText: 'Resend' });
  if ((await button.count()) > 0) await button.first().click();
  else await row.click();
}

/**
 * Keyboard: reach a tab list with Tab (its selected tab is the one tab stop, WAI-ARIA roving
 * tabindex), then ArrowRight until the named tab is selected.
 */
export async function keyboardSelectTab(page: Page, name: string): Promise<void> {
  await tabTo(page, page.getByRole('tab', { selected: true }), 'the tab list');
  const target = page.getByRole('tab', { name, exact: true });
  for (let i = 0; i < 6; i += 1) {
    if ((await target.getAttribute('aria-selected')) === 'true') return;
    await page.keyboard.press('ArrowRight');
  }
  throw new Error(`the "${name}" tab was not selected with the arrow keys`);
}
