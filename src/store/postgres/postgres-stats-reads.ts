import { CatalogStore } from '../catalog/catalog-store.js';
import type {
  AppHealth,
  AttemptCountQuery,
  AttemptCounts,
  CatalogTotals,
  DeliveryMinute,
  FailingEndpoint,
  Page,
  PageQuery,
  TimeRange,
} from '../store.js';
import * as attemptStats from './attempt-stats.js';
import type { Db } from './db.js';
import * as deliveryStats from './delivery-stats.js';
import * as operator from './operator-views.js';

/** The statistics the dashboard reads (attempt counts, delivery minutes, app health), as PostgresStore's base: the adapter file keeps the writes and the engine. */
export abstract class PostgresStatsReads extends CatalogStore {
  protected abstract readonly db: Db;

  attemptHistogram(
    appId: string,
    q: AttemptCountQuery & { bucketMs: number },
  ): Promise<Array<AttemptCounts & { bucket: number }>> {
    return attemptStats.attemptHistogram(this.db, appId, q);
  }
  attemptCountsByEventType(appId: string, q: AttemptCountQuery): Promise<Array<AttemptCounts & { eventType: string }>> {
    return attemptStats.attemptCountsByEventType(this.db, appId, q);
  }
  deliveryMinutes(range: TimeRange): Promise<DeliveryMinute[]> {
    return deliveryStats.deliveryMinutes(this.db, range);
  }
  deliveryLatency(range: TimeRange): Promise<{ count: number; p50: number | null; p99: number | null }> {
    return deliveryStats.deliveryLatency(this.db, range);
  }
  catalogTotals(): Promise<CatalogTotals> {
    return operator.catalogTotals(this.db);
  }
  appHealth(appIds: string[] | null, range: TimeRange): Promise<AppHealth[]> {
    return operator.appHealth(this.db, appIds, range);
  }
}
