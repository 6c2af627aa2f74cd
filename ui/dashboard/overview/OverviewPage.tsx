import { Link } from 'wouter';
import { ErrorState, InlineError } from '../../shared/components/ErrorState.js';
import { Loading } from '../../shared/components/Loading.js';
import { Card, PageHeader } from '../../shared/components/PageHeader.js';
import { Stat } from '../../shared/components/Stat.js';
import { formatDuration, formatNumber, formatPercent } from '../../shared/format.js';
import type { StatsOverview } from '../operator-types.js';
import { DeliveriesChart } from './DeliveriesChart.js';
import { LiveIndicator } from './LiveIndicator.js';
import { overviewTotals } from './overview-figures.js';
import { OVERVIEW_MINUTES, useOverview } from './use-overview.js';

/** Deliveries, latency, queue and endpoint health over the last hour, refreshed live. */
export function OverviewPage() {
  const overview = useOverview();
  let body: React.ReactNode;
  if (overview.isPending) body = <Loading label="Loading the overview…" />;
  else if (overview.isError && !overview.data)
    body = <ErrorState error={overview.error} onRetry={() => overview.refetch()} />;
  else body = <OverviewFigures overview={overview.data} />;
  return (
    <>
      <PageHeader
        title="Overview"
        description="Deliveries across every application over the last hour. The figures refresh every 5 seconds while this tab is shown."
        actions={overview.data ? <LiveIndicator updatedAt={overview.dataUpdatedAt} failing={overview.isError} /> : null}
      />
      {overview.isError && overview.data ? <InlineError error={overview.error} /> : null}
      {body}
    </>
  );
}

function OverviewFigures({ overview }: { overview: StatsOverview }) {
  const totals = overviewTotals(overview);
  const rate = totals.successRate;
  const { queue, endpoints } = overview;
  return (
    <div className="stack">
      <section aria-label="Figures of the last hour" className="grid-stats">
        <Stat
          label="Deliveries (last hour)"
          value={formatNumber(totals.total)}
          note={`${formatNumber(totals.succeeded)} succeeded · ${formatNumber(totals.failed)} failed · ${formatNumber(totals.retrying)} retrying`}
        />
        <Stat
          label="Success rate"
          value={formatPercent(rate)}
          note={rate === null ? 'No deliveries yet' : 'Of all attempts'}
          tone={rate === null ? undefined : rate < 0.9 ? 'danger' : rate < 0.99 ? 'warning' : 'success'}
        />
        <Stat
          label="Latency p50"
          value={formatDuration(overview.latencyMs.p50)}
          note={`Due → first attempt, over ${formatNumber(overview.latencyMs.count)} deliveries`}
        />
        <Stat
          label="Latency p99"
          value={formatDuration(overview.latencyMs.p99)}
          note="Due → first attempt, slowest 1 %"
        />
        <Stat
          label="Queue depth"
          value={formatNumber(queue.depth)}
          note="Deliveries waiting"
          tone={queue.depth > 0 ? 'warning' : undefined}
        />
        <Stat
          label="Oldest pending"
          value={queue.oldestPendingAgeMs > 0 ? formatDuration(queue.oldestPendingAgeMs) : 'None'}
          note="How long the oldest due delivery has waited"
          tone={queue.oldestPendingAgeMs > 60_000 ? 'warning' : undefined}
        />
        <Stat
          label="Disabled endpoints"
          value={formatNumber(endpoints.disabled)}
          tone={endpoints.disabled > 0 ? 'danger' : undefined}
          note={
            <>
              {formatNumber(endpoints.failing)} failing of {formatNumber(endpoints.total)} ·{' '}
              <Link href="/failing">View failing endpoints</Link>
            </>
          }
        />
      </section>
      <Card title="Deliveries per minute">
        <DeliveriesChart overview={overview} totals={totals} minutes={OVERVIEW_MINUTES} />
      </Card>
    </div>
  );
}
