import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import type { Config } from '../../src/config.js';
import { SQLITE_FILE_NAME } from '../../src/store/open-store.js';
import { ADMIN_TOKEN, startServerChild, type StoreKind } from '../lib/environment.js';
import { preciseNow } from '../lib/ipc.js';
import type { Scenario } from '../lib/scenario.js';
import { withStore } from '../lib/seed.js';
import { UsageRoller } from '../../src/usage/usage-roller.js';
import { sizesFor } from '../lib/sizes.js';
import { percentile } from '../lib/stats.js';

/**
 * (12) Usage metering. Ingest: N usage events POSTed in batches of 100 by 8 concurrent producers
 * to a server child (`role: api`; each answer comes after its events are durable), against the
 * yardstick of the same store measured in the same run — the same rows INSERTed straight into a
 * table of the same shape (same keys and indexes, ON CONFLICT DO NOTHING) in batches of 100, one
 * transaction each, as durable (SQLite: WAL with synchronous=FULL, one writer; PostgreSQL:
 * synchronous commits from 8 connections). Three rounds of each; medians.
 * Query: M events seeded by SQL over 100 subjects and 30 days (one subject-month holds M/100),
 * a `sum` meter with its hourly rollups written as the report job writes them (timed), then the
 * meter's month for one subject, through the API, 40 times over rotating subjects: p50 and max.
 */
const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
const BATCH = 100;
const LANES = 8;
const ROUNDS = 3;
const SUBJECTS = 100;
const DAY = 86_400_000;
const HOUR = 3_600_000;

const RAW_TABLE = `CREATE TABLE bench_raw_usage (source TEXT NOT NULL, event_id TEXT NOT NULL, type TEXT NOT NULL,
  subject TEXT NOT NULL, time BIGINT NOT NULL, data %JSON%, received_at BIGINT NOT NULL, PRIMARY KEY (source, event_id));
CREATE INDEX bench_raw_by_subject ON bench_raw_usage (type, subject, time);
CREATE INDEX bench_raw_by_arrival ON bench_raw_usage (type, received_at)`;

interface Ev {
  source: string;
  id: string;
  type: string;
  subject: string;
  time: number;
  data: { tokens: number; route: string };
}

const eventsOf = (round: number, n: number, now: number): Ev[] =>
  Array.from({ length: n }, (_, i) => ({
    source: `bench-${round}`,
    id: `e${i}`,
    type: 'api.call',
    subject: `cust-${i % SUBJECTS}`,
    time: now - (i % 3600) * 1000,
    data: { tokens: 1 + (i % 97), route: i % 3 ? '/search' : '/export' },
  }));

/** Events per second of `lanes` writers each taking the next batch of 100 until none are left. */
async function lanesRate(events: Ev[], lanes: number, write: (lane: number, batch: Ev[]) => Promise<void>) {
  let next = 0;
  const t = preciseNow();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (next < events.length) {
        const batch = events.slice(next, (next += BATCH));
        await write(lane, batch);
      }
    }),
  );
  return (events.length / (preciseNow() - t)) * 1000;
}

/** The yardstick: the events INSERTed straight into a table of the same shape, batches of 100. */
async function rawInsertRate(store: StoreKind, config: Config, events: Ev[]): Promise<number> {
  const row = (e: Ev) => [e.source, e.id, e.type, e.subject, e.time, JSON.stringify(e.data), Date.now()];
  if (store === 'sqlite') {
    const db = new Database(join(config.dataDir, SQLITE_FILE_NAME));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(`DROP TABLE IF EXISTS bench_raw_usage; ${RAW_TABLE.replace('%JSON%', 'TEXT')}`);
      const insert = db.prepare(
        `INSERT INTO bench_raw_usage VALUES ${Array(BATCH).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
      );
      return await lanesRate(events, 1, async (_lane, batch) => {
        if (batch.length === BATCH) insert.run(batch.flatMap(row));
      });
    } finally {
      db.exec('DROP TABLE IF EXISTS bench_raw_usage');
      db.close();
    }
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl!, max: LANES });
  try {
    await pool.query(`DROP TABLE IF EXISTS bench_raw_usage; ${RAW_TABLE.replace('%JSON%', 'jsonb')}`);
    const values = Array.from(
      { length: BATCH },
      (_, i) =>
        `($${i * 7 + 1}, $${i * 7 + 2}, $${i * 7 + 3}, $${i * 7 + 4}, $${i * 7 + 5}, $${i * 7 + 6}, $${i * 7 + 7})`,
    ).join(', ');
    const text = `INSERT INTO bench_raw_usage VALUES ${values} ON CONFLICT DO NOTHING`;
    return await lanesRate(events, LANES, async (_lane, batch) => {
      if (batch.length === BATCH) await pool.query(text, batch.flatMap(row));
    });
  } finally {
    await pool.query('DROP TABLE IF EXISTS bench_raw_usage').catch(() => {});
    await pool.end();
  }
}

async function post(url: string, body: unknown): Promise<any> {
  const res = await request(url, { method: 'POST', headers: auth, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${url} answered ${res.statusCode}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** `count` events of type `api.call` over 100 subjects and the 30 days before `now`, written by one SQL statement. */
async function seedByQuery(store: StoreKind, config: Config, count: number, now: number): Promise<void> {
  const start = now - 30 * DAY;
  const step = Math.floor((30 * DAY) / count);
  if (store === 'sqlite') {
    const db = new Database(join(config.dataDir, SQLITE_FILE_NAME));
    try {
      db.pragma('synchronous = OFF');
      db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
        INSERT INTO usage_events (source, event_id, type, subject, time, data, received_at)
        SELECT 'seed', 'e' || i, 'api.call', 'cust-' || (i % ${SUBJECTS}), ${start} + i * ${step},
          json_object('tokens', 1 + i % 97, 'route', CASE WHEN i % 3 = 0 THEN '/export' ELSE '/search' END), ${now}
        FROM n`);
      db.exec('ANALYZE');
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: config.databaseUrl! });
  await client.connect();
  try {
    await client.query(`INSERT INTO usage_events (source, event_id, type, subject, time, data, received_at)
      SELECT 'seed', 'e' || i, 'api.call', 'cust-' || (i % ${SUBJECTS}), ${start}::bigint + i * ${step}::bigint,
        jsonb_build_object('tokens', 1 + i % 97, 'route', CASE WHEN i % 3 = 0 THEN '/export' ELSE '/search' END), ${now}
      FROM generate_series(0, ${count - 1}) AS i`);
    await client.query('VACUUM ANALYZE usage_events');
  } finally {
    await client.end();
  }
}

