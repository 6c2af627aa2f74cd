import type { AttemptCountQuery, AttemptCounts, DeliveryMinute, TimeRange } from '../store.js';
import * as attemptStats from './attempt-stats.js';
import * as deliveryStats from './delivery-stats.js';
import type { SqliteContext } from './sqlite-context.js';
import { CatalogStore } from '../catalog/catalog-store.js';
import type { AppId } from '../../ids.js';

/** The dashboard statistics whose SQL is tuned to each planner (attempt counts, delivery minutes and latency), as SqliteStore's base. */
export abstract class SqliteStatsReads extends CatalogStore {
  protected abstract run<T>(fn: (ctx: SqliteContext) => T): Promise<T>;

  attemptHistogram(
    appId: AppId,
    q: AttemptCountQuery & { bucketMs: number },
  ): Promise<Array<AttemptCounts & { bucket: number }>> {
    return this.run((c) => attemptStats.attemptHistogram(c, appId, q));
  }
  attemptCountsByEventType(appId: AppId, q: AttemptCountQuery): Promise<Array<AttemptCounts & { eventType: string }>> {
    return this.run((c) => attemptStats.attemptCountsByEventType(c, appId, q));
  }
  deliveryMinutes(range: TimeRange): Promise<DeliveryMinute[]> {
    return this.run((c) => deliveryStats.deliveryMinutes(c, range));
  }
  deliveryLatency(range: TimeRange): Promise<{ count: number; p50: number | null; p99: number | null }> {
    return this.run((c) => deliveryStats.deliveryLatency(c, range));
  }
}
