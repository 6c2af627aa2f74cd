import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutTsLoader } from './source-bundle.js';

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
