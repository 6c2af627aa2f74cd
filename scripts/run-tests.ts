// Runs every *.test.ts under src/, test/, ui/ and packages/*/src with node's test runner.
// Node 20's runner does not expand globs, so the files are listed here.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { SOURCE_BUNDLE } from '../src/source-bundle.js';

const roots = ['src', 'test', 'ui', ...readdirSync('packages').map((p) => join('packages', p, 'src'))];
const filter = process.argv.slice(2);

function walk(dir: string, out: string[]): string[] {
  let entries: string[];
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
function selects(arg: string, file: string): boolean {
  if (!existsSync(arg)) return file.includes(arg);
  const path = normalize(arg).replace(/\/$/, '');
  return file === path || file.startsWith(`${path}/`);
}

// The runner starts files in the order given, two at a time (TEST_CONCURRENCY). The longest go
// first, so the suite does not end waiting on one of them alone.
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
const rank = (f: string) => {
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

// Each file runs in its own process. Run through tsx, every process would compile and resolve its
// modules through loader hooks, which costs more than most files' tests; so the files are bundled
// first, by esbuild (tsx's compiler) in one build with shared chunks, each module keeping its own
// import.meta.url, and the processes run plain JavaScript, mapped back to the sources in stack traces.
// Each run builds into a folder of its own (two runs in one checkout do not overwrite each other's), removed after.
const CACHE = 'node_modules/.cache/hookrelay';
mkdirSync(CACHE, { recursive: true });
const OUT = mkdtempSync(join(CACHE, 'tests-'));
await build({
  ...SOURCE_BUNDLE,
  entryPoints: files,
  outdir: OUT,
  outbase: '.',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
const bundled = files.map((f) => join(OUT, f.replace(/\.ts$/, '.mjs')));

// TEST_TAP=<file> also writes TAP there, whose top-level entries carry each test's duration_ms.
const tap = process.env.TEST_TAP ? ['--test-reporter=tap', `--test-reporter-destination=${process.env.TEST_TAP}`] : [];
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', ...tap];
const result = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    ...reporters,
    ...bundled,
  ],
  { stdio: 'inherit' },
);
rmSync(OUT, { recursive: true, force: true });
process.exit(result.status ?? 1);
