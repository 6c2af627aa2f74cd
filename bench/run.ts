import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { testConfig } from '../src/config.js';
import { createRunEnv, postgresReachable, profiling, type StoreKind } from './lib/environment.js';
import { describeMachine } from './lib/machine.js';
import { sizesFor } from './lib/sizes.js';
import { stopSharedChildren, type Scenario } from './lib/scenario.js';
import { summarize } from './lib/stats.js';
import { writeCharts } from './report/charts.js';
import { cpuTable } from './report/cpu-table.js';
import { consoleTable } from './report/figures.js';
import { renderMarkdown } from './report/markdown.js';
import type { BenchResults, ScenarioResult } from './report/results.js';
import { backlog } from './scenarios/backlog.js';
import { bullmqDrain, bullmqE2e } from './scenarios/bullmq.js';
import { drain } from './scenarios/drain.js';
import { endToEnd } from './scenarios/end-to-end.js';
import { FAN_OUT_ENDPOINTS, fanOut } from './scenarios/fan-out.js';
import { isolation } from './scenarios/isolation.js';
import { latency } from './scenarios/latency.js';
import { messageLog } from './scenarios/message-log.js';
import { pull } from './scenarios/pull.js';
import { rawLimit } from './scenarios/raw-limit.js';
import { ordered } from './scenarios/ordered.js';
import { usage } from './scenarios/usage.js';
import { replay } from './scenarios/replay.js';

/**
 * `npm run bench`: run the scenarios (each on SQLite and PostgreSQL, `runs` times), write the
 * JSON result, the charts and the Markdown report, and print the table with each figure's
 * ratio to the raw limit measured in this same invocation.
 *
 *   --quick            smaller N, 1 run each, under 2 minutes; writes bench/results/quick.*
 *   --scenario a,b     raw, bullmq-drain, bullmq-e2e, drain, e2e, latency, isolation, fanout, backlog, pull, message-log, replay, ordered, usage (Default: all)
 *   --store s,p        sqlite, postgres (Default: both)
 *   --runs n           runs per scenario and store (Default: 3; quick: 1)
 *   --out file.json    result file (Default: bench/results/full.json; quick: bench/results/quick.json)
 *   --md file.md       report (Default: BENCHMARKS.md; quick: bench/results/quick.md)
 *   --profile          --cpu-prof on every server child, into bench/profiles/
 *   --render file.json only redraw the report and charts from an existing result file
 */

const SCENARIOS: Scenario[] = [
  rawLimit,
  bullmqDrain,
  bullmqE2e,
  drain,
  endToEnd,
  latency,
  isolation,
  fanOut,
  backlog,
  pull,
  messageLog,
  replay,
  ordered,
  usage,
];
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string' },
    store: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
    md: { type: 'string' },
    profile: { type: 'boolean', default: false },
    render: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function fail(msg: string): never {
  console.error(msg);
  process.exit(2);
}

function list(raw: string | undefined, allowed: string[], what: string): string[] {
  if (!raw) return allowed;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const i of items) if (!allowed.includes(i)) fail(`unknown ${what} '${i}' (one of: ${allowed.join(', ')})`);
  return items;
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function report(results: BenchResults, mdPath: string): void {
  // The committed charts belong to BENCHMARKS.md; a report written elsewhere gets its own.
  // (bench/results/quick.md → bench/results/quick-charts/).
  const chartDir =
    mdPath === join(ROOT, 'BENCHMARKS.md') ? join(ROOT, 'bench/charts') : mdPath.replace(/\.md$/, '') + '-charts';
  const files = writeCharts(results, chartDir);
  const md = renderMarkdown(
    results,
    relative(dirname(mdPath), chartDir),
    files,
    join(ROOT, 'bench/report/findings.md'),
  );
  writeFileSync(mdPath, md);
  console.log('\n' + consoleTable(results) + '\n');
  const cpu = cpuTable(results);
  if (cpu.length > 0) console.log(cpu.slice(2).join('\n'));
  console.log(`report: ${relative(process.cwd(), mdPath)}; charts: ${relative(process.cwd(), chartDir)}/`);
}

