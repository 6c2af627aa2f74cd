import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSourceBundle, withoutTsLoader } from './source-bundle.js';

test("withoutTsLoader drops tsx's loader in each spelling and keeps every other flag", () => {
  assert.deepEqual(
    withoutTsLoader([
      '--import',
      'tsx',
      '--enable-source-maps',
      '--import=tsx',
      '--require',
      'tsx/cjs',
      '--loader=tsx/esm',
      '--import',
      './telemetry.mjs',
      '--test-concurrency=2',
    ]),
    ['--enable-source-maps', '--import', './telemetry.mjs', '--test-concurrency=2'],
  );
  assert.deepEqual(withoutTsLoader([]), []);
});

test('a bundle is reused while its files are unchanged, and built again once one of them changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-bundle-'));
  try {
    const entry = pathToFileURL(join(dir, 'entry.ts'));
    writeFileSync(join(dir, 'entry.ts'), "import { value } from './dep.js';\nexport const got: number = value;\n");
    writeFileSync(join(dir, 'dep.ts'), 'export const value: number = 1;\n');
    const first = await buildSourceBundle(entry, undefined);
    assert.equal((await import(first.href)).got, 1);
    assert.equal((await buildSourceBundle(entry, undefined)).href, first.href);
    writeFileSync(join(dir, 'dep.ts'), 'export const value: number = 22;\n');
    const second = await buildSourceBundle(entry, undefined);
    assert.notEqual(second.href, first.href);
    assert.equal((await import(second.href)).got, 22);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
