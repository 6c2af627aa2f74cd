import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { preciseNow, serveIpc } from './lib/ipc.js';
import { latencySummary, type LatencySummary } from './lib/stats.js';

/**
 * The webhook receiver of the benchmarks: a minimal Node HTTP server on 127.0.0.1 in its own
 * process. Paths are `/g/<group>/...`: each group is counted apart (healthy vs hanging
 * endpoints, fan-out targets). The group `hang` never answers (the sender's timeout ends it).
 * For every request it records the arrival time and, from the JSON body, the `sentAt` the
 * producer embedded, so latency is receipt minus send on one clock. Counts and latency
 * summaries are reported over IPC (`stats`); `listen` / `close` let a scenario take the
 * receiver down and bring it back on the same port.
 */

interface Group {
  count: number;
  latencies: number[];
}

let groups = new Map<string, Group>();
let ids: Set<string> | null = null;
let duplicates = 0;
let count = 0;
let firstAt = 0;
let lastAt = 0;
let server: ReturnType<typeof createServer> | null = null;
const sockets = new Set<Socket>();
const hanging = new Set<ServerResponse>();

function groupOf(url: string): string {
  const m = /^\/g\/([^/?]+)/.exec(url);
  return m ? m[1] : 'default';
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = preciseNow();
    const group = groupOf(req.url ?? '/');
    if (group === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    count++;
    if (firstAt === 0) firstAt = at;
    lastAt = at;
    let g = groups.get(group);
    if (!g) groups.set(group, (g = { count: 0, latencies: [] }));
    g.count++;
    if (ids) {
      const id = req.headers['webhook-id'];
      if (typeof id === 'string') {
        if (ids.has(id)) duplicates++;
        else ids.add(id);
      }
    }
    try {
      const sentAt = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sentAt?: number }).sentAt;
      if (typeof sentAt === 'number' && sentAt > 0) g.latencies.push(at - sentAt);
    } catch {
      // not JSON: counted, no latency
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
}

async function listen(args: { port?: number } = {}): Promise<{ port: number }> {
  if (server) throw new Error('already listening');
  const s = createServer({ keepAliveTimeout: 60_000 }, handle);
  s.on('connection', (sock: Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(args.port ?? 0, '127.0.0.1', 1024, () => resolve());
  });
  server = s;
  return { port: (s.address() as AddressInfo).port };
}

async function close(): Promise<void> {
  const s = server;
  server = null;
  if (!s) return;
  for (const sock of sockets) sock.destroy();
  await new Promise<void>((resolve) => s.close(() => resolve()));
}

serveIpc(
  {
    listen,
    close,
    /** Forget everything counted so far; `trackIds` also counts distinct webhook-ids. */
    reset(args: { trackIds?: boolean } = {}) {
      groups = new Map();
      ids = args.trackIds ? new Set() : null;
      duplicates = 0;
      count = 0;
      firstAt = 0;
      lastAt = 0;
    },
    /** End every request the `hang` group is holding (so the sender's shutdown does not wait for them). */
    dropHanging() {
      const n = hanging.size;
      for (const res of hanging) res.destroy();
      hanging.clear();
      return n;
    },
    /** Counts only (cheap enough to poll). */
    count() {
      return { count, unique: ids ? ids.size : null, duplicates, firstAt, lastAt, hanging: hanging.size };
    },
    /** Receipts of the groups named in `include` (cheap enough to poll). */
    groupCount(args: { include: string[] }) {
      let n = 0;
      for (const name of args.include) n += groups.get(name)?.count ?? 0;
      return n;
    },
    /** Counts and a latency summary per group. */
    stats() {
      const perGroup: Record<string, { count: number; latency: LatencySummary }> = {};
      for (const [name, g] of groups) perGroup[name] = { count: g.count, latency: latencySummary(g.latencies) };
      return { count, unique: ids ? ids.size : null, duplicates, firstAt, lastAt, groups: perGroup };
    },
    /** Latency summary over the groups named in `include` (Default: every group). */
    latency(args: { include?: string[] } = {}) {
      const all: number[] = [];
      for (const [name, g] of groups)
        if (!args.include || args.include.includes(name)) for (const v of g.latencies) all.push(v);
      return latencySummary(all);
    },
  },
  close,
);
