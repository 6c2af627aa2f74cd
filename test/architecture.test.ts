import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/server-process.js';

/**
 * The import rules of .dependency-cruiser.cjs hold over src/ and test/: no cycles outside
 * migrations, the API not reaching into a dialect folder, the domain not importing the store,
 * delivery not importing the API, shipped code not importing tests.
 */

const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

function cruise(cwd: string, paths: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      DEPCRUISE,
      [...paths, '--config', CONFIG, '--output-type', 'err'],
      { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (err, stdout, stderr) => {
        // Colours are stripped whatever the terminal settings (CI forces them on).
        const output = (stdout + stderr).replace(/\x1B\[[0-9;]*m/g, '');
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output });
      },
    );
  });
}

test('src and test follow the import rules', { timeout: 120_000 }, async () => {
  const { code, output } = await cruise(ROOT, ['src', 'test']);
  assert.equal(code, 0, output);
  assert.match(output, /no dependency violations found/);
});

test('the rules catch a violation: a domain module importing the store, and a cycle', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hr-depcruise-'));
  try {
    mkdirSync(join(dir, 'src/domain'), { recursive: true });
    mkdirSync(join(dir, 'src/store'), { recursive: true });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node10' } }),
    );
    writeFileSync(
      join(dir, 'src/domain/rule.ts'),
      "import { kept } from '../store/keeper';\nexport const rule = kept;\n",
    );
    writeFileSync(
      join(dir, 'src/store/keeper.ts'),
      "import { rule } from '../domain/rule';\nexport const kept = 1;\nexport const again = rule;\n",
    );
    const { code, output } = await cruise(dir, ['src']);
    assert.notEqual(code, 0);
    assert.match(output, /domain-not-store: src\/domain\/rule\.ts → src\/store\/keeper\.ts/);
    assert.match(output, /no-circular/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
