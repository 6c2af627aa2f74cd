import type { StoreKind } from '../lib/environment.js';

/**
 * Every figure the benchmarks report: its unit, whether it is compared with the raw limit or with
 * the do-it-yourself peer doing the same work, and its targets. The report and the console table
 * are generated from this list.
 */

export interface Target {
  /** What is compared: the figure itself, its ratio to the raw limit, or its ratio to the peer (all of the same run). */
  of: 'value' | 'ratio' | 'peer';
  op: '>=' | '<=' | '<';
  value: number;
  /** Only for these stores (Default: every store). */
  stores?: StoreKind[];
  text: string;
}

export interface MetricDef {
  scenario: string;
  key: string;
  label: string;
  unit: 'req/s' | 'fsync/s' | 'msg/s' | 'deliveries/s' | 'events/s' | 'ms' | 'MB' | '×' | 'count';
  ratioToRaw?: boolean;
  /** The peer's figure for the same work (scenario and key), reported as this figure's ratio to it. */
  peer?: { scenario: string; key: string };
  targets?: Target[];
  /** Bookkeeping (counts), listed in the JSON only. */
  detail?: boolean;
}

const PEER_DRAIN = { scenario: 'bullmq-drain', key: 'perSecond' };
const PEER_E2E_DELIVERED = { scenario: 'bullmq-e2e', key: 'deliveredPerSecond' };
const PEER_E2E_ACCEPTED = { scenario: 'bullmq-e2e', key: 'acceptedPerSecond' };
/** The peer targets, per store, of drain and of end-to-end delivered. */
const PEER_TARGETS: Target[] = [
  { of: 'peer', op: '>=', value: 1.5, stores: ['sqlite'], text: '≥ 1.5× the peer (SQLite)' },
  { of: 'peer', op: '>=', value: 1.0, stores: ['postgres'], text: '≥ 1.0× the peer (PostgreSQL)' },
];

