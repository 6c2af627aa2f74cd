import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { UsageReporter, type UsageReporterDeps } from '../usage/usage-reporter.js';
import { PeriodicJob } from './periodic-job.js';

/** Usage reporting (usage/usage-reporter.ts), run by one process per interval. */
export function usageReportJob(
  store: UsageReporterDeps['store'] & Pick<Store, 'claimJobRun' | 'finishJobRun'>,
  outbox: UsageReporterDeps['outbox'],
  logger: Pick<Logger, 'info' | 'warn'>,
  config: Pick<Config, 'usageReportIntervalMs' | 'retentionDays'>,
  clock: { now(): number } = { now: () => Date.now() },
): PeriodicJob {
  const reporter = new UsageReporter({ store, outbox, retentionDays: config.retentionDays, clock, logger });
  return new PeriodicJob(store, logger, {
    name: 'usage-report',
    periodMs: config.usageReportIntervalMs,
    clock,
    run: () => reporter.run(),
  });
}
