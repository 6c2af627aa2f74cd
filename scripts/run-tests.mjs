#!/usr/bin/env node
// Runs every *.test.ts under src/, test/, ui/ and packages/*/src with node's test runner (via tsx).
// Node 20's runner does not expand globs, so the files are listed here.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = ['src', 'test', 'ui', ...readdirSync('packages').map((p) => join('packages', p, 'src'))];
const filter = process.argv.slice(2);

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// An argument that names a file or folder selects what lies under it (`ui/` is not `test/ui/`);
// any other argument selects the paths that contain it (`postgres`).
function selects(arg, file) {
  if (!existsSync(arg)) return file.includes(arg);
  const path = normalize(arg).replace(/\/$/, '');
  return file === path || file.startsWith(`${path}/`);
}

// The runner starts files in the order given, two at a time (TEST_CONCURRENCY; three was slower on
// a fresh clone, whose first run compiles every file). The longest go first, so the suite does not end
// waiting on one of them alone.
const LONG_FIRST = [
  'test/store/sqlite/threaded-sqlite-store.test.ts',
  'test/store/postgres/postgres-store.test.ts',
  'test/store/sqlite/sqlite-store.test.ts',
  'test/reliability/',
  'test/cluster/',
  'test/security/fuzz-api.test.ts',
  'test/ui/',
  'test/packaging/',
];
const rank = (f) => {
  const i = LONG_FIRST.findIndex((p) => f.startsWith(p));
  return i === -1 ? LONG_FIRST.length : i;
};
const files = roots
  .flatMap((r) => walk(r, []))
  .filter((f) => filter.length === 0 || filter.some((x) => selects(x, f)))
  .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// TEST_TAP=<file> also writes TAP there, whose top-level entries carry each file's duration_ms.
const tap = process.env.TEST_TAP ? ['--test-reporter=tap', `--test-reporter-destination=${process.env.TEST_TAP}`] : [];
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', ...tap];
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...reporters, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
