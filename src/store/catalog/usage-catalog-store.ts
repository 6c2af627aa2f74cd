import type { FeedRun, TrafficFeed } from '../../domain/traffic-usage.js';
import type {
  MeterProgress,
  ScheduledMeter,
  ThresholdCrossing,
  UsageMessageKind,
  UsageReport,
} from '../../domain/usage-report.js';
import type { Meter, MeterQuery, MeterRow, UsageEvent } from '../../domain/usage.js';
import type { MessageId } from '../../ids.js';
import type { MeterPatch, Page, PageQuery, RollupProgress } from '../store.js';
import type { CatalogContext } from './catalog-context.js';
import * as meterQuery from './meter-query.js';
import type { Steps } from './steps.js';
import * as feeds from './usage-feeds.js';
import * as reports_ from './usage-reports.js';
import * as rollups from './usage-rollups.js';
import * as usage from './usage.js';

/**
 * The Store's usage methods (events, meters, rollups, reports, Hookrelay's own traffic), written
 * once over the catalog like the rest of CatalogStore, which extends this class.
 */
export type CatalogTransaction = 'write' | 'snapshot';

export abstract class UsageCatalogStore {
  /**
   * Runs an operation's SQL steps on the adapter's connection: each statement on its own, in one
   * writing transaction (`write`), or in one read-only transaction whose statements all read the
   * same committed state (`snapshot`).
   */
  protected abstract catalog<T>(op: (c: CatalogContext) => Steps<T>, transaction?: CatalogTransaction): Promise<T>;

  recordUsageEvents(events: UsageEvent[], now: number): Promise<string[]> {
    return this.catalog((c) => usage.recordUsageEvents(c, events, now), 'write');
  }
  createMeter(meter: Meter): Promise<Meter | null> {
    return this.catalog((c) => usage.createMeter(c, meter));
  }
  getMeter(key: string): Promise<Meter | null> {
    return this.catalog((c) => usage.getMeter(c, key));
  }
  listMeters(page: PageQuery): Promise<Page<Meter>> {
    return this.catalog((c) => usage.listMeters(c, page));
  }
  updateMeter(key: string, patch: MeterPatch, now: number): Promise<Meter | null> {
    return this.catalog((c) => usage.updateMeter(c, key, patch, now));
  }
  deleteMeter(key: string): Promise<boolean> {
    return this.catalog((c) => usage.deleteMeter(c, key));
  }
  queryMeter(meter: Meter, query: MeterQuery): Promise<MeterRow[]> {
    return this.catalog((c) => meterQuery.queryMeter(c, meter, query), 'snapshot');
  }
  queryMeters(meter: Meter, queries: MeterQuery[]): Promise<MeterRow[][]> {
    return this.catalog((c) => meterQuery.queryMeters(c, meter, queries), 'snapshot');
  }
  meterStates(): Promise<ScheduledMeter[]> {
    return this.catalog((c) => usage.meterStates(c));
  }
  rollMeterHours(meter: Meter, from: number, to: number, progress: RollupProgress): Promise<void> {
    return this.catalog((c) => rollups.rollMeter(c, meter, from, to, progress), 'write');
  }
  refoldLateUsage(meter: Meter, now: number): Promise<void> {
    return this.catalog((c) => rollups.refoldLate(c, meter, now), 'write');
  }
  firstUsageEventTime(type: string): Promise<number | null> {
    return this.catalog((c) => rollups.firstEventTime(c, type));
  }
  feedTrafficUsage(feed: TrafficFeed, run: FeedRun): Promise<number> {
    return this.catalog((c) => feeds.feedTraffic(c, feed, run), 'write');
  }
  writeUsageReports(meterKey: string, reports: UsageReport[], progress: MeterProgress): Promise<void> {
    return this.catalog((c) => reports_.writeReports(c, meterKey, reports, progress), 'write');
  }
  writeThresholdCrossings(meterKey: string, crossings: ThresholdCrossing[], progress: MeterProgress): Promise<void> {
    return this.catalog((c) => reports_.writeCrossings(c, meterKey, crossings, progress), 'write');
  }
  latestUsageReports(meterKey: string, from: number, to: number): Promise<UsageReport[]> {
    return this.catalog((c) => reports_.latestReports(c, meterKey, from, to));
  }
  thresholdCrossings(meterKey: string, periodStart: number): Promise<ThresholdCrossing[]> {
    return this.catalog((c) => reports_.crossingsOf(c, meterKey, periodStart));
  }
  usageArrivals(type: string, since: number, until: number, before: number) {
    return this.catalog((c) => reports_.arrivals(c, type, since, until, before));
  }
  applicationSubjects(): Promise<string[]> {
    return this.catalog((c) => reports_.applicationSubjects(c));
  }
  pendingUsageMessages(limit: number) {
    return this.catalog((c) => reports_.pendingUsageMessages(c, limit));
  }
  markUsageMessage(kind: UsageMessageKind, id: string, status: 'sent' | 'no_app', msgId: MessageId | null) {
    return this.catalog((c) => reports_.markUsageMessage(c, kind, id, status, msgId));
  }
  listUsageReports(meterKey: string, subject: string | null, page: PageQuery): Promise<Page<UsageReport>> {
    return this.catalog((c) => reports_.listUsageReports(c, meterKey, subject, page));
  }
}
