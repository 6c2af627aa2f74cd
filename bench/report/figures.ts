import type { StoreKind } from '../lib/environment.js';
import type { Summary } from '../lib/stats.js';
import { meets, METRICS, targetApplies, type MetricDef, type Target } from './metrics.js';
import { rawOf, type BenchResults } from './results.js';
import { formatNumber } from './svg-bar-chart.js';

/** The flat list of reported figures (one per metric and store), with their ratios and target verdicts. */

export interface Row {
  def: MetricDef;
  store: StoreKind | null;
  summary: Summary;
  /** Median ÷ median of the raw limit in the same run. */
  ratio: number | null;
  /** Median ÷ median of the peer's figure for the same work in the same run. */
  vsPeer: number | null;
  /** The metric's targets that apply to this store, each with its verdict. */
  verdicts: Array<{ target: Target; met: boolean }>;
  errors: string[];
}

export function rows(results: BenchResults): Row[] {
  const raw = rawOf(results);
  const out: Row[] = [];
  for (const def of METRICS) {
    for (const r of results.results.filter((x) => x.scenario === def.scenario)) {
      const summary = r.figures[def.key];
      if (!summary && r.errors.length === 0) continue;
      const s = summary ?? { median: NaN, min: NaN, max: NaN, runs: [] };
      const ratio = def.ratioToRaw && raw ? s.median / raw.median : null;
      const peer = def.peer && results.results.find((x) => x.scenario === def.peer!.scenario)?.figures[def.peer.key];
      const vsPeer = peer ? s.median / peer.median : null;
      const compared = { value: s.median, ratio: ratio ?? NaN, peer: vsPeer ?? NaN };
      const verdicts = (def.targets ?? [])
        .filter((t) => targetApplies(t, r.store))
        .map((target) => ({ target, met: meets(target, compared[target.of]) }));
      out.push({ def, store: r.store, summary: s, ratio, vsPeer, verdicts, errors: r.errors });
    }
  }
  return out;
}

export function fmtSummary(s: Summary, unit: string): string {
  const u = unit === '×' ? '×' : ` ${unit}`;
  if (!Number.isFinite(s.median)) return 'no result';
  if (s.runs.length <= 1) return `${formatNumber(s.median)}${u}`;
  return `${formatNumber(s.median)}${u} (${formatNumber(s.min)}–${formatNumber(s.max)})`;
}

export function fmtRatio(r: number | null): string {
  return r === null || !Number.isFinite(r) ? '' : `${(r * 100).toFixed(0)}%`;
}

export function fmtTimes(r: number | null): string {
  return r === null || !Number.isFinite(r) ? '' : `${r.toFixed(2)}×`;
}

/** Each target with its verdict, `met` or the `notMet` spelling the caller wants. */
export function fmtVerdicts(r: Row, notMet: string): string {
  return r.verdicts.map((v) => `${v.target.text}: ${v.met ? 'met' : notMet}`).join('; ');
}

export const storeName = (s: StoreKind | null) => (s === null ? '—' : s === 'sqlite' ? 'SQLite' : 'PostgreSQL');

/** A plain-text table for the console. */
export function consoleTable(results: BenchResults): string {
  const table = [['figure', 'store', 'median (min–max)', 'vs raw', 'vs peer', 'targets']];
  for (const r of rows(results)) {
    table.push([r.def.label, storeName(r.store), fmtSummary(r.summary, r.def.unit), fmtRatio(r.ratio), fmtTimes(r.vsPeer), fmtVerdicts(r, 'NOT MET')]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}
