import type { ScheduledMeter } from '../domain/usage-report.js';
import type { RollupProgress, Store } from '../store/store.js';

const HOUR = 3_600_000;
/** An hour is rolled up once it ended this long ago (ingests still committing); later arrivals are refolded. */
const SETTLE_MS = 5_000;
/** Hours rolled per transaction, and transactions per meter and run. */
const CHUNK_MS = 24 * HOUR;
const CHUNKS_PER_RUN = 24;

export type UsageRollerStore = Pick<Store, 'rollMeterHours' | 'refoldLateUsage' | 'firstUsageEventTime'>;

const floorHour = (t: number) => t - (t % HOUR);

/**
 * Keeps each meter's hourly rollups (store/catalog/usage-rollups.ts) up with the events: hours
 * that ended are rolled up from the meter's first event on, a week per transaction; hours that
 * late events arrived in are rewritten. `unique_count` has none (distinct values do not merge).
 */
export class UsageRoller {
  constructor(
    private readonly store: UsageRollerStore,
    private readonly clock: { now(): number },
  ) {}

  async run(meters: ScheduledMeter[]): Promise<void> {
    for (const m of meters) if (m.aggregation !== 'unique_count') await this.roll(m);
  }

  private async roll(m: ScheduledMeter): Promise<void> {
    const now = this.clock.now();
    const end = floorHour(now - SETTLE_MS);
    let from = m.rolledThrough;
    let progress: RollupProgress = {};
    if (from === null) {
      from = Math.min(end, floorHour((await this.store.firstUsageEventTime(m.eventType)) ?? end));
      progress = { from, checkedAt: now };
    } else await this.store.refoldLateUsage(m, now);
    if (from >= end && progress.from !== undefined)
      return this.store.rollMeterHours(m, from, from, { ...progress, through: from });
    for (let n = 0; n < CHUNKS_PER_RUN && from < end; n++) {
      const to = Math.min(from + CHUNK_MS, end);
      await this.store.rollMeterHours(m, from, to, { ...progress, through: to });
      progress = {};
      from = to;
    }
  }
}
