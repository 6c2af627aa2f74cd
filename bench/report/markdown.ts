import { existsSync, readFileSync } from 'node:fs';
import { cpuTable } from './cpu-table.js';
import { fmtRatio, fmtSummary, fmtTimes, fmtVerdicts, rows, storeName } from './figures.js';
import { rawOf, type BenchResults } from './results.js';
import { formatNumber } from './svg-bar-chart.js';

/**
 * BENCHMARKS.md, generated from a result file: the machine, the targets with a plain verdict,
 * every figure with its ratio to the raw limit of the same run, the charts, how each scenario
 * measures, and the hand-written findings (bench/report/findings.md) on what limits speed.
 */

const HOW = `## How each figure is measured

Every actor is its own process on 127.0.0.1: the server under test (\`bench/server-process.ts\`,
\`startServer\` with the config below), the receivers (\`bench/receiver.ts\`, a minimal Node
HTTP server that records each request's arrival and the send time embedded in its payload),
and the load generators (\`bench/producer.ts\`, \`bench/raw-sender.ts\`). The server runs the
compiled build (\`dist/\`, rebuilt from the tree at the start of \`npm run bench\`), as
\`npm start\` does, in a process of plain JavaScript (\`bench/server-process.ts\` bundled by
esbuild, no TypeScript loader in it). Each scenario run
gets a fresh store: a new SQLite file in a temp dir, or a new PostgreSQL database dropped
afterwards. The server runs with its defaults (SQLite \`synchronous=FULL\`: every
acknowledged write is fsynced; 512 requests in flight, 32 per endpoint, claims of 256).

1. **Raw limit** — measured at the start and again at the end of the invocation (the median
   covers both). undici \`Pool\` keep-alive POSTs of the same ~330-byte payload, signed per
   request exactly as the engine signs (Standard Webhooks HMAC), to the same receiver, at
   the engine's per-endpoint concurrency (32), no storage. The yardstick for every ratio.
2. **Drain** — N messages written through the store's outbox transaction (\`createMessages\`,
   batches of 5,000) before the server starts with \`role: worker\`; one endpoint.
   Deliveries/s from the first to the last receipt.
3. **End-to-end** — 64 producer connections POST \`/api/v1/app/{app}/msg\` as fast as answers
   come while workers deliver (\`role: all\`). Accepted/s = 202s over the sending time;
   delivered/s = receipts from the first send to the last receipt.
4. **Latency** — 200 msg/s paced through the API to one endpoint; latency = receiver
   arrival − the producer's clock just before its POST (both \`performance.timeOrigin +
   performance.now()\`, same machine). A 50-message warm-up is not counted.
5. **Isolation** — one app, 10 endpoints, 100 msg/s (1,000 deliveries/s). Run A: all
   healthy. Run B: the tenth endpoint never answers (request timeout 5 s, then retries), so
   its rows pile up. Compared: the nine healthy endpoints' p99 in B ÷ in A.
6. **Fan-out** — one message to an app with 1,000 endpoints (distinct URLs); time from the
   POST to the 1,000th receipt, after one warm-up message.
7. **Backlog** — N deliveries pending for one endpoint whose receiver is down (connection
   refused). The server (\`role: worker\`, retry schedule compressed to 2 s steps) keeps
   failing for a while, then the receiver comes up on the same port. The server's RSS is
   read from \`/proc/<pid>/status\` all along (peak includes VmHWM); drain = distinct
   webhook-ids per second from the moment the receiver is up.
8. **Pull** — N messages in a poll endpoint's log; one consumer reads them all through
   \`GET /api/v1/app/{app}/poller/{sink}\` (250 per page, following \`iterator\`), then through
   \`/stream\` (SSE).
9. **Message log** — N messages in one application (20 event types in turn), each with a
   delivery row for its one endpoint (one in twenty failed), written through the outbox
   transaction and one UPDATE of the statuses; the server runs \`role: api\`. The first page
   and ten next pages of 50 of \`GET /api/v1/app/{app}/msg\` (alone, and with one
   \`event_types\`) and of \`GET …/endpoint/{ep}/msg\` (alone, and with \`status=2\`), each
   response timed on 127.0.0.1 (server time plus a loopback round trip).

**Where the CPU goes** (raw, drain, end-to-end, the peer's two): user + system CPU time of every
process taking part — the server with all its threads (the SQLite store thread included), the
receiver, the load generator, every \`postgres\` process for PostgreSQL runs, and the peer's
process with \`redis-server\` for the peer's runs — from \`/proc/<pid>/stat\`
at the start and the end of the measured stretch, divided by the messages of that stretch;
the box's busy share from \`/proc/stat\` over the same stretch (\`bench/lib/cpu-meter.ts\`).
`;

