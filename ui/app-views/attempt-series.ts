import type { ChartSeries } from '../shared/components/TimeChart.js';
import type { AttemptStatisticsResponse, StatisticsPeriod } from './extension-api.js';

const PERIOD_SECONDS: Record<StatisticsPeriod, number> = { OneDay: 86_400, OneHour: 3_600, FiveMinutes: 300 };

export interface AttemptSeries {
  /** Bucket starts, in seconds (uPlot's time unit). */
  times: number[];
  series: ChartSeries[];
  succeeded: number;
  failed: number;
}

/** Svix's AttemptStatisticsResponse as chart data: one point per bucket from `startDate`. */
export function attemptSeries(stats: AttemptStatisticsResponse): AttemptSeries {
  const success = stats.data.successCount ?? [];
  const failure = stats.data.failureCount ?? [];
  const length = Math.max(success.length, failure.length);
  const start = Math.floor(Date.parse(stats.startDate) / 1000);
  const step = PERIOD_SECONDS[stats.period] ?? 3_600;
  // One point more than buckets, at the end of the last one: a stepped line holds each value
  // until the next point, so without it the current bucket would have no width.
  const times = Array.from({ length: length + 1 }, (_, i) => start + i * step);
  const pad = (values: number[]) => Array.from({ length: length + 1 }, (_, i) => values[Math.min(i, length - 1)] ?? 0);
  return {
    times,
    series: [
      { label: 'Succeeded', values: pad(success), colorVar: '--success' },
      { label: 'Failed', values: pad(failure), colorVar: '--danger' },
    ],
    succeeded: success.reduce((a, b) => a + b, 0),
    failed: failure.reduce((a, b) => a + b, 0),
  };
}
