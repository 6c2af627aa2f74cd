import type { Meter, MeterQuery, MeterRow, UsageEvent } from '../domain/usage.js';
import type {
  MeterProgress,
  ScheduledMeter,
  ThresholdCrossing,
  UsageMessageKind,
  UsageReport,
} from '../domain/usage-report.js';
import type { FeedRun, TrafficFeed } from '../domain/traffic-usage.js';
import type { Page, PageQuery } from './page-types.js';

/** New bounds of a meter's rollups: hours [from, through) written, late arrivals looked at up to checkedAt. */
export interface RollupProgress {
  from?: number;
  through?: number;
  checkedAt?: number;
}

/** What a meter update may change. */
export type MeterPatch = Partial<Pick<Meter, 'name' | 'groupBy' | 'filter' | 'report' | 'thresholds'>>;

/** The Store's usage metering half (catalog/usage.ts, usage-reports.ts, usage-rollups.ts, meter-query.ts). */
export interface UsageStore {
  // usage metering (catalog/usage.ts)
  /** Store the usage events not stored yet (by source and id); the `usageKey`s of the new ones. */
  recordUsageEvents(events: UsageEvent[], now: number): Promise<string[]>;
  /** Null when the key is taken. */
  createMeter(meter: Meter): Promise<Meter | null>;
  getMeter(key: string): Promise<Meter | null>;
  listMeters(page: PageQuery): Promise<Page<Meter>>;
  updateMeter(key: string, patch: MeterPatch, now: number): Promise<Meter | null>;
  deleteMeter(key: string): Promise<boolean>;
  /** The meter's exact aggregates over [from, to), per window, subject and asked group. */
  queryMeter(meter: Meter, query: MeterQuery): Promise<MeterRow[]>;
  /** queryMeter for each query, all read from one committed state: their answers agree with each other. */
  queryMeters(meter: Meter, queries: MeterQuery[]): Promise<MeterRow[][]>;

  // usage reports and thresholds (catalog/usage-reports.ts)
  /** Every meter with its progress (reports, thresholds, rollups). */
  meterStates(): Promise<ScheduledMeter[]>;
  /** Roll up the meter's hours [from, to) and move its bounds, in one transaction (catalog/usage-rollups.ts). */
  rollMeterHours(meter: Meter, from: number, to: number, progress: RollupProgress): Promise<void>;
  /** Rewrite the rollup hours late events arrived in since the last look; the look moves to `now`. */
  refoldLateUsage(meter: Meter, now: number): Promise<void>;
  /** The earliest event time of a usage event type (null: none yet). */
  firstUsageEventTime(type: string): Promise<number | null>;
  /** Reports (each once by its key) and the meter's progress, in one transaction. */
  writeUsageReports(meterKey: string, reports: UsageReport[], progress: MeterProgress): Promise<void>;
  /** Threshold crossings (each once by its key) and the meter's progress, in one transaction. */
  writeThresholdCrossings(meterKey: string, crossings: ThresholdCrossing[], progress: MeterProgress): Promise<void>;
  /** The latest version of each report of the meter for periods starting in [from, to). */
  latestUsageReports(meterKey: string, from: number, to: number): Promise<UsageReport[]>;
  thresholdCrossings(meterKey: string, periodStart: number): Promise<ThresholdCrossing[]>;
  /** Per subject, the time span of the events of `type` received in (since, until] with time before `before`. */
  usageArrivals(
    type: string,
    since: number,
    until: number,
    before: number,
  ): Promise<Array<{ subject: string; from: number; to: number }>>;
  /** Every application as a report subject (uid, else ID). */
  applicationSubjects(): Promise<string[]>;
  pendingUsageMessages(limit: number): Promise<{ reports: UsageReport[]; crossings: ThresholdCrossing[] }>;
  markUsageMessage(kind: UsageMessageKind, id: string, status: 'sent' | 'no_app', msgId: string | null): Promise<void>;
  listUsageReports(meterKey: string, subject: string | null, page: PageQuery): Promise<Page<UsageReport>>;

  // Hookrelay's own traffic as usage events (catalog/usage-feeds.ts)
  /** Feed the next rows of the messages or attempts log as usage events; how many were written. */
  feedTrafficUsage(feed: TrafficFeed, run: FeedRun): Promise<number>;
}
