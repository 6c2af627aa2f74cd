import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { ROOT } from './support/server-process.js';

/** Every TypeScript and script file is as Prettier writes it (.prettierrc.json; fix: `npm run format`). */
test('the code is formatted (npm run format:check)', { timeout: 120_000 }, async () => {
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'format:check'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
      },
    );
  });
  assert.equal(result.code, 0, `unformatted files (run \`npm run format\`):\n${result.output}`);
});
