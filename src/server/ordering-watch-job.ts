import type { Logger } from 'pino';
import type { OperationalWebhooks } from '../domain/operational-webhooks.js';
import type { Store } from '../store/store.js';
import { PeriodicJob } from './periodic-job.js';

/** Heads reported per run at most (the oldest first; the rest come in the next runs). */
const BATCH = 500;

/**
 * Reports, through the operational webhook `message.ordering.blocked`, each ordered key whose
 * head has been failing for `blockedAfterMs` — once per head: the message's eventId is derived
 * from the head's delivery, so a later run (or another process) is refused as a duplicate.
 */
export function orderingWatchJob(
  store: Pick<Store, 'blockedOrderHeads' | 'claimJobRun' | 'finishJobRun'>,
  operational: Pick<OperationalWebhooks, 'emit'>,
  logger: Pick<Logger, 'info' | 'warn'>,
  blockedAfterMs: number,
  clock: { now(): number } = { now: () => Date.now() },
): PeriodicJob {
  return new PeriodicJob(store, logger, {
    name: 'ordering-watch',
    periodMs: Math.min(60_000, blockedAfterMs),
    clock,
    run: async () => {
      const now = clock.now();
      for (const h of await store.blockedOrderHeads(now - blockedAfterMs, BATCH)) {
        const data = {
          appId: h.appId,
          endpointId: h.endpointId,
          orderingKey: h.key,
          msgId: h.msgId,
          failed: h.failed,
          attempts: h.attempts,
          blockedSince: new Date(h.since).toISOString(),
        };
        await operational.emit('message.ordering.blocked', data, now, `ordering-blocked.${h.deliveryId}`);
      }
    },
  });
}
