import type { AppId, EndpointId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { createTestDatabase, postgresAvailable } from '../../support/postgres.js';
import { SecretBox } from '../../../src/domain/secret-box.js';
import { T0, mkApp, mkEndpoint, msgIn } from '../contract/fixtures.js';
import type { PageQuery } from '../../../src/store/store.js';
import { Db } from '../../../src/store/postgres/db.js';
import { listEndpointMessages } from '../../../src/store/catalog/delivery-views.js';
import { listMessages } from '../../../src/store/catalog/messages.js';
import { runSteps } from '../../../src/store/postgres/catalog-runner.js';
import { openPgStore, rawQuery } from './postgres-test-harness.js';

/**
 * The message log's pages on tables just filled, before any ANALYZE: the planner has no
 * statistics and, left to its estimates, collects every row of the application (or endpoint)
 * and sorts them for the top 51. Each page must instead read its index in order and stop at the
 * limit, first page and later pages, with and without a filter. auto_explain (loaded into the
 * session by a superuser, as the test server's user is) reports each plan to the client.
 */
const available = await postgresAvailable();
const N = 20_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const flatten = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(flatten)];

describe('PostgreSQL message log pages before any ANALYZE', { skip: !available }, () => {
  let url = '';
  let drop = async () => {};
  let appId = '' as AppId;
  let endpointId = '' as EndpointId;
  const box = SecretBox.random();
  before(async () => {
    ({ url, drop } = await createTestDatabase('hr_pgpages'));
    const store = openPgStore(url, box);
    await store.migrate();
    const app = await mkApp(store);
    const endpoint = await mkEndpoint(store, app.id);
    for (let done = 0; done < N; done += 5000) {
      await store.createMessages(
        Array.from({ length: 5000 }, (_, i) =>
          msgIn(app.id, { eventType: `t.${(done + i) % 20}`, now: T0 + done + i }),
        ),
      );
    }
    await store.close();
    await rawQuery(
      url,
      "UPDATE deliveries SET status = CASE WHEN msg_id IN (SELECT id FROM messages WHERE event_type = 't.7') THEN 2 ELSE 0 END",
    );
    appId = app.id;
    endpointId = endpoint.id;
  });
  after(async () => {
    await drop();
  });

  it('reads messages_app_id_id and deliveries_endpoint_msg in order, sorting nothing', async () => {
    const explain = new URL(url);
    explain.searchParams.set(
      'options',
      [
        'session_preload_libraries=auto_explain',
        'auto_explain.log_min_duration=0',
        'auto_explain.log_format=json',
        'client_min_messages=log',
      ]
        .map((o) => `-c ${o}`)
        .join(' '),
    );
    const db = new Db({ url: explain.toString(), poolSize: 1 }, box);
    const plans: Array<{ query: string; nodes: PlanNode[] }> = [];
    db.pool.on('connect', (client: pg.PoolClient) => {
      client.on('notice', (n) => {
        const json = /^duration: [\d.]+ ms {2}plan:\n([\s\S]*)$/.exec(n.message ?? '')?.[1];
        if (!json) return;
        const logged = JSON.parse(json) as { 'Query Text': string; Plan: PlanNode };
        plans.push({ query: logged['Query Text'], nodes: flatten(logged.Plan) });
      });
    });
    const page = (iterator: string | null): PageQuery => ({ limit: 50, iterator, order: 'descending' });
    try {
      for (const filter of [{}, { eventTypes: ['t.3'] }, { tag: 'x' }]) {
        const first = await runSteps(db, listMessages(db.catalog, appId, page(null), filter), null);
        if (first.iterator) await runSteps(db, listMessages(db.catalog, appId, page(first.iterator), filter), null);
      }
      for (const filter of [{}, { status: 2 as const }, { eventTypes: ['t.3'] }]) {
        const list = (iterator: string | null) =>
          runSteps(db, listEndpointMessages(db.catalog, appId, endpointId, page(iterator), filter), null);
        const first = await list(null);
        assert.equal(first.data.length, 50);
        await list(first.iterator);
      }
    } finally {
      await db.end();
    }
    const pages = plans.filter((p) => /order by/i.test(p.query) && /limit/i.test(p.query));
    assert.equal(pages.length, 11, "every page's plan was reported (the tag matches nothing: one page)");
    for (const p of pages) {
      const where = p.query.replace(/\s+/g, ' ').slice(0, 140);
      assert.deepEqual(
        p.nodes.filter((n) => /Sort|Bitmap|Seq Scan/.test(n['Node Type'])).map((n) => n['Node Type']),
        [],
        where,
      );
      const indexes = p.nodes.map((n) => n['Index Name']).filter(Boolean);
      assert.ok(
        indexes.includes(/from "messages"/i.test(p.query) ? 'messages_app_id_id' : 'deliveries_endpoint_msg') ||
          indexes.includes('messages_pkey'),
        `${where}: ${indexes.join(', ')}`,
      );
    }
  });
});
