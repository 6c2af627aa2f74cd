import type { StoreKind } from '../lib/environment.js';
import type { Summary } from '../lib/stats.js';
import { meets, METRICS, targetApplies, type MetricDef } from './metrics.js';
import { rawOf, type BenchResults } from './results.js';
import { formatNumber } from './svg-bar-chart.js';

/** The flat list of reported figures (one per metric and store), with ratio and target verdict. */

export interface Row {
  def: MetricDef;
  store: StoreKind | null;
  summary: Summary;
  /** Median ÷ median of the raw limit in the same run. */
  ratio: number | null;
  /** null when the metric has no target for this store. */
  met: boolean | null;
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
      const t = def.target && targetApplies(def.target, r.store) ? def.target : null;
      const met = t ? meets(t, t.of === 'ratio' ? (ratio ?? NaN) : s.median) : null;
      out.push({ def, store: r.store, summary: s, ratio, met, errors: r.errors });
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

export function verdict(met: boolean | null): string {
  return met === null ? '' : met ? 'met' : 'NOT MET';
}

export const storeName = (s: StoreKind | null) => (s === null ? '—' : s === 'sqlite' ? 'SQLite' : 'PostgreSQL');

/** A plain-text table for the console. */
export function consoleTable(results: BenchResults): string {
  const table = [['figure', 'store', 'median (min–max)', 'vs raw', 'target', 'verdict']];
  for (const r of rows(results)) {
    table.push([r.def.label, storeName(r.store), fmtSummary(r.summary, r.def.unit), fmtRatio(r.ratio), r.met === null ? '' : r.def.target!.text, verdict(r.met)]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}
