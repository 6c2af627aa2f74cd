import { CatalogStore } from '../catalog/catalog-store.js';
import type { AttemptCountQuery, AttemptCounts, DeliveryMinute, TimeRange } from '../store.js';
import * as attemptStats from './attempt-stats.js';
import type { Db } from './db.js';
import * as deliveryStats from './delivery-stats.js';
import type { AppId } from '../../ids.js';

/** The dashboard statistics whose SQL is tuned to each planner (attempt counts, delivery minutes and latency), as PostgresStore's base. */
export abstract class PostgresStatsReads extends CatalogStore {
  protected abstract readonly db: Db;

  attemptHistogram(
    appId: AppId,
    q: AttemptCountQuery & { bucketMs: number },
  ): Promise<Array<AttemptCounts & { bucket: number }>> {
    return attemptStats.attemptHistogram(this.db, appId, q);
  }
  attemptCountsByEventType(appId: AppId, q: AttemptCountQuery): Promise<Array<AttemptCounts & { eventType: string }>> {
    return attemptStats.attemptCountsByEventType(this.db, appId, q);
  }
  deliveryMinutes(range: TimeRange): Promise<DeliveryMinute[]> {
    return deliveryStats.deliveryMinutes(this.db, range);
  }
  deliveryLatency(range: TimeRange): Promise<{ count: number; p50: number | null; p99: number | null }> {
    return deliveryStats.deliveryLatency(this.db, range);
  }
}
