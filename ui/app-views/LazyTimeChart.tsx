import { lazy, Suspense, type ComponentProps } from 'react';
import type { TimeChart as TimeChartComponent } from '../shared/components/TimeChart.js';
import { Loading } from '../shared/components/Loading.js';

/** uPlot stays out of the first load: the chart's code arrives when a page first shows one. */
const TimeChart = lazy(() =>
  import('../shared/components/TimeChart.js').then((module) => ({ default: module.TimeChart })),
);

export function LazyTimeChart(props: ComponentProps<typeof TimeChartComponent>) {
  return (
    <Suspense fallback={<Loading label="Loading chart…" />}>
      <TimeChart {...props} />
    </Suspense>
  );
}
