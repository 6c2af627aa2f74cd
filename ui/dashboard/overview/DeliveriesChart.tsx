import { lazy, Suspense, useMemo } from 'react';
import { Loading } from '../../shared/components/Loading.js';
import type { ChartSeries } from '../../shared/components/TimeChart.js';
import type { StatsOverview } from '../operator-types.js';
import { perMinuteColumns, type OverviewTotals } from './overview-figures.js';

// uPlot is loaded with the chart, not with the dashboard's first page.
const TimeChart = lazy(() => import('../../shared/components/TimeChart.js').then((m) => ({ default: m.TimeChart })));

/** Deliveries per minute (succeeded, failed, retrying) over the overview's window. */
export function DeliveriesChart({
  overview,
  totals,
  minutes,
}: {
  overview: StatsOverview;
  totals: OverviewTotals;
  minutes: number;
}) {
  const { times, series } = useMemo(() => {
    const columns = perMinuteColumns(overview);
    const chartSeries: ChartSeries[] = [
      { label: 'Succeeded', values: columns.succeeded, colorVar: '--success' },
      { label: 'Failed', values: columns.failed, colorVar: '--danger' },
      { label: 'Retrying', values: columns.retrying, colorVar: '--warning' },
    ];
    return { times: columns.times, series: chartSeries };
  }, [overview]);
  const summary = `Deliveries per minute over the last ${minutes} minutes: ${totals.succeeded} succeeded, ${totals.failed} failed, ${totals.retrying} retrying.`;
  return (
    <Suspense fallback={<Loading label="Loading the chart…" />}>
      <TimeChart times={times} series={series} summary={summary} />
    </Suspense>
  );
}
