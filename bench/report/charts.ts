import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreKind } from '../lib/environment.js';
import { rawOf, type BenchResults } from './results.js';
import { barChart, type Bar, type ChartSpec } from './svg-bar-chart.js';

/** The charts of BENCHMARKS.md, drawn from a result file. Returns file names written. */

const COLORS: Record<string, string> = { raw: '#7f7f7f', sqlite: '#4c78a8', postgres: '#f58518' };

function bar(results: BenchResults, scenario: string, key: string, store: StoreKind | null, label: string): Bar | null {
  const r = results.results.find((x) => x.scenario === scenario && x.store === store);
  const s = r?.figures[key];
  if (!r) return null;
  return { label, median: s?.median ?? NaN, min: s?.min ?? NaN, max: s?.max ?? NaN, color: COLORS[store ?? 'raw'] };
}

const STORES: Array<[StoreKind, string]> = [['sqlite', 'SQLite'], ['postgres', 'PostgreSQL']];

function perStore(results: BenchResults, items: Array<[string, string, string]>): Bar[] {
  const out: Bar[] = [];
  for (const [scenario, key, label] of items) {
    for (const [store, name] of STORES) {
      const b = bar(results, scenario, key, store, `${label} · ${name}`);
      if (b) out.push(b);
    }
  }
  return out;
}

export function chartSpecs(results: BenchResults): Record<string, ChartSpec> {
  const raw = rawOf(results);
  const rawBar = bar(results, 'raw', 'rps', null, 'Raw limit (no storage)');
  const specs: Record<string, ChartSpec> = {};
  const throughput = [
    ...(rawBar ? [rawBar] : []),
    ...perStore(results, [['drain', 'perSecond', 'Drain'], ['e2e', 'acceptedPerSecond', 'E2E accepted'], ['e2e', 'deliveredPerSecond', 'E2E delivered'], ['backlog', 'drainPerSecond', 'Backlog drain']]),
  ];
  if (throughput.length > 0) {
    specs['throughput.svg'] = {
      title: 'Throughput against the raw limit of the same run', unit: 'per second', bars: throughput,
      lines: raw ? [{ value: raw.median * 0.5, label: '50% of raw', color: '#2ca02c' }, { value: raw.median * 0.3, label: '30%', color: '#9467bd' }] : [],
    };
  }
  const latency = perStore(results, [['latency', 'p50', 'p50'], ['latency', 'p95', 'p95'], ['latency', 'p99', 'p99']]);
  if (latency.length > 0) specs['latency.svg'] = { title: 'Ingest → receipt latency at 200 msg/s', unit: 'ms', bars: latency, lines: [{ value: 5, label: 'p50 target', color: '#2ca02c' }, { value: 25, label: 'p99 target' }] };
  const iso = perStore(results, [['isolation', 'healthyP99', 'all healthy'], ['isolation', 'hangingP99', '1 of 10 hanging']]);
  if (iso.length > 0) specs['isolation.svg'] = { title: 'Healthy endpoints\' p99 latency, with and without a hanging neighbour', unit: 'ms', bars: iso };
  const fan = perStore(results, [['fanout', 'firstReceivedMs', 'first received'], ['fanout', 'allReceivedMs', 'all 1,000 received']]);
  if (fan.length > 0) specs['fanout.svg'] = { title: 'Fan-out: one message to 1,000 endpoints', unit: 'ms', bars: fan, lines: [{ value: 2000, label: 'target 2 s' }] };
  const rss = perStore(results, [['backlog', 'downRssMb', 'endpoint down'], ['backlog', 'peakRssMb', 'peak, down and draining']]);
  if (rss.length > 0) specs['backlog-rss.svg'] = { title: 'Server RSS with a backlog pending', unit: 'MB', bars: rss, lines: [{ value: 300, label: 'target 300 MB' }] };
  const pull = perStore(results, [['pull', 'pollPerSecond', 'polling'], ['pull', 'ssePerSecond', 'SSE']]);
  if (pull.length > 0) specs['pull.svg'] = { title: 'Pull API: events per second, one consumer', unit: 'events/s', bars: pull };
  return specs;
}

export function writeCharts(results: BenchResults, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const specs = chartSpecs(results);
  for (const [file, spec] of Object.entries(specs)) writeFileSync(join(dir, file), barChart(spec));
  return Object.keys(specs);
}
