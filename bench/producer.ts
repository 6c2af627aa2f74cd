import { Pool } from 'undici';
import { preciseNow, serveIpc } from './lib/ipc.js';
import { benchPayloadObject } from './lib/payload.js';

/**
 * The sending team: POST /api/v1/app/{app}/msg through undici keep-alive connections, in its
 * own process. `max` sends as fast as `concurrency` lanes allow (end-to-end throughput);
 * `paced` sends at a steady `rate` per second whatever the answers do (latency, isolation).
 * Each payload carries its send time (`sentAt`) for the receiver.
 */

interface RunArgs {
  origin: string;
  token: string;
  appId: string;
  mode: 'max' | 'paced';
  /** max: parallel lanes; paced: cap on requests in flight (a safety bound). */
  concurrency: number;
  /** Stop after this many messages… */
  count: number;
  /** …or this long. */
  maxMs: number;
  /** paced: messages per second. */
  rate?: number;
}

async function run(a: RunArgs) {
  const pool = new Pool(a.origin, { connections: a.concurrency, pipelining: 1, keepAliveTimeout: 10_000 });
  const path = `/api/v1/app/${a.appId}/msg`;
  const headers = { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' };
  const statuses: Record<string, number> = {};
  let sent = 0;
  let accepted = 0;
  let inFlight = 0;
  let skipped = 0;
  const started = preciseNow();
  const deadline = started + a.maxMs;

  async function one(seq: number): Promise<void> {
    inFlight++;
    const body = JSON.stringify({ eventType: 'invoice.paid', payload: benchPayloadObject(preciseNow(), seq) });
    try {
      const res = await pool.request({ path, method: 'POST', headers, body });
      await res.body.text();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode === 202) accepted++;
    } catch (err) {
      const key = `error:${(err as { code?: string }).code ?? 'unknown'}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
    } finally {
      inFlight--;
    }
  }

  if (a.mode === 'max') {
    await Promise.all(
      Array.from({ length: a.concurrency }, async () => {
        while (sent < a.count && preciseNow() < deadline) await one(sent++);
      }),
    );
  } else {
    const rate = a.rate ?? 200;
    const all: Promise<void>[] = [];
    while (sent < a.count && preciseNow() < deadline) {
      // Send every message whose slot has come (i / rate seconds after the start).
      const due = Math.min(a.count, Math.floor(((preciseNow() - started) / 1000) * rate) + 1);
      while (sent < due) {
        if (inFlight >= a.concurrency) {
          skipped++;
          sent++;
          continue;
        }
        all.push(one(sent++));
      }
      // Sleep until the next slot rather than polling: at 200/s, a 1 ms poll woke the producer
      // 1,000 times a second, about 0.17 of a core taken from the server on a 2-core box.
      const nextSlot = started + (sent * 1000) / rate;
      await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(nextSlot - preciseNow()))));
    }
    await Promise.all(all);
  }
  const durationMs = preciseNow() - started;
  await pool.close();
  return {
    sent,
    accepted,
    skipped,
    statuses,
    startedAt: started,
    durationMs,
    perSecond: accepted / (durationMs / 1000),
  };
}

serveIpc({ run });
