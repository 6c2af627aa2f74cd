import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(packageDir, 'src/generated/api.ts');

test('src/generated/api.ts is what `npm run generate` makes from docs/openapi.json today', () => {
  // Run the package's own `generate` script (same CLI, same flags) into a temp file instead.
  const script = (
    JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts.generate!;
  const [command, ...args] = script.split(/\s+/);
  assert.equal(command, 'openapi-typescript');
  const outIndex = args.indexOf('-o');
  assert.ok(outIndex >= 0, 'the generate script names its output with -o');
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-sdk-gen-'));
  try {
    const fresh = join(dir, 'api.ts');
    args[outIndex + 1] = fresh;
    // Its exports map `*.js` to `*.mjs`, so find the bin through package.json.
    const cli = join(dirname(createRequire(import.meta.url).resolve('openapi-typescript/package.json')), 'bin/cli.js');
    execFileSync(process.execPath, [cli, ...args], { cwd: packageDir, stdio: 'pipe' });
    assert.ok(
      readFileSync(fresh, 'utf8') === readFileSync(committed, 'utf8'),
      'docs/openapi.json changed: run `npm run generate -w packages/sdk` and commit src/generated/api.ts',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
