import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { UsageReporter, type UsageReporterDeps } from '../usage/usage-reporter.js';
import { UsageRoller, type UsageRollerStore } from '../usage/usage-roller.js';
import { PeriodicJob } from './periodic-job.js';

/** Usage rollups and reporting (usage/usage-roller.ts, usage/usage-reporter.ts), run by one process per interval. */
export function usageReportJob(
  store: UsageReporterDeps['store'] & UsageRollerStore & Pick<Store, 'claimJobRun' | 'finishJobRun'>,
  outbox: UsageReporterDeps['outbox'],
  logger: Pick<Logger, 'info' | 'warn'>,
  config: Pick<Config, 'usageReportIntervalMs' | 'retentionDays'>,
  clock: { now(): number } = { now: () => Date.now() },
): PeriodicJob {
  const reporter = new UsageReporter({ store, outbox, retentionDays: config.retentionDays, clock, logger });
  const roller = new UsageRoller(store, clock);
  return new PeriodicJob(store, logger, {
    name: 'usage-report',
    periodMs: config.usageReportIntervalMs,
    clock,
    run: async () => {
      await roller.run(await store.meterStates());
      await reporter.run();
    },
  });
}
