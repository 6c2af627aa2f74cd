import { ADMIN_TOKEN, type ServerChild } from './environment.js';
import { sharedChild, type Receiver } from './scenario.js';
import { waitUntil } from './stats.js';
import type { LatencySummary } from './stats.js';

/**
 * Steady load through the API: a short warm-up (connections, JIT), then `rate` messages per
 * second for `seconds`, then wait until every expected receipt arrived. Returns the latency
 * summary (ms, ingest→receipt) of the groups named in `groups`.
 */
export async function pacedRun(opts: {
  server: ServerChild;
  receiver: Receiver;
  appId: string;
  rate: number;
  seconds: number;
  /** Receipts expected per accepted message among the counted groups (fan-out). */
  perMessage: number;
  groups?: string[];
  log(msg: string): void;
}): Promise<LatencySummary & { accepted: number; received: number }> {
  const producer = await sharedChild('producer.ts');
  {
    const base = {
      origin: opts.server.url,
      token: ADMIN_TOKEN,
      appId: opts.appId,
      mode: 'paced',
      concurrency: 256,
      rate: opts.rate,
    };
    await opts.receiver.reset(false);
    const warm = await producer.call<{ accepted: number }>('run', { ...base, count: 50, maxMs: 2000 });
    await waitUntil(async () => (await opts.receiver.count()).count >= warm.accepted * opts.perMessage, 10_000);
    await opts.receiver.reset(false);
    const p = await producer.call<{ accepted: number; sent: number; skipped: number; statuses: object }>('run', {
      ...base,
      count: Math.round(opts.rate * opts.seconds),
      maxMs: opts.seconds * 1000 + 5000,
    });
    if (p.accepted !== p.sent)
      opts.log(
        `paced: ${p.sent - p.accepted} not accepted (${p.skipped} skipped at the in-flight cap): ${JSON.stringify(p.statuses)}`,
      );
    const expected = p.accepted * opts.perMessage;
    // Only the counted groups: other traffic (a replay, a hanging endpoint) must not end the wait early.
    const counted = async () =>
      opts.groups
        ? await opts.receiver.child.call<number>('groupCount', { include: opts.groups })
        : (await opts.receiver.count()).count;
    const done = await waitUntil(async () => (await counted()) >= expected, 30_000, 100);
    const received = await counted();
    if (!done) opts.log(`paced: only ${received}/${expected} receipts before the time bound`);
    const latency = await opts.receiver.child.call<LatencySummary>('latency', { include: opts.groups });
    return { ...latency, accepted: p.accepted, received };
  }
}
