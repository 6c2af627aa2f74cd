import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { data } from '../shared/api.js';
import { useApi } from '../shared/api-context.js';
import { Card } from '../shared/components/PageHeader.js';
import { QueryView } from '../shared/components/QueryView.js';
import { Stat } from '../shared/components/Stat.js';
import { formatNumber, formatPercent } from '../shared/format.js';
import { useAppId } from './app-id.js';
import { attemptSeries } from './attempt-series.js';
import { extended, type AttemptStatisticsResponse } from './extension-api.js';
import { LazyTimeChart } from './LazyTimeChart.js';
import { queryKeys } from './query-keys.js';

const DAY_MS = 86_400_000;

/** The last 24 hours of deliveries to this endpoint: totals by status and attempts per hour. */
export function EndpointStatsCard({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const appId = useAppId();
  // Fixed when the card mounts, so refetches ask for the same window (and the same cache key).
  const [since] = useState(() => new Date(Date.now() - DAY_MS).toISOString());
  const stats = useQuery({
    queryKey: queryKeys.endpointPart(appId, endpointId, 'stats', since),
    queryFn: () =>
      data(
        api.GET('/api/v1/app/{app_id}/endpoint/{endpoint_id}/stats', {
          params: { path: { app_id: appId, endpoint_id: endpointId }, query: { since } },
        }),
      ),
  });
  const attempts = useQuery({
    queryKey: queryKeys.endpointPart(appId, endpointId, 'attempt-stats', since),
    queryFn: () =>
      data(
        extended(api).GET('/api/v1/stats/app/{app_id}/attempt', {
          params: { path: { app_id: appId }, query: { endpointId, period: 'OneHour', startDate: since } },
        }),
      ),
  });

  return (
    <Card title="Deliveries in the last 24 hours">
      <div className="stack">
        <QueryView
          query={stats}
          loadingLabel="Loading delivery figures…"
          errorTitle="Delivery figures could not be loaded"
        >
          {({ success, fail, pending, sending }) => (
            <div className="grid-stats">
              <Stat label="Succeeded" value={formatNumber(success)} tone={success > 0 ? 'success' : undefined} />
              <Stat label="Failed" value={formatNumber(fail)} tone={fail > 0 ? 'danger' : undefined} />
              <Stat
                label="Pending"
                value={formatNumber(pending + sending)}
                note={sending > 0 ? `${formatNumber(sending)} sending now` : undefined}
              />
              <Stat label="Success rate" value={success + fail > 0 ? formatPercent(success / (success + fail)) : '—'} />
            </div>
          )}
        </QueryView>
        <div>
          <h3>Delivery attempts per hour</h3>
          <QueryView query={attempts} loadingLabel="Loading the chart…" errorTitle="The chart could not be loaded">
            {(statistics) => <AttemptsChart statistics={statistics} />}
          </QueryView>
        </div>
      </div>
    </Card>
  );
}

function AttemptsChart({ statistics }: { statistics: AttemptStatisticsResponse }) {
  const chart = useMemo(() => attemptSeries(statistics), [statistics]);
  return (
    <LazyTimeChart
      times={chart.times}
      series={chart.series}
      summary={`Delivery attempts per hour over the last 24 hours: ${formatNumber(chart.succeeded)} succeeded, ${formatNumber(chart.failed)} failed.`}
    />
  );
}
