import type { Summary } from '../lib/stats.js';
import { storeName } from './figures.js';
import type { BenchResults } from './results.js';
import { formatNumber } from './svg-bar-chart.js';

/**
 * "Where the CPU goes": for the raw limit, and Hookrelay's and the peer's drain and end-to-end runs,
 * the CPU time each process spent per message (bench/lib/cpu-meter.ts), its sum, and the rate that
 * sum allows on this many cores even with every core busy all the time — beside the rate measured.
 */

const SCENARIOS: Array<{ scenario: string; label: string; rate: string }> = [
  { scenario: 'raw', label: 'Raw limit', rate: 'rps' },
  { scenario: 'drain', label: 'Drain', rate: 'perSecond' },
  { scenario: 'e2e', label: 'End-to-end', rate: 'acceptedPerSecond' },
  { scenario: 'bullmq-drain', label: 'Peer drain', rate: 'perSecond' },
  { scenario: 'bullmq-e2e', label: 'Peer end-to-end', rate: 'acceptedPerSecond' },
];

const PARTS: Array<{ key: string; label: string }> = [
  { key: 'cpuServerUs', label: 'Hookrelay' },
  { key: 'cpuPostgresUs', label: 'PostgreSQL' },
  { key: 'cpuPeerUs', label: 'peer' },
  { key: 'cpuRedisUs', label: 'Redis' },
  { key: 'cpuSenderUs', label: 'raw sender' },
  { key: 'cpuProducerUs', label: 'producers' },
  { key: 'cpuReceiverUs', label: 'receiver' },
];

const us = (s: Summary | undefined) => (s && Number.isFinite(s.median) ? formatNumber(s.median) : '—');

export function cpuTable(results: BenchResults): string[] {
  const rows = SCENARIOS.flatMap((d) => results.results.filter((r) => r.scenario === d.scenario && r.figures.cpuTotalUs).map((r) => ({ d, r })));
  if (rows.length === 0) return [];
  // Only the processes some row measured (no peer or Redis column in a run without the peer).
  const parts = PARTS.filter((p) => rows.some(({ r }) => r.figures[p.key]));
  const out = [
    '## Where the CPU goes',
    '',
    `CPU time (user + system, all threads) of each process per message, read from /proc over the measured stretch; medians of the runs. "CPU bound" is ${results.machine.cpus} cores ÷ the total: the rate this box could reach at these costs with every core busy all the time. "Box busy" is how much of all cores was in use meanwhile.`,
    '',
    `| Scenario | Store | ${parts.map((p) => `${p.label} µs`).join(' | ')} | Total µs | CPU bound /s | Measured /s | Box busy |`,
    `|---|---|${parts.map(() => '---|').join('')}---|---|---|---|`,
  ];
  for (const { d, r } of rows) {
    const f = r.figures;
    out.push(`| ${d.label} | ${storeName(r.store)} | ${parts.map((p) => us(f[p.key])).join(' | ')} | ${us(f.cpuTotalUs)} | ${us(f.cpuBoundPerSecond)} | ${us(f[d.rate])} | ${f.boxBusyPct ? `${f.boxBusyPct.median.toFixed(0)} %` : '—'} |`);
  }
  out.push('');
  return out;
}
