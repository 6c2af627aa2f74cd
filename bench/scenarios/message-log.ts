import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import type { Config } from '../../src/config.js';
import { SQLITE_FILE_NAME } from '../../src/store/open-store.js';
import { ADMIN_TOKEN, startServerChild, type StoreKind } from '../lib/environment.js';
import { preciseNow } from '../lib/ipc.js';
import type { Scenario } from '../lib/scenario.js';
import { createApp, createEndpoint, seedMessages, withStore } from '../lib/seed.js';
import { sizesFor } from '../lib/sizes.js';
import { percentile } from '../lib/stats.js';

/**
 * (9) Message log: N messages in one application, each delivered to its one endpoint, then the
 * portal's two logs paged through the API of a server child (`role: api`): the application's
 * messages, alone and with `event_types` (one type in twenty), and the endpoint's messages,
 * alone and with `status=2` (one delivery in twenty failed). Each is the first page and ten
 * next pages of 50, following `iterator`; every response's time on 127.0.0.1 (the server's
 * time plus a loopback round trip), p50 and max per list.
 *
 * Seeding: the store's own outbox transaction (`createMessages`, batches of 5,000: messages
 * and their delivery rows), then one UPDATE that gives the delivery rows their final status
 * (no worker runs: the statuses are written directly).
 */
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const TYPES = 20;
const typeOf = (i: number) => `log.${String(i % TYPES).padStart(2, '0')}`;
const FILTERED_TYPE = typeOf(3);
const FAILED_TYPE = typeOf(7);
const PAGES = 11;

/** Same statement on both databases: the deliveries of one event type failed, the rest succeeded. */
const SETTLE = `UPDATE deliveries SET status = CASE WHEN msg_id IN (SELECT id FROM messages WHERE event_type = '${FAILED_TYPE}') THEN 2 ELSE 0 END,
  next_attempt_at = NULL, attempt_count = 1`;

async function settleDeliveries(store: StoreKind, config: Config): Promise<void> {
  if (store === 'sqlite') {
    const db = new Database(join(config.dataDir, SQLITE_FILE_NAME));
    try {
      db.exec(SETTLE);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: config.databaseUrl! });
  await client.connect();
  try {
    await client.query(SETTLE);
    // The UPDATE's dead row versions are the bench's own doing; statistics are left to autovacuum, as after any load.
    await client.query('VACUUM deliveries');
  } finally {
    await client.end();
  }
}

interface Page {
  data: Array<{ eventType: string; status?: number }>;
  iterator: string | null;
  done: boolean;
}

/** Ms per page for the first page and the next ones; checks each page is full and matches the filter. */
async function walk(url: string, check: (item: Page['data'][number]) => boolean): Promise<number[]> {
  const times: number[] = [];
  let iterator: string | null = null;
  for (let i = 0; i < PAGES; i++) {
    const t = preciseNow();
    const res = await request(`${url}${iterator ? `&iterator=${encodeURIComponent(iterator)}` : ''}`, {
      headers: auth,
    });
    const body = await res.body.text();
    times.push(preciseNow() - t);
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${body.slice(0, 200)}`);
    const page = JSON.parse(body) as Page;
    if (page.data.length !== 50 || !page.data.every(check))
      throw new Error(`${url}: page ${i + 1} has ${page.data.length} items, or items the filter should have left out`);
    iterator = page.iterator;
  }
  return times;
}

export const messageLog: Scenario = {
  name: 'message-log',
  usesStore: true,
  maxRuns: 1,
  async run(ctx) {
    const env = ctx.env!;
    const n = sizesFor(ctx.quick).messageLog;
    const config = env.config({ role: 'api' });
    const t = Date.now();
    const { appId, endpointId } = await withStore(config, async (store) => {
      const app = await createApp(store);
      // Never sent to (role api runs no worker); an address that would refuse anyway.
      const endpoint = await createEndpoint(store, app.id, 'http://127.0.0.1:9/never');
      await seedMessages(store, app.id, n, 5000, (done) => ctx.log(`message-log: ${done} messages`), typeOf);
      return { appId: app.id, endpointId: endpoint.id };
    });
    await settleDeliveries(ctx.store!, config);
    const seedMs = Date.now() - t;
    ctx.log(`message-log: seeded ${n} messages and their deliveries in ${(seedMs / 1000).toFixed(1)} s`);
    const server = await startServerChild(config);
    try {
      const msg = `${server.url}/api/v1/app/${appId}/msg?limit=50`;
      const ep = `${server.url}/api/v1/app/${appId}/endpoint/${endpointId}/msg?limit=50`;
      await walk(msg, () => true); // warm-up: connections, statement caches, the server's JIT
      const lists = {
        msg: await walk(msg, () => true),
        msgType: await walk(`${msg}&event_types=${FILTERED_TYPE}`, (m) => m.eventType === FILTERED_TYPE),
        ep: await walk(ep, () => true),
        epStatus: await walk(`${ep}&status=2`, (m) => m.status === 2 && m.eventType === FAILED_TYPE),
      };
      const figures: Record<string, number> = { messages: n, seedPerSecond: (n / seedMs) * 1000 };
      for (const [name, times] of Object.entries(lists)) {
        const sorted = Float64Array.from(times).sort();
        figures[`${name}P50`] = percentile(sorted, 50);
        figures[`${name}Max`] = sorted[sorted.length - 1];
      }
      return figures;
    } finally {
      await server.stop();
    }
  },
};
