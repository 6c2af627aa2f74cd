import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../../src/store/store.js';
import { T0, ids, mkApp, mkEndpoint, pq, walk } from './fixtures.js';
import { deliveredTwoMinutes } from './stats.contract.js';

/** The operator's views across apps: totals, health per app, failing endpoints, application search. */
export function operatorContract(s: () => Store): void {
  const twoMinutes = { since: T0, until: T0 + 120_000 };

  it('totals apps and endpoints, disabled and failing', async () => {
    assert.deepEqual(await s().catalogTotals(), { apps: 0, endpoints: 0, disabledEndpoints: 0, failingEndpoints: 0 });
    await deliveredTwoMinutes(s());
    // b failed last (failing); a recovered; c is disabled.
    assert.deepEqual(await s().catalogTotals(), { apps: 2, endpoints: 3, disabledEndpoints: 1, failingEndpoints: 1 });
  });

  it('reports health per app: the apps asked for, or every app with attempts or unhealthy endpoints', async () => {
    const { appA, appB } = await deliveredTwoMinutes(s());
    const idle = await mkApp(s());
    const rowA = { appId: appA.id, success: 2, failure: 3, failingEndpoints: 1, disabledEndpoints: 0 };
    const rowB = { appId: appB.id, success: 1, failure: 0, failingEndpoints: 0, disabledEndpoints: 1 };
    assert.deepEqual(
      await s().appHealth(null, twoMinutes),
      [rowA, rowB].sort((x, y) => (x.appId < y.appId ? -1 : 1)),
    );
    assert.deepEqual(
      await s().appHealth([idle.id, appA.id], twoMinutes),
      [rowA, { appId: idle.id, success: 0, failure: 0, failingEndpoints: 0, disabledEndpoints: 0 }].sort((x, y) =>
        x.appId < y.appId ? -1 : 1,
      ),
    );
    // Outside the range only the endpoints count; app B still has a disabled endpoint.
    const later = { since: T0 + 200_000, until: T0 + 300_000 };
    assert.deepEqual(
      await s().appHealth(null, later),
      [
        { ...rowA, success: 0, failure: 0 },
        { ...rowB, success: 0 },
      ].sort((x, y) => (x.appId < y.appId ? -1 : 1)),
    );
    assert.deepEqual(await s().appHealth([], twoMinutes), []);
  });

  it('lists failing endpoints with their app, latest attempt and whether its delivery is exhausted', async () => {
    const { appA, appB, b, m0bFinal } = await deliveredTwoMinutes(s());
    const page = await s().listFailingEndpoints(pq(), null);
    assert.equal(page.data.length, 1);
    const [row] = page.data;
    assert.equal(row.app.id, appA.id);
    assert.equal(row.app.name, 'Alpha');
    assert.equal(row.endpoint.id, b.id);
    assert.equal(row.endpoint.failingSince, T0 + 2000);
    assert.equal(row.lastAttempt?.id, m0bFinal.attempt!.id);
    assert.equal(row.lastAttempt?.responseStatusCode, 500);
    assert.equal(row.exhausted, true);
    assert.deepEqual((await s().listFailingEndpoints(pq(), appB.id)).data, []);
    assert.equal((await s().listFailingEndpoints(pq(), appA.id)).data.length, 1);
  });

  it('pages failing endpoints by endpoint ID; one still retrying is not exhausted; one never attempted has no last attempt', async () => {
    const app = await mkApp(s());
    const eps = [];
    for (let i = 0; i < 3; i++) eps.push(await mkEndpoint(s(), app.id));
    for (const ep of eps) await s().updateEndpoint(app.id, ep.id, { failingSince: T0 }, T0);
    const walked = await walk(
      (q) => s().listFailingEndpoints(q, null),
      (f) => f.endpoint.id,
      2,
      'ascending',
    );
    assert.deepEqual(walked, { seen: ids(eps).sort(), pages: 2 });
    const [first] = (await s().listFailingEndpoints(pq(1), null)).data;
    assert.equal(first.lastAttempt, null);
    assert.equal(first.exhausted, false);
  });

  it('searches applications: the ID exactly, or a substring of the uid or name in any case', async () => {
    const acme = await mkApp(s(), { name: 'ACME Corp', uid: 'acme-prod' });
    const globex = await mkApp(s(), { name: 'Globex 100%', uid: null });
    const initech = await mkApp(s(), { name: 'Initech', uid: 'init_ech' });
    const search = async (text: string) => ids((await s().listApplications(pq(), { search: text })).data);
    assert.deepEqual(await search('acme'), [acme.id]);
    assert.deepEqual(await search('PROD'), [acme.id]);
    assert.deepEqual(await search('corp'), [acme.id]);
    assert.deepEqual(await search(globex.id), [globex.id]);
    assert.deepEqual(await search(globex.id.slice(0, 10)), [], 'an ID matches only whole');
    assert.deepEqual(await search('%'), [globex.id], '% is a plain character');
    assert.deepEqual(await search('_'), [initech.id], '_ is a plain character');
    assert.deepEqual(await search('e'), [acme.id, globex.id, initech.id].sort());
    assert.deepEqual(await search('nothing'), []);
    assert.deepEqual(ids((await s().listApplications(pq())).data), [acme.id, globex.id, initech.id].sort());
    const paged = await walk(
      (q) => s().listApplications(q, { search: 'e' }),
      (a) => a.id,
      1,
      'descending',
    );
    assert.deepEqual(paged.seen, [acme.id, globex.id, initech.id].sort().reverse());
  });
}
