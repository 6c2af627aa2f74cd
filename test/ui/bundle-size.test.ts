import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DIST_UI, suiteSkipReason } from './browser-harness.js';

/**
 * Issue 17, acceptance 3 (size half): the JavaScript a first visit loads — the entry
 * <script type="module" src> and every <link rel="modulepreload"> of the built HTML — gzipped,
 * is at most 150 KB for the portal and 250 KB for the dashboard.
 */

const KB = 1024;
const skip = suiteSkipReason({ needBrowser: false });

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[2] ?? m[3] ?? m[4]) : null;
}

/** The initial JS files of a built HTML page, as paths under dist/ui. */
export function initialScripts(htmlPath: string): string[] {
  const html = readFileSync(htmlPath, 'utf8');
  const refs: string[] = [];
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if ((attr(tag, 'type') ?? '').toLowerCase() === 'module' && attr(tag, 'src')) refs.push(attr(tag, 'src')!);
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if ((attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/).includes('modulepreload') && attr(tag, 'href'))
      refs.push(attr(tag, 'href')!);
  }
  return [...new Set(refs)].map((ref) => {
    assert.ok(
      !/^[a-z]+:\/\//i.test(ref),
      `${htmlPath} loads script from another origin: ${ref} (nothing may be fetched from a CDN)`,
    );
    return ref.startsWith('/') ? join(DIST_UI, ref) : join(dirname(htmlPath), ref);
  });
}

function measure(label: string, htmlRel: string, budgetKb: number): void {
  const files = initialScripts(join(DIST_UI, htmlRel));
  assert.ok(files.length > 0, `${htmlRel} has no <script type=module src>`);
  let total = 0;
  const lines: string[] = [];
  for (const f of files) {
    assert.ok(existsSync(f), `${htmlRel} references ${f}, which is not in the build`);
    const raw = readFileSync(f);
    const gz = gzipSync(raw, { level: 9 }).length;
    total += gz;
    lines.push(
      `    ${f.slice(DIST_UI.length + 1)}: ${(raw.length / KB).toFixed(1)} KB raw, ${(gz / KB).toFixed(1)} KB gzip`,
    );
  }
  console.log(
    `${label} initial JS: ${(total / KB).toFixed(1)} KB gzip (budget ${budgetKb} KB), ${files.length} file(s)\n${lines.join('\n')}`,
  );
  assert.ok(
    total <= budgetKb * KB,
    `${label}'s initial JavaScript is ${(total / KB).toFixed(1)} KB gzip, over the ${budgetKb} KB budget`,
  );
}

test("the portal's initial JavaScript is at most 150 KB gzip", { skip }, () => {
  measure('portal', 'portal/index.html', 150);
});

test("the dashboard's initial JavaScript is at most 250 KB gzip", { skip }, () => {
  measure('dashboard', 'index.html', 250);
});