export const usage: Scenario = {
  name: 'usage',
  usesStore: true,
  maxRuns: 1,
  async run(ctx) {
    const env = ctx.env!;
    const { usageIngest: n, usageQueryEvents: m } = sizesFor(ctx.quick);
    const config = env.config({ role: 'api' });
    await withStore(config, async () => {}); // the schema, migrated
    const raw: number[] = [];
    const api: number[] = [];
    const server = await startServerChild(config);
    try {
      const url = `${server.url}/api/v1/usage/events`;
      await post(url, { ...eventsOf(99, 1, Date.now())[0], time: undefined }); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        const events = eventsOf(round, n, Date.now());
        raw.push(await rawInsertRate(ctx.store!, config, events));
        api.push(
          await lanesRate(events, LANES, async (_lane, batch) => {
            const r = await post(
              url,
              batch.map((e) => ({ ...e, time: new Date(e.time).toISOString() })),
            );
            if (r.accepted !== batch.length) throw new Error(`usage: ${r.accepted} of ${batch.length} accepted`);
          }),
        );
        ctx.log(`usage round ${round + 1}: raw ${raw[round].toFixed(0)}/s, api ${api[round].toFixed(0)}/s`);
      }
    } finally {
      await server.stop();
    }

    const now = Date.now();
    const t = Date.now();
    await seedByQuery(ctx.store!, config, m, now);
    ctx.log(`usage: seeded ${m} events in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // The meter, and its rollups as the report job writes them (steady state: every ended hour rolled up).
    const rolled = Date.now();
    await withStore(config, async (store) => {
      await store.createMeter({
        key: 'tokens',
        name: 'tokens',
        eventType: 'api.call',
        aggregation: 'sum',
        valueProperty: '$.tokens',
        groupBy: {},
        filter: {},
        report: null,
        thresholds: [],
        createdAt: now,
        updatedAt: now,
      });
      const roller = new UsageRoller(store, { now: () => Date.now() });
      for (let i = 0; i < 10 && (await store.meterStates())[0].rolledThrough! < now - (now % HOUR); i++)
        await roller.run(await store.meterStates());
    });
    const rollupMs = Date.now() - rolled;
    ctx.log(`usage: rolled up in ${(rollupMs / 1000).toFixed(1)} s`);
    const queryServer = await startServerChild(config);
    try {
      const from = new Date(now - 30 * DAY).toISOString();
      const to = new Date(now + 1).toISOString();
      const times: number[] = [];
      for (let i = 0; i < 41; i++) {
        const q = `${queryServer.url}/api/v1/meter/tokens/query?subject=cust-${(i * 37) % SUBJECTS}&from=${from}&to=${to}`;
        const started = preciseNow();
        const res = await request(q, { headers: auth });
        const body = JSON.parse(await res.body.text());
        if (i > 0) times.push(preciseNow() - started); // the first warms the server's caches
        if (res.statusCode !== 200 || body.data.length !== 1 || !(body.data[0].value > 0))
          throw new Error(`usage query answered ${res.statusCode}: ${JSON.stringify(body).slice(0, 200)}`);
      }
      const sorted = Float64Array.from(times).sort();
      const median = (xs: number[]) => Float64Array.from(xs).sort()[Math.floor(xs.length / 2)];
      return {
        ingestPerSecond: median(api),
        rawInsertPerSecond: median(raw),
        ingestRatio: median(api) / median(raw),
        queryEvents: m,
        rollupMs,
        queryP50: percentile(sorted, 50),
        queryMax: sorted[sorted.length - 1],
      };
    } finally {
      await queryServer.stop();
    }
  },
};
