import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { UsageReporter, type UsageReporterDeps } from '../usage/usage-reporter.js';
import { UsageRoller, type UsageRollerStore } from '../usage/usage-roller.js';
import { TrafficFeeder } from '../usage/traffic-feed.js';
import { PeriodicJob } from './periodic-job.js';

/** Traffic usage events, usage rollups and reporting (usage/traffic-feed.ts, usage/usage-roller.ts, usage/usage-reporter.ts), run by one process per interval. */
export function usageReportJob(
  store: UsageReporterDeps['store'] &
    UsageRollerStore &
    Pick<Store, 'claimJobRun' | 'finishJobRun' | 'feedTrafficUsage'>,
  outbox: UsageReporterDeps['outbox'],
  logger: Pick<Logger, 'info' | 'warn'>,
  config: Pick<Config, 'usageReportIntervalMs' | 'retentionDays'>,
  clock: { now(): number } = { now: () => Date.now() },
): PeriodicJob {
  const reporter = new UsageReporter({ store, outbox, retentionDays: config.retentionDays, clock, logger });
  const roller = new UsageRoller(store, clock);
  const feeder = new TrafficFeeder(store, clock);
  return new PeriodicJob(store, logger, {
    name: 'usage-report',
    periodMs: config.usageReportIntervalMs,
    clock,
    run: async () => {
      // Each step runs even when one before it failed (reports read the events if rollups lag);
      // the first failure still fails the run, so the period is tried again.
      const meters = await store.meterStates();
      const failures: unknown[] = [];
      for (const step of [() => feeder.run(meters), () => roller.run(meters), () => reporter.run()])
        await step().catch((err: unknown) => failures.push(err));
      if (failures.length > 0) throw failures[0];
    },
  });
}
