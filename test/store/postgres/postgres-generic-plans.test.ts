import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { createTestDatabase, postgresAvailable } from '../../support/postgres.js';
import { SecretBox } from '../../../src/domain/secret-box.js';
import { FAIL, SUCCESS, T0, attemptIn, mkApp, mkEndpoint, msgIn } from '../contract/fixtures.js';
import { Db } from '../../../src/store/postgres/db.js';
import { claimDeliveries } from '../../../src/store/postgres/outbox-claim.js';
import { completeDeliveries } from '../../../src/store/postgres/outbox-complete.js';
import { createMessages } from '../../../src/store/postgres/outbox-write.js';
import { nextDueAt } from '../../../src/store/postgres/next-due.js';
import { openPgStore } from './postgres-test-harness.js';

/**
 * Ingest (outbox-write.ts), claims (outbox-claim.ts), outcome commits (outbox-complete.ts) and
 * the next due time (next-due.ts) run on cached generic plans (Db.tx's `generic`, outcome
 * sessions), planned once per connection, on whatever the tables held then. On a new install
 * that is nothing, and a plan that scans a table while it is empty keeps scanning it once it
 * holds millions of rows. So every plan of them, the nested queries of
 * hookrelay_ingest_room included, must reach the tables by key alone even when planned on empty
 * tables. auto_explain (loaded into the session by a superuser, as the test server's user is)
 * reports each plan to the client.
 */
const available = await postgresAvailable();

const TABLES = new Set(['applications', 'endpoints', 'messages', 'deliveries']);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan tree, with its parent's type. */
function nodes(plan: PlanNode, parent = ''): Array<PlanNode & { parent: string }> {
  return [{ ...plan, parent }, ...(plan.Plans ?? []).flatMap((p) => nodes(p, plan['Node Type']))];
}

/**
 * A read of a whole table, or of a whole index: a sequential scan, a bitmap scan built from an
 * index read without a condition, or an index scan without a condition that no LIMIT stops.
 */
function wholeRead(n: PlanNode & { parent: string }): boolean {
  if (!TABLES.has(n['Relation Name'] ?? '')) return false;
  if (n['Node Type'] === 'Seq Scan') return true;
  if (n['Node Type'] === 'Bitmap Heap Scan')
    return nodes(n).some((c) => c['Node Type'] === 'Bitmap Index Scan' && !c['Index Cond']);
  return n['Index Name'] !== undefined && !n['Index Cond'] && n.parent !== 'Limit';
}

describe(
  'PostgreSQL ingest, claims and outcome commits on generic plans cached while the tables were empty',
  { skip: !available },
  () => {
    let url = '';
    let drop = async () => {};
    before(async () => {
      ({ url, drop } = await createTestDatabase('hr_pgplans'));
    });
    after(async () => {
      await drop();
    });

    it('reaches applications, endpoints, messages and deliveries by index seeks only', async () => {
      const box = SecretBox.random();
      const store = openPgStore(url, box);
      await store.migrate();
      const app = await mkApp(store);
      await mkEndpoint(store, app.id);
      await store.close();

      const explain = new URL(url);
      explain.searchParams.set(
        'options',
        [
          'session_preload_libraries=auto_explain',
          'auto_explain.log_min_duration=0',
          'auto_explain.log_nested_statements=on',
          'auto_explain.log_format=json',
          'client_min_messages=log',
        ]
          .map((o) => `-c ${o}`)
          .join(' '),
      );
      const db = new Db({ url: explain.toString(), poolSize: 1 }, box);
      const plans: Array<{ query: string; nodes: Array<PlanNode & { parent: string }> }> = [];
      const onConnect = (client: pg.PoolClient) => {
        client.on('notice', (n) => {
          const json = /^duration: [\d.]+ ms {2}plan:\n([\s\S]*)$/.exec(n.message ?? '')?.[1];
          if (!json) return;
          const logged = JSON.parse(json) as { 'Query Text': string; Plan: PlanNode };
          plans.push({ query: logged['Query Text'], nodes: nodes(logged.Plan) });
        });
      };
      // Outcome commits run on sessions of their own (Db.outcomePool).
      for (const pool of [db.pool, db.outcomePool]) pool.on('connect', onConnect);
      try {
        const claim = { owner: 'w1', limit: 10, leaseMs: 60_000, now: T0, perEndpointLimit: 8 };
        const written = await createMessages(db, [msgIn(app.id, { eventId: 'evt-1' }), msgIn(app.id)], claim);
        assert.ok(written.results.every((r) => r.ok));
        assert.equal(written.claimed.length, 2, 'both rows leased by ingest: hookrelay_ingest_room ran');
        await createMessages(db, [msgIn(app.id, { eventId: 'evt-1' })], claim); // the eventId lookup finds a row this time
        const outcomes = written.claimed.map((c, i) => ({
          deliveryId: c.delivery.id,
          owner: 'w1',
          attempt: attemptIn(i === 0 ? SUCCESS : FAIL, T0 + 5),
          next: i === 0 ? { kind: 'success' as const } : { kind: 'retry' as const, at: T0 + 1_000 },
          endpointUpdate: { endpointId: c.endpoint.id, failed: i !== 0, disable: false, now: T0 + 5 },
        }));
        await completeDeliveries(db, outcomes, { ...claim, now: T0 + 6 });
        assert.equal(await nextDueAt(db), T0 + 1_000, 'the retry is the next due row');
        await createMessages(db, [msgIn(app.id), msgIn(app.id)]); // pending: left to a claim
        const claimed = await claimDeliveries(db, { ...claim, now: T0 + 2_000 }); // and the retry, due by now
        assert.equal(claimed.length, 3, 'the claim leased the new rows and the retry');
        const expired = await claimDeliveries(db, { ...claim, owner: 'w2', now: T0 + 100_000 });
        assert.equal(expired.length, 3, 'their leases expired: claimed again');
      } finally {
        await db.end();
      }

      const scans = plans.flatMap((p) =>
        p.nodes
          .filter(wholeRead)
          .map((n) => `${n['Node Type']} on ${n['Relation Name']} in: ${p.query.replace(/\s+/g, ' ').slice(0, 80)}`),
      );
      assert.deepEqual(scans, []);
      const seeks = new Set(
        plans.flatMap((p) => p.nodes.filter((n) => n['Index Name']).map((n) => n['Relation Name'])),
      );
      assert.deepEqual(
        [...TABLES].filter((t) => !seeks.has(t)),
        [],
        'every table was read by an index in some plan',
      );
      for (const [text, what] of [
        ['FROM unnest(endpoint_ids)', 'the query inside hookrelay_ingest_room'],
        ['INSERT INTO attempts', 'the outcome commit'],
        ['ORDER BY d.lease_expires_at LIMIT 1', 'the next due time'],
        ['UPDATE deliveries d SET status = 3, lease_owner', 'the claim'],
      ])
        assert.ok(
          plans.some((p) => p.query.includes(text)),
          `${what} was reported`,
        );
    });
  },
);
