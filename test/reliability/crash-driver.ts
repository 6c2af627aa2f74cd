import { ApiClient, pool, sleep, waitUntil } from '../support/api-client.js';
import { startRecorder, type WebhookRecorder } from '../support/webhook-recorder.js';

/**
 * The crash test's load driver, shared by the SQLite and PostgreSQL variants. A producer posts
 * N messages concurrently (each with `eventId` m<i> and payload {i}); a POST that gets no answer
 * because the server is dead is retried with the same eventId until the restarted server
 * answers 202 (accepted now) or 409 (it had committed before the crash) — a real producer's
 * loop. Meanwhile `kill(k)` is called each time the receiver has seen the next random share of
 * the messages. At the end every acknowledged message must have arrived at least once.
 */

export interface CrashRunResult {
  messages: number;
  accepted: number;
  received: number;
  lost: number;
  duplicates: number;
  kills: number;
  /** distinct deliveries seen at each kill (each strictly between 0 and N). */
  killedAt: number[];
  /** POSTs that got no answer (the kill window) and were retried. */
  retriedPosts: number;
}

export interface CrashRunOptions {
  messages: number;
  kills: number;
  client: ApiClient;
  appUid: string;
  /** Kill (and restart, if the scenario does) whatever the scenario kills; k counts from 0. */
  kill(k: number): Promise<void>;
  /** Bound on waiting for the last delivery after the producer is done (Default: 90000 ms). */
  drainTimeoutMs?: number;
  random?: () => number;
}

/** Receiver used by the crash runs: answers 200 after 0–4 ms so that deliveries are in flight at a kill. */
export function crashReceiver(): Promise<WebhookRecorder> {
  return startRecorder((_req, res) => {
    setTimeout(() => res.end('ok'), Math.floor(Math.random() * 5));
  });
}

export async function crashRun(recorder: WebhookRecorder, o: CrashRunOptions): Promise<CrashRunResult> {
  const random = o.random ?? Math.random;
  const N = o.messages;
  // Random kill points, sorted, between 5% and 80% of the messages received.
  const points = Array.from({ length: o.kills }, () => Math.floor(N * (0.05 + 0.75 * random()))).sort((a, b) => a - b);
  const killedAt: number[] = [];
  const accepted = new Set<number>();
  let retriedPosts = 0;
  let producing = true;

  const killer = (async () => {
    for (let k = 0; k < points.length; k++) {
      await waitUntil(
        () => recorder.distinct() >= points[k] || (!producing && recorder.distinct() >= N),
        120_000,
        `kill point ${points[k]}`,
        2,
      );
      if (recorder.distinct() >= N) break; // everything arrived already: no more meaningful kills
      killedAt.push(recorder.distinct());
      await o.kill(k);
    }
  })();

  const producer = pool(
    Array.from({ length: N }, (_, i) => i),
    32,
    async (i) => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const r = await o.client.call('POST', `/api/v1/app/${o.appUid}/msg`, {
          eventType: 'crash.test',
          eventId: `m${i}`,
          payload: { i },
        });
        if (r.status === 202 || r.status === 409) {
          accepted.add(i);
          return;
        }
        if (r.status !== 0 && r.status !== 503)
          throw new Error(`message ${i}: unexpected ${r.status} ${JSON.stringify(r.body)}`);
        retriedPosts++;
        if (Date.now() > deadline)
          throw new Error(`message ${i}: no server answered for 120 s (${r.error ?? r.status})`);
        await sleep(50);
      }
    },
  );
  await producer;
  producing = false;
  await killer;

  const receivedIndexes = () => {
    const seen = new Set<number>();
    for (const p of recorder.payloads.values()) {
      const i = (p as { i?: unknown } | null)?.i;
      if (typeof i === 'number') seen.add(i);
    }
    return seen;
  };
  const missing = () => [...accepted].filter((i) => !receivedIndexes().has(i));
  await waitUntil(
    () => recorder.distinct() >= accepted.size,
    o.drainTimeoutMs ?? 90_000,
    'every accepted message to arrive',
    50,
  ).catch(() => {});
  const lost = missing().length;
  return {
    messages: N,
    accepted: accepted.size,
    received: receivedIndexes().size,
    lost,
    duplicates: recorder.duplicates(),
    kills: killedAt.length,
    killedAt,
    retriedPosts,
  };
}