async function main(): Promise<void> {
  if (values.help) {
    console.log(
      readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith(' *   '))
        .map((l) => l.slice(3))
        .join('\n'),
    );
    return;
  }
  const quick = values.quick!;
  const mdPath = resolve(values.md ?? join(ROOT, quick ? 'bench/results/quick.md' : 'BENCHMARKS.md'));
  if (values.render) {
    report(JSON.parse(readFileSync(values.render, 'utf8')) as BenchResults, mdPath);
    return;
  }
  const names = list(
    values.scenario,
    SCENARIOS.map((s) => s.name),
    'scenario',
  );
  // Ratios need the yardstick of this same invocation.
  if (!names.includes('raw')) names.unshift('raw');
  let stores = list(values.store, ['sqlite', 'postgres'], 'store') as StoreKind[];
  const runs = values.runs ? Number(values.runs) : quick ? 1 : 3;
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) fail('--runs must be 1–20');
  const outPath = resolve(values.out ?? join(ROOT, quick ? 'bench/results/quick.json' : 'bench/results/full.json'));
  if (values.profile) {
    profiling.dir = join(ROOT, 'bench/profiles');
    mkdirSync(profiling.dir, { recursive: true });
  }
  if (stores.includes('postgres') && !(await postgresReachable())) {
    console.log('# PostgreSQL is unreachable: PostgreSQL runs are skipped.');
    stores = stores.filter((s) => s !== 'postgres');
  }

  // The server under test runs the compiled build, as `npm start` does: build it from this tree.
  console.log('# building dist/ (npm run build)');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });

  const started = Date.now();
  const defaults = testConfig();
  const results: BenchResults = {
    version: 1,
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`,
    commit: process.env.HOOKRELAY_BENCH_COMMIT ?? git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    dirty: process.env.HOOKRELAY_BENCH_COMMIT
      ? false
      : (git(['status', '--porcelain', '--', 'src', 'bench']) ?? '') !== '',
    quick,
    runs,
    durationS: 0,
    machine: await describeMachine(stores.includes('postgres')),
    settings: {
      workerConcurrency: defaults.workerConcurrency,
      endpointConcurrency: defaults.endpointConcurrency,
      claimBatchSize: defaults.claimBatchSize,
      sqliteSynchronous: defaults.sqliteSynchronous,
      rawConcurrency: defaults.endpointConcurrency,
      producerConnections: 64,
      n: { ...sizesFor(quick), fanOutEndpoints: FAN_OUT_ENDPOINTS, backlogRuns: backlog.maxRuns },
    },
    results: [],
  };

  // The raw limit is measured first and again last (when other scenarios ran), so the
  // yardstick spans the same stretch of time as the figures it is compared with.
  const plan = SCENARIOS.filter((s) => names.includes(s.name));
  if (plan.length > 1) plan.push(rawLimit);
  const perRun = new Map<string, Array<Record<string, number>>>();
  const errorsOf = new Map<string, string[]>();
  for (const scenario of plan) {
    for (const store of scenario.usesStore ? stores : [null]) {
      const key = `${scenario.name}|${store ?? ''}`;
      if (!perRun.has(key)) {
        perRun.set(key, []);
        errorsOf.set(key, []);
      }
      const figuresOfRuns = perRun.get(key)!;
      const errors = errorsOf.get(key)!;
      const n = Math.min(runs, scenario.maxRuns ?? runs);
      for (let i = 0; i < n; i++) {
        const label = `${scenario.name}${store ? ' · ' + store : ''} run ${i + 1}/${n}`;
        const t = Date.now();
        const env = store ? await createRunEnv(store, scenario.name) : null;
        try {
          const figures = await scenario.run({ store, env, quick, runIndex: i, log: (m) => console.log(`  ${m}`) });
          figuresOfRuns.push(figures);
          console.log(
            `${label}: ${Object.entries(figures)
              .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(2)}`)
              .join(' ')} (${((Date.now() - t) / 1000).toFixed(1)} s)`,
          );
        } catch (err) {
          errors.push((err as Error).message);
          console.error(`${label}: FAILED ${(err as Error).stack}`);
        } finally {
          await env?.cleanup();
        }
      }
    }
  }
  for (const [key, figuresOfRuns] of perRun) {
    const [scenario, store] = key.split('|');
    const keys = [...new Set(figuresOfRuns.flatMap((f) => Object.keys(f)))];
    const result: ScenarioResult = {
      scenario,
      store: (store || null) as StoreKind | null,
      figures: {},
      errors: errorsOf.get(key)!,
    };
    for (const k of keys) result.figures[k] = summarize(figuresOfRuns.map((f) => f[k]));
    results.results.push(result);
  }
  await stopSharedChildren();
  results.durationS = Math.round((Date.now() - started) / 1000);
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify(results, null, 2) + '\n');
  console.log(`results: ${relative(process.cwd(), outPath)} (${results.durationS} s)`);
  report(results, mdPath);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
