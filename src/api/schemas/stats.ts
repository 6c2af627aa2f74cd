import { Type } from '@sinclair/typebox';
import { DateTime, Nullable, ref } from './common.js';

/** Svix's attempt statistics of one application (hosted API: `v1.stats.app-attempts`, `v1.application.stats.attempts`). */

export const StatisticsPeriod = Type.Union(
  [Type.Literal('OneDay'), Type.Literal('OneHour'), Type.Literal('FiveMinutes')],
  {
    $id: 'StatisticsPeriod',
    description: 'Period length for a statistics data point.',
  },
);

const Counts = Nullable(Type.Array(Type.Integer()));

export const AttemptStatisticsData = Type.Object(
  {
    successCount: Type.Optional(Counts),
    failureCount: Type.Optional(Counts),
    canceledCount: Type.Optional(Counts),
  },
  { $id: 'AttemptStatisticsData', description: 'One entry per period from startDate, oldest first.' },
);

export const AttemptStatisticsResponse = Type.Object(
  {
    startDate: DateTime,
    endDate: DateTime,
    period: ref(StatisticsPeriod),
    data: ref(AttemptStatisticsData),
  },
  { $id: 'AttemptStatisticsResponse' },
);

export const AppAttemptEventTypeStats = Type.Object(
  {
    success: Type.Integer({ minimum: 0 }),
    failure: Type.Integer({ minimum: 0 }),
    canceled: Type.Integer({ minimum: 0 }),
  },
  { $id: 'AppAttemptEventTypeStats' },
);

export const AppAttemptStatsOut = Type.Object(
  {
    by_event_type: Type.Record(Type.String(), ref(AppAttemptEventTypeStats)),
    total_success: Type.Integer({ minimum: 0 }),
    total_failure: Type.Integer({ minimum: 0 }),
    total_canceled: Type.Integer({ minimum: 0 }),
    since: DateTime,
    until: DateTime,
  },
  { $id: 'AppAttemptStatsOut' },
);
