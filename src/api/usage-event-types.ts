import { Type, type TSchema } from '@sinclair/typebox';
import { USAGE_REPORT, USAGE_THRESHOLD_CROSSED } from '../domain/usage-report.js';
import type { Store } from '../store/store.js';
import { ThresholdCrossedData, UsageReportData } from './schemas/usage.js';

const envelope = (type: string, data: TSchema, example: Record<string, unknown>) =>
  JSON.parse(
    JSON.stringify(
      Type.Object(
        { type: Type.Literal(type), timestamp: Type.String({ format: 'date-time' }), data },
        { examples: [{ type, timestamp: '2026-12-01T00:05:00.000Z', data: example }] },
      ),
    ),
  ) as Record<string, unknown>;

/** The two event types meters send, with their payload's JSON Schema and an example (send-example, the portal's catalog). */
const USAGE_EVENT_TYPES = [
  {
    name: USAGE_REPORT,
    description:
      "A meter's value for one subject and period (docs/usage.md). A higher version corrects an earlier one.",
    schemas: {
      '1': envelope(USAGE_REPORT, UsageReportData, {
        reportId: 'rpt_0mkhmwdc0a1b2c3d4e5f6a7b8c9d0e1f2',
        meter: 'api-calls',
        subject: 'acme',
        periodStart: '2026-11-30T00:00:00.000Z',
        periodEnd: '2026-12-01T00:00:00.000Z',
        value: 1840,
        groups: [
          { groupBy: { route: '/search' }, value: 1500 },
          { groupBy: { route: '/export' }, value: 340 },
        ],
        version: 1,
      }),
    },
  },
  {
    name: USAGE_THRESHOLD_CROSSED,
    description: "A subject's usage crossed a meter's threshold in the current period (once per code and multiple).",
    schemas: {
      '1': envelope(USAGE_THRESHOLD_CROSSED, ThresholdCrossedData, {
        code: 'quota-80',
        meter: 'api-calls',
        subject: 'acme',
        value: 8012,
        threshold: 8000,
        multiple: 1,
        periodStart: '2026-12-01T00:00:00.000Z',
      }),
    },
  },
];

/** Register `usage.report` and `usage.threshold.crossed` in the event-type catalog unless they are there. */
export async function ensureUsageEventTypes(store: Pick<Store, 'getEventType' | 'createEventType'>): Promise<void> {
  for (const et of USAGE_EVENT_TYPES) {
    if (await store.getEventType(et.name)) continue;
    try {
      await store.createEventType({ ...et, archived: false, deprecated: false, featureFlag: null, now: Date.now() });
    } catch (err) {
      if (!(await store.getEventType(et.name))) throw err; // another request registered it meanwhile: fine
    }
  }
}
