import type { StatsOverview } from '../operator-types.js';

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

/** The chart's columns: each minute's start in seconds (uPlot's time unit) and its counts. */
export function perMinuteColumns(overview: StatsOverview) {
  const rows = overview.perMinute;
  return {
    times: rows.map((row) => Date.parse(row.minute) / 1000),
    succeeded: rows.map((row) => row.succeeded),
    failed: rows.map((row) => row.failed),
    retrying: rows.map((row) => row.retrying),
  };
}