export function renderMarkdown(results: BenchResults, chartDir: string, chartFiles: string[], findingsFile: string): string {
  const m = results.machine;
  const raw = rawOf(results);
  const all = rows(results);
  const out: string[] = [];
  out.push('# Benchmarks');
  out.push('');
  out.push('<!-- Generated by `npm run bench` (bench/report/markdown.ts); edit bench/report/findings.md for the notes. -->');
  out.push('');
  const code = results.commit ? ` at commit \`${results.commit}\`${results.dirty ? ' (with uncommitted changes in src/ or bench/)' : ''}` : '';
  out.push(`Measured **${results.date.slice(0, 10)}**${code} with \`${results.command}\` (${results.quick ? 'quick mode: smaller N, fewer runs' : `full run: every figure is the median of ${results.runs} runs, min–max in brackets`}; ${Math.round(results.durationS / 60)} min).`);
  out.push('');
  out.push(`Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GB RAM, Node ${m.node}, ${m.os}; SQLite ${m.sqlite}; ${m.postgres ? `PostgreSQL ${m.postgres} on the same box` : 'no PostgreSQL'}.`);
  out.push('The box is shared with other work, so absolute figures are noisy. Compare the ratios to the raw limit, which is measured in the same run.');
  out.push('');
  if (raw) out.push(`**Raw limit of this run: ${formatNumber(raw.median)} signed POSTs/s** (${formatNumber(raw.min)}–${formatNumber(raw.max)}) — one undici Pool, 32 connections, no storage; measured ${raw.runs.length} times, at the start and at the end of the run.`);
  const disk = results.results.find((x) => x.scenario === 'raw')?.figures.fsyncPerSecond;
  if (disk) out.push(`Disk at the same moment: ${formatNumber(disk.median)} fsyncs/s (${formatNumber(disk.min)}–${formatNumber(disk.max)}); DESIGN.md measured ~6,000/s on a quiet box. SQLite with \`synchronous=FULL\` pays one per commit.`);
  out.push('');
  out.push('## Targets');
  out.push('');
  out.push('| Target | Store | Measured | vs raw | vs peer | Verdict |');
  out.push('|---|---|---|---|---|---|');
  for (const r of all) {
    for (const v of r.verdicts) {
      out.push(`| ${r.def.label}: ${v.target.text} | ${storeName(r.store)} | ${fmtSummary(r.summary, r.def.unit)} | ${fmtRatio(r.ratio)} | ${fmtTimes(r.vsPeer)} | ${v.met ? 'met' : '**not met**'} |`);
    }
  }
  out.push('');
  out.push('## Every figure');
  out.push('');
  out.push('| Figure | Store | Median (min–max) | vs raw | vs peer | Targets |');
  out.push('|---|---|---|---|---|---|');
  for (const r of all) {
    out.push(`| ${r.def.label} | ${storeName(r.store)} | ${fmtSummary(r.summary, r.def.unit)} | ${fmtRatio(r.ratio)} | ${fmtTimes(r.vsPeer)} | ${fmtVerdicts(r, 'not met')} |`);
  }
  const errors = results.results.filter((r) => r.errors.length > 0);
  if (errors.length > 0) {
    out.push('');
    out.push('Runs that failed:');
    out.push('');
    for (const r of errors) for (const e of r.errors) out.push(`- ${r.scenario} · ${storeName(r.store)}: ${e.split('\n')[0]}`);
  }
  out.push('');
  out.push(...cpuTable(results));
  out.push('## Charts');
  out.push('');
  for (const f of chartFiles) out.push(`![${f}](${chartDir}/${f})`, '');
  if (existsSync(findingsFile)) {
    out.push(readFileSync(findingsFile, 'utf8').trim());
    out.push('');
  }
  out.push(HOW);
  out.push('## Settings of this run');
  out.push('');
  out.push('```json');
  out.push(JSON.stringify(results.settings, null, 2));
  out.push('```');
  out.push('');
  out.push('## Running it');
  out.push('');
  out.push('```sh');
  out.push('npm run bench -- --quick                      # < 2 min, prints the ratio table (bench/results/quick.json, quick.md)');
  out.push('npm run bench                                 # full run: rewrites BENCHMARKS.md, bench/charts/, bench/results/full.json');
  out.push('npm run bench -- --scenario drain,latency --store sqlite --runs 5');
  out.push('npm run bench -- --render bench/results/full.json   # redraw BENCHMARKS.md and charts from a result file');
  out.push('npm run bench -- --quick --scenario drain --profile # CPU profile of the server child in bench/profiles/');
  out.push('```');
  out.push('');
  out.push('PostgreSQL: `postgres://postgres@127.0.0.1:5432/postgres` (override with HOOKRELAY_BENCH_PG_URL); when it is unreachable, PostgreSQL runs are skipped with a note.');
  out.push('');
  return out.join('\n');
}
