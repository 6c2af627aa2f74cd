import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { PeriodicJob } from './periodic-job.js';

/**
 * Expunges message payloads and attempt bodies past their retention, once per interval (hourly
 * by default) across all processes on the store. Counts and delivery rows remain.
 */
export function retentionJob(
  store: Store,
  logger: Pick<Logger, 'info' | 'warn'>,
  intervalMs: number,
  clock?: { now(): number },
): PeriodicJob {
  return new PeriodicJob(store, logger, {
    name: 'retention',
    periodMs: intervalMs,
    clock,
    run: async () => {
      const expunged = await store.expireContent(clock?.now() ?? Date.now());
      if (expunged.messages || expunged.attempts) logger.info({ expunged }, 'retention: expunged expired content');
    },
  });
}
