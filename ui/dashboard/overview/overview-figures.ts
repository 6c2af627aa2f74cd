import type { StatsOverview } from '../dashboard-api.js';

const MINUTE_MS = 60_000;

export interface OverviewTotals {
  succeeded: number;
  failed: number;
  retrying: number;
  total: number;
  /** Succeeded over all attempts; null without any. */
  successRate: number | null;
}

/** The per-minute counts summed over the window. */
export function overviewTotals(overview: StatsOverview): OverviewTotals {
  let succeeded = 0;
  let failed = 0;
  let retrying = 0;
  for (const minute of overview.perMinute) {
    succeeded += minute.succeeded;
    failed += minute.failed;
    retrying += minute.retrying;
  }
  const total = succeeded + failed + retrying;
  return { succeeded, failed, retrying, total, successRate: total === 0 ? null : succeeded / total };
}

function epochMs(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/**
 * The chart's columns: every minute of the window (the API leaves out minutes without
 * attempts, which are zeros here), its start in seconds (uPlot's time unit), and the counts.
 */
export function perMinuteColumns(overview: StatsOverview) {
  const byMinute = new Map<number, StatsOverview['perMinute'][number]>();
  for (const row of overview.perMinute) byMinute.set(Math.floor(epochMs(row.minute) / MINUTE_MS) * MINUTE_MS, row);
  const first = Math.floor(epochMs(overview.since) / MINUTE_MS) * MINUTE_MS;
  const last = Math.floor(epochMs(overview.until) / MINUTE_MS) * MINUTE_MS;
  const columns = { times: [] as number[], succeeded: [] as number[], failed: [] as number[], retrying: [] as number[] };
  const minutes = Number.isFinite(first) && Number.isFinite(last) && last >= first
    ? Array.from({ length: Math.min((last - first) / MINUTE_MS + 1, 24 * 60) }, (_, i) => first + i * MINUTE_MS)
    : [...byMinute.keys()].sort((a, b) => a - b);
  for (const minute of minutes) {
    const row = byMinute.get(minute);
    columns.times.push(minute / 1000);
    columns.succeeded.push(row?.succeeded ?? 0);
    columns.failed.push(row?.failed ?? 0);
    columns.retrying.push(row?.retrying ?? 0);
  }
  return columns;
}
