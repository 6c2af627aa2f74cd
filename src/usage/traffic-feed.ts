import { TRAFFIC_FEEDS, isTrafficType, type TrafficFeed } from '../domain/traffic-usage.js';
import type { Store } from '../store/store.js';

/**
 * An attempt is fed once it is this old: its outcome reaches the store after it is made, so
 * reading attempts by ID stops short of the ones that may still be committing.
 */
export const ATTEMPT_SETTLE_MS = 120_000;
/** Rows per transaction, and transactions per feed and run (a backlog is caught up over runs). */
const BATCH = 5_000;
const BATCHES_PER_RUN = 20;

/**
 * Turns Hookrelay's own traffic into usage events (domain/traffic-usage.ts) for the feeds some
 * meter reads; a feed no meter reads keeps its position and catches up when one does.
 */
export class TrafficFeeder {
  constructor(
    private readonly store: Pick<Store, 'feedTrafficUsage'>,
    private readonly clock: { now(): number },
  ) {}

  async run(meters: ReadonlyArray<{ eventType: string }>): Promise<void> {
    const wanted = new Set<TrafficFeed>();
    for (const m of meters) if (isTrafficType(m.eventType)) wanted.add(TRAFFIC_FEEDS[m.eventType]);
    for (const feed of wanted) {
      for (let n = 0; n < BATCHES_PER_RUN; n++) {
        const now = this.clock.now();
        const run = { now, attemptsBefore: now - ATTEMPT_SETTLE_MS, limit: BATCH };
        if ((await this.store.feedTrafficUsage(feed, run)) < BATCH) break;
      }
    }
  }
}
