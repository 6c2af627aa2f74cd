import type { UsageEvent } from '../domain/usage.js';
import { GroupCommit } from '../outbox/group-commit.js';
import { usageKey } from '../store/catalog/usage.js';
import type { Store } from '../store/store.js';

/** Events one transaction writes at most; a request of more (up to the batch limit) still goes alone. */
const MAX_EVENTS_PER_COMMIT = 5000;

/**
 * Usage events in with group commit, like messages: the requests of one event-loop turn are
 * written in one transaction (one fsync). Each request learns how many of its events were new;
 * an event two requests of one commit both carry counts for the first.
 */
export class UsageIngest {
  private readonly commits: GroupCommit<{ events: UsageEvent[]; now: number }, number>;

  constructor(store: Pick<Store, 'recordUsageEvents'>) {
    this.commits = new GroupCommit(
      async (requests) => {
        const now = Math.max(...requests.map((r) => r.now));
        const fresh = new Set(
          await store.recordUsageEvents(
            requests.flatMap((r) => r.events),
            now,
          ),
        );
        return requests.map((r) => r.events.filter((e) => fresh.delete(usageKey(e.source, e.id))).length);
      },
      { maxBatch: MAX_EVENTS_PER_COMMIT, weight: (r) => r.events.length },
    );
  }

  /** Store the events (durable when this resolves); how many were new. */
  record(events: UsageEvent[], now: number): Promise<number> {
    return this.commits.submit({ events, now });
  }
}