export const METRICS: MetricDef[] = [
  { scenario: 'raw', key: 'rps', label: 'Raw limit: signed POSTs, undici Pool, no storage', unit: 'req/s' },
  { scenario: 'raw', key: 'fsyncPerSecond', label: 'Disk: 4 KB write + fdatasync', unit: 'fsync/s' },
  { scenario: 'bullmq-drain', key: 'perSecond', label: 'Peer (BullMQ + undici, no fsync, no attempt log): drain', unit: 'deliveries/s', ratioToRaw: true },
  { scenario: 'bullmq-e2e', key: 'acceptedPerSecond', label: 'Peer (node:http + BullMQ): end-to-end accepted', unit: 'msg/s', ratioToRaw: true },
  { scenario: 'bullmq-e2e', key: 'deliveredPerSecond', label: 'Peer (node:http + BullMQ): end-to-end delivered', unit: 'deliveries/s', ratioToRaw: true },
  { scenario: 'drain', key: 'perSecond', label: 'Drain: accepted messages, one endpoint', unit: 'deliveries/s', ratioToRaw: true, peer: PEER_DRAIN, targets: [{ of: 'ratio', op: '>=', value: 0.5, stores: ['sqlite'], text: '≥ 50% of raw (SQLite)' }, ...PEER_TARGETS] },
  { scenario: 'e2e', key: 'acceptedPerSecond', label: 'End-to-end: accepted', unit: 'msg/s', ratioToRaw: true, peer: PEER_E2E_ACCEPTED, targets: [{ of: 'ratio', op: '>=', value: 0.3, text: '≥ 30% of raw' }] },
  { scenario: 'e2e', key: 'deliveredPerSecond', label: 'End-to-end: delivered', unit: 'deliveries/s', ratioToRaw: true, peer: PEER_E2E_DELIVERED, targets: [{ of: 'ratio', op: '>=', value: 0.3, text: '≥ 30% of raw' }, ...PEER_TARGETS] },
  { scenario: 'latency', key: 'p50', label: 'Latency at 200 msg/s: p50', unit: 'ms', targets: [{ of: 'value', op: '<=', value: 5, text: '≤ 5 ms' }] },
  { scenario: 'latency', key: 'p95', label: 'Latency at 200 msg/s: p95', unit: 'ms' },
  { scenario: 'latency', key: 'p99', label: 'Latency at 200 msg/s: p99', unit: 'ms', targets: [{ of: 'value', op: '<=', value: 25, text: '≤ 25 ms' }] },
  { scenario: 'latency', key: 'max', label: 'Latency at 200 msg/s: max', unit: 'ms' },
  { scenario: 'isolation', key: 'healthyP99', label: 'Isolation: healthy p99, all 10 healthy', unit: 'ms' },
  { scenario: 'isolation', key: 'hangingP99', label: 'Isolation: healthy p99, 1 of 10 hanging', unit: 'ms' },
  { scenario: 'isolation', key: 'p99Ratio', label: 'Isolation: p99 with a hanging endpoint ÷ all healthy', unit: '×', targets: [{ of: 'value', op: '<=', value: 2, text: '≤ 2×' }] },
  { scenario: 'replay', key: 'aloneP99', label: 'Replay: live p99 at 200 msg/s, alone', unit: 'ms' },
  { scenario: 'replay', key: 'duringP99', label: 'Replay: live p99 at 200 msg/s, beside a 100k replay-missing', unit: 'ms' },
  { scenario: 'replay', key: 'p99Ratio', label: 'Replay: live p99 beside a replay ÷ alone', unit: '×', targets: [{ of: 'value', op: '<=', value: 2, text: '≤ 2×' }] },
  { scenario: 'replay', key: 'replayQueuedPerSecond', label: 'Replay: deliveries the task made due, per second', unit: 'deliveries/s' },
  { scenario: 'replay', key: 'replayDeliveredDuring', label: 'Replay: replayed deliveries received while measured', unit: 'count', detail: true },
  { scenario: 'ordered', key: 'unorderedPerSecond', label: 'Ordered: drain of one endpoint, unordered', unit: 'deliveries/s' },
  { scenario: 'ordered', key: 'orderedPerSecond', label: 'Ordered: drain of one ordered endpoint, 100 keys', unit: 'deliveries/s' },
  { scenario: 'ordered', key: 'ratio', label: 'Ordered: ordered ÷ unordered drain', unit: '×', targets: [{ of: 'value', op: '>=', value: 0.5, text: '≥ 0.5×' }] },
  { scenario: 'fanout', key: 'allReceivedMs', label: 'Fan-out: 1 message → 1,000 endpoints, all received', unit: 'ms', targets: [{ of: 'value', op: '<', value: 2000, text: '< 2 s' }] },
  { scenario: 'fanout', key: 'firstReceivedMs', label: 'Fan-out: first received', unit: 'ms' },
  { scenario: 'backlog', key: 'peakRssMb', label: 'Backlog: server peak RSS', unit: 'MB', targets: [{ of: 'value', op: '<', value: 300, text: '< 300 MB' }] },
  { scenario: 'backlog', key: 'downRssMb', label: 'Backlog: server RSS while the endpoint is down', unit: 'MB' },
  { scenario: 'backlog', key: 'drainPerSecond', label: 'Backlog: drain once the endpoint is up', unit: 'deliveries/s', ratioToRaw: true },
  { scenario: 'pull', key: 'pollPerSecond', label: 'Pull: polling API (250 per page)', unit: 'events/s' },
  { scenario: 'pull', key: 'ssePerSecond', label: 'Pull: SSE stream', unit: 'events/s' },
  { scenario: 'usage', key: 'ingestPerSecond', label: 'Usage: events ingested, batches of 100, 8 producers (durable)', unit: 'events/s' },
  { scenario: 'usage', key: 'rawInsertPerSecond', label: 'Usage: raw batched INSERT of the same rows, same store', unit: 'events/s' },
  { scenario: 'usage', key: 'ingestRatio', label: 'Usage: ingest ÷ raw batched insert', unit: '×', targets: [{ of: 'value', op: '>=', value: 0.3, text: '≥ 0.3×' }] },
  { scenario: 'usage', key: 'queryP50', label: 'Usage: one subject-month of a sum meter, p50', unit: 'ms', targets: [{ of: 'value', op: '<', value: 50, text: '< 50 ms' }] },
  { scenario: 'usage', key: 'queryMax', label: 'Usage: one subject-month of a sum meter, max', unit: 'ms' },
  { scenario: 'usage', key: 'rollupMs', label: 'Usage: hourly rollups of the seeded month written (the report job’s work)', unit: 'ms', detail: true },
  { scenario: 'usage', key: 'queryEvents', label: 'Usage: events in the store the queries read', unit: 'count', detail: true },
  { scenario: 'message-log', key: 'msgP50', label: 'Message log: app messages, page of 50, p50', unit: 'ms' },
  { scenario: 'message-log', key: 'msgMax', label: 'Message log: app messages, first + 10 next pages, max', unit: 'ms', targets: [{ of: 'value', op: '<=', value: 300, text: '≤ 300 ms' }] },
  { scenario: 'message-log', key: 'msgTypeP50', label: 'Message log: app messages, event_types (1 in 20), p50', unit: 'ms' },
  { scenario: 'message-log', key: 'msgTypeMax', label: 'Message log: app messages, event_types (1 in 20), max', unit: 'ms', targets: [{ of: 'value', op: '<=', value: 300, text: '≤ 300 ms' }] },
  { scenario: 'message-log', key: 'epP50', label: 'Message log: endpoint messages, p50', unit: 'ms' },
  { scenario: 'message-log', key: 'epMax', label: 'Message log: endpoint messages, max', unit: 'ms', targets: [{ of: 'value', op: '<=', value: 300, text: '≤ 300 ms' }] },
  { scenario: 'message-log', key: 'epStatusP50', label: 'Message log: endpoint messages, status=2 (1 in 20), p50', unit: 'ms' },
  { scenario: 'message-log', key: 'epStatusMax', label: 'Message log: endpoint messages, status=2 (1 in 20), max', unit: 'ms', targets: [{ of: 'value', op: '<=', value: 300, text: '≤ 300 ms' }] },
  { scenario: 'message-log', key: 'seedPerSecond', label: 'Message log: seeding (outbox batches of 5,000, then one UPDATE)', unit: 'msg/s', detail: true },
  { scenario: 'message-log', key: 'messages', label: 'Message log: messages in the application', unit: 'count', detail: true },
];

export function metricsOf(scenario: string): MetricDef[] {
  return METRICS.filter((m) => m.scenario === scenario);
}

export function targetApplies(t: Target, store: StoreKind | null): boolean {
  return !t.stores || (store !== null && t.stores.includes(store));
}

export function meets(t: Target, x: number): boolean {
  if (!Number.isFinite(x)) return false;
  return t.op === '>=' ? x >= t.value : t.op === '<=' ? x <= t.value : x < t.value;
}
