import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { Pool } from 'undici';
import { signatureHeaders } from '../../src/delivery/signer.js';
import { USER_AGENT } from '../../src/delivery/request-builder.js';
import { newId } from '../../src/ids.js';
import { serveIpc } from '../lib/ipc.js';
import { benchPayload } from '../lib/payload.js';

/**
 * The do-it-yourself stack a team would build instead of Hookrelay, in its own process: BullMQ on
 * the box's Redis, a worker that signs each job (the same Standard Webhooks signer) and POSTs it
 * with an undici Pool, and for end-to-end a plain node:http ingest server that enqueues each event
 * and answers 202. What it does not do, beside its figures in BENCHMARKS.md: no fsync (Redis's
 * default persistence), no attempt log, no API validation beyond JSON parsing, no tenancy.
 */

const REDIS = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };

interface Target {
  queue: string;
  /** Receiver URL every job is POSTed to. */
  url: string;
  secret: string;
  /** Jobs processed at once by the worker (the engine's per-endpoint concurrency). */
  concurrency: number;
}

interface Job {
  id: string;
  body: string;
}

let queue: Queue<Job> | null = null;
let worker: Worker<Job> | null = null;
let pool: Pool | null = null;
let server: Server | null = null;

async function openQueue(name: string): Promise<Queue<Job>> {
  await closeAll();
  queue = new Queue<Job>(name, { connection: REDIS });
  await queue.obliterate({ force: true });
  return queue;
}

function startWorker(t: Target): void {
  const url = new URL(t.url);
  pool = new Pool(url.origin, { connections: t.concurrency, pipelining: 1, keepAliveTimeout: 10_000 });
  const p = pool;
  worker = new Worker<Job>(
    t.queue,
    async (job) => {
      const now = Date.now();
      const headers = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        ...signatureHeaders(job.data.id, now / 1000, job.data.body, [t.secret]),
      };
      const res = await p.request({ path: url.pathname, method: 'POST', headers, body: job.data.body });
      await res.body.dump();
      if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`receiver answered ${res.statusCode}`);
    },
    { connection: REDIS, concurrency: t.concurrency },
  );
}

const JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: 1000,
  attempts: 8,
  backoff: { type: 'exponential', delay: 5000 },
};

async function closeAll(): Promise<void> {
  await worker?.close();
  worker = null;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = null;
  await pool?.close();
  pool = null;
  await queue?.close();
  queue = null;
}

serveIpc(
  {
    /** Drain: enqueue `n` signed-to-be jobs (in bulk), and only then start nothing. */
    async enqueue(a: Target & { n: number }) {
      const q = await openQueue(a.queue);
      const started = Date.now();
      for (let i = 0; i < a.n; i += 1000) {
        const jobs = [];
        for (let j = i; j < Math.min(a.n, i + 1000); j++) {
          const id = newId('message');
          jobs.push({ name: 'deliver', data: { id, body: benchPayload(Date.now(), j) }, opts: JOB_OPTIONS });
        }
        await q.addBulk(jobs);
      }
      return { enqueueMs: Date.now() - started };
    },
    /** Start the worker on what is queued. */
    async work(a: Target) {
      startWorker(a);
      return {};
    },
    /** End-to-end: an ingest server taking the producer's POST /api/v1/app/{app}/msg, and the worker beside it. */
    async serve(a: Target) {
      const q = await openQueue(a.queue);
      startWorker(a);
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          let event: { eventType?: unknown; payload?: unknown };
          try {
            event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            res.writeHead(400).end('{"code":"bad_json"}');
            return;
          }
          if (req.method !== 'POST' || typeof event.eventType !== 'string' || event.payload === undefined) {
            res.writeHead(422).end('{"code":"invalid"}');
            return;
          }
          const id = newId('message');
          q.add('deliver', { id, body: JSON.stringify(event.payload) }, JOB_OPTIONS).then(
            () => res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id })),
            () => res.writeHead(503).end('{"code":"queue_unavailable"}'),
          );
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return { origin: `http://127.0.0.1:${(server!.address() as AddressInfo).port}` };
    },
    async close() {
      await closeAll();
      return {};
    },
  },
  closeAll,
);
