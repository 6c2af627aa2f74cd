import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSqliteStore, type StoreOpener } from '../api/api-harness.js';
import { openPostgresStore } from '../api/postgres-harness.js';
import { apiInstance, errorBodyProblem, SEC_ADMIN_TOKEN, type ApiInstance } from '../support/api-instance.js';
import { postgresAvailable } from '../support/postgres.js';
import { apiRoutes, fillPath, type ApiRoute } from '../support/openapi-routes.js';
import { portalSession } from '../support/portal-login.js';
import { BASE_BODIES } from './fuzz-cases.js';

/**
 * Tenancy and auth: every route of the OpenAPI document × {no token, bad token, admin, app token
 * of this app, app token of another app, a portal session of this app with only ViewBase}, plus
 * two IDOR columns (this app's path holding another app's resource IDs, with this app's token and
 * with the admin token). Only the right principals pass; the wrong ones get 401/403/404 and never
 * a 2xx; nobody gets a 5xx. The ViewBase session reads every app and any-token route and is
 * refused every write with 403 insufficient_capability (logout aside: every session may end itself).
 * On both stores: PostgreSQL refuses some values SQLite stores, and its lookups are separate code.
 */

type Access = 'public' | 'admin' | 'any' | 'app';
type Who = 'none' | 'bad' | 'admin' | 'own' | 'other' | 'view' | 'own+foreignIds' | 'admin+foreignIds';

/**
 * The intended policy, stated here independently of the route code. Routes under
 * /app/{app_id} default to `app`; any other route must be listed, so a new route forces a decision.
 */
const POLICY: Record<string, Access> = {
  'GET /api/v1/health': 'public',
  'GET /api/v1/app': 'admin',
  'POST /api/v1/app': 'admin',
  'DELETE /api/v1/app/{app_id}': 'admin',
  'GET /api/v1/event-type': 'any',
  'GET /api/v1/event-type/{event_type_name}': 'any',
  'POST /api/v1/event-type': 'admin',
  'PUT /api/v1/event-type/{event_type_name}': 'admin',
  'PATCH /api/v1/event-type/{event_type_name}': 'admin',
  'DELETE /api/v1/event-type/{event_type_name}': 'admin',
  'POST /api/v1/auth/app-portal-access/{app_id}': 'admin',
  'POST /api/v1/auth/one-time-token': 'public',
  'POST /api/v1/auth/logout': 'any',
  'GET /api/v1/auth/whoami': 'any',
  'POST /api/v1/auth/app/{app_id}/expire-all': 'admin',
  'GET /api/v1/environment/settings': 'any',
  'PATCH /api/v1/management/environment-settings': 'admin',
  'PUT /api/v1/app/{app_id}/portal-settings': 'admin',
  'POST /api/v1/listen': 'any',
  'GET /in/{channel_id}': 'public',
  'POST /in/{channel_id}': 'public',
  'PUT /in/{channel_id}': 'public',
  'PATCH /in/{channel_id}': 'public',
  'GET /api/v1/stats/app/{app_id}/attempt': 'app',
  'GET /api/v1/stats/overview': 'admin',
  'GET /api/v1/stats/app-health': 'admin',
  'GET /api/v1/stats/failing-endpoints': 'admin',
  'GET /api/v1/operational-webhook/endpoint': 'admin',
  'POST /api/v1/operational-webhook/endpoint': 'admin',
  'GET /api/v1/operational-webhook/endpoint/{endpoint_id}': 'admin',
  'PUT /api/v1/operational-webhook/endpoint/{endpoint_id}': 'admin',
  'DELETE /api/v1/operational-webhook/endpoint/{endpoint_id}': 'admin',
  'GET /api/v1/operational-webhook/endpoint/{endpoint_id}/secret': 'admin',
  'POST /api/v1/operational-webhook/endpoint/{endpoint_id}/secret/rotate': 'admin',
  'GET /api/v1/operational-webhook/endpoint/{endpoint_id}/headers': 'admin',
  'PUT /api/v1/operational-webhook/endpoint/{endpoint_id}/headers': 'admin',
  'GET /api/v1/background-task': 'admin',
  'GET /api/v1/background-task/{task_id}': 'admin',
  'POST /api/v1/background-task/{task_id}/cancel': 'admin',
  'GET /api/v1/dead-letter': 'admin',
  'GET /api/v1/dead-letter/counts': 'admin',
  'POST /api/v1/dead-letter/resend': 'admin',
  'POST /api/v1/usage/events': 'admin',
  'POST /api/v1/meter': 'admin',
  'GET /api/v1/meter': 'admin',
  'GET /api/v1/meter/{key}': 'admin',
  'PATCH /api/v1/meter/{key}': 'admin',
  'DELETE /api/v1/meter/{key}': 'admin',
  'GET /api/v1/meter/{key}/query': 'admin',
  'GET /api/v1/meter/{key}/report': 'admin',
};

/** The one write a ViewBase session may make: ending itself; the one read it may not: endpoint secrets. */
const WRITES_EVERY_SESSION_MAY = new Set(['POST /api/v1/auth/logout']);
const READS_VIEWBASE_MAY_NOT = new Set(['GET /api/v1/app/{app_id}/endpoint/{endpoint_id}/secret']);

function accessOf(route: ApiRoute): Access {
  const listed = POLICY[`${route.method} ${route.path}`];
  if (listed) return listed;
  if (route.path.startsWith('/api/v1/app/{app_id}/') || route.path === '/api/v1/app/{app_id}') return 'app';
  throw new Error(`no access policy for ${route.method} ${route.path}: add it to POLICY`);
}

interface Tenant {
  appId: string;
  endpointId: string;
  sinkId: string;
  msgId: string;
}

let api: ApiInstance;
let routes: ApiRoute[];
let a: Tenant;
let b: Tenant;
const tokens = { own: '', other: '', view: '' };
let channelId = '';

async function admin(method: 'GET' | 'POST', url: string, payload?: object) {
  const r = await api.call({ method, url, payload });
  return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null };
}

async function tenant(uid: string, previous?: Tenant): Promise<Tenant> {
  let app = await admin('GET', `/api/v1/app/${uid}`);
  if (app.status === 404) app = await admin('POST', '/api/v1/app', { name: uid, uid });
  const ep = await admin('GET', `/api/v1/app/${uid}/endpoint/${uid}-ep`);
  const endpointId =
    ep.status === 200
      ? ep.body.id
      : (await admin('POST', `/api/v1/app/${uid}/endpoint`, { url: 'https://receiver.example/hook', uid: `${uid}-ep` }))
          .body.id;
  const sink = await admin('GET', `/api/v1/app/${uid}/endpoint/${uid}-poll`);
  const sinkId =
    sink.status === 200
      ? sink.body.id
      : (await admin('POST', `/api/v1/app/${uid}/endpoint`, { kind: 'poll', uid: `${uid}-poll` })).body.id;
  const msg =
    previous && previous.appId === app.body.id
      ? await admin('GET', `/api/v1/app/${uid}/msg/${previous.msgId}`)
      : { status: 404, body: null };
  const msgId =
    msg.status === 200
      ? msg.body.id
      : (await admin('POST', `/api/v1/app/${uid}/msg`, { eventType: 'matrix.event', payload: { for: uid } })).body.id;
  return { appId: app.body.id, endpointId, sinkId, msgId };
}

async function alive(token: string): Promise<boolean> {
  return token !== '' && (await api.call({ method: 'GET', url: '/api/v1/auth/whoami', token })).statusCode === 200;
}

/** (Re)create both tenants after a cell changed them; mint new app tokens when theirs stopped working. */
async function ensureFixtures(): Promise<void> {
  if ((await admin('GET', '/api/v1/event-type/matrix.event')).status === 404)
    await admin('POST', '/api/v1/event-type', { name: 'matrix.event', description: 'm' });
  const [oldA, oldB] = [a, b];
  a = await tenant('tenant-a', oldA);
  b = await tenant('tenant-b', oldB);
  // Re-minted when a cell ended them (an app re-created, expire-all, logout).
  if (!(await alive(tokens.own)))
    tokens.own = (await admin('POST', `/api/v1/auth/app-portal-access/${a.appId}`, {})).body.token;
  if (!(await alive(tokens.other)))
    tokens.other = (await admin('POST', `/api/v1/auth/app-portal-access/${b.appId}`, {})).body.token;
  if (!(await alive(tokens.view))) tokens.view = await portalSession(api.call, a.appId, { capabilities: ['ViewBase'] });
  if (!channelId) channelId = (await admin('POST', '/api/v1/listen', { uid: 'matrix' })).body.id;
}

function pathFor(route: ApiRoute, foreign: boolean): string {
  const r = foreign ? b : a;
  return fillPath(route.path, {
    app_id: a.appId,
    endpoint_id: r.endpointId,
    sink_id: r.sinkId,
    msg_id: r.msgId,
    attempt_id: 'atmpt_2aaaaaaaaaaaaaaaaaaaaaaaaaa',
    consumer_id: 'matrix-consumer',
    event_type_name: 'matrix.event',
    channel_id: channelId,
    task_id: 'qtask_2aaaaaaaaaaaaaaaaaaaaaaaaaa',
  });
}

async function cell(route: ApiRoute, who: Who): Promise<{ status: number; body: string }> {
  const foreign = who.endsWith('+foreignIds');
  const token =
    who === 'none'
      ? null
      : who === 'bad'
        ? 'appsk_not-a-real-token'
        : who.startsWith('admin')
          ? SEC_ADMIN_TOKEN
          : who === 'other'
            ? tokens.other
            : who === 'view'
              ? tokens.view
              : tokens.own;
  const body =
    route.method === 'GET' || route.method === 'DELETE'
      ? undefined
      : (BASE_BODIES[`${route.method} ${route.path}`] ?? {});
  const url = pathFor(route, foreign);
  // SSE stream: resolve on the response head and close the stream at once.
  const streaming = route.path.endsWith('/stream');
  const res = await api.call({
    method: route.method,
    url,
    token,
    ...(body === undefined ? {} : { payload: body }),
    ...(streaming ? { payloadAsStream: true } : {}),
  });
  if (streaming) {
    (res.stream() as NodeJS.ReadableStream & { destroy(): void }).destroy();
    return { status: res.statusCode, body: res.statusCode >= 400 ? '{"code":"x","detail":"stream"}' : '' };
  }
  return { status: res.statusCode, body: res.body };
}

function errorCode(body: string): string | null {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/** Which statuses are right for this principal on a route with this access rule. */
function verdict(route: ApiRoute, access: Access, who: Who, status: number, code: string | null): string | null {
  if (status >= 500) return 'a 5xx';
  const ok2xx = status >= 200 && status < 300;
  const denied = status === 401 || status === 403;
  if (access === 'public') return status === 401 || status === 403 ? 'a public route refused' : null;
  switch (who) {
    case 'none':
    case 'bad':
      return status === 401 ? null : `expected 401, got ${status}`;
    case 'admin':
      return denied ? `admin refused (${status})` : null;
    case 'own':
      if (access === 'admin') return status === 403 ? null : `app token on an admin route: expected 403, got ${status}`;
      return denied ? `app token refused on its own app (${status})` : null;
    case 'other':
      if (access === 'any') return denied ? `app token refused on an any-token route (${status})` : null;
      return status === 403 || status === 404 ? null : `another app's token: expected 403/404, got ${status}`;
    case 'view': {
      if (access === 'admin')
        return status === 403 ? null : `ViewBase session on an admin route: expected 403, got ${status}`;
      const key = `${route.method} ${route.path}`;
      const refusedHere = route.method === 'GET' ? READS_VIEWBASE_MAY_NOT.has(key) : !WRITES_EVERY_SESSION_MAY.has(key);
      if (!refusedHere) return denied ? `ViewBase session refused (${status} ${code})` : null;
      return status === 403 && code === 'insufficient_capability'
        ? null
        : `ViewBase session: expected 403 insufficient_capability, got ${status} ${code}`;
    }
    case 'own+foreignIds':
    case 'admin+foreignIds':
      if (access === 'admin' && who === 'own+foreignIds') return status === 403 ? null : `expected 403, got ${status}`;
      if (ok2xx) return `another app's resource reached through this app's path (${status})`;
      return null;
  }
}

const WHO: Who[] = ['none', 'bad', 'other', 'view', 'own+foreignIds', 'admin+foreignIds', 'own', 'admin'];
const STORES: Array<{ label: string; openStore: StoreOpener }> = [
  { label: 'SQLite', openStore: openSqliteStore },
  { label: 'PostgreSQL', openStore: openPostgresStore },
];

for (const { label, openStore } of STORES) {
  const tally = { routes: 0, cells: 0, allowed2xx: 0, refused: 0, fiveXx: 0, viewReads: 0, viewWritesRefused: 0 };

  describe(`auth matrix: every route × every kind of principal (${label})`, { timeout: 180_000 }, () => {
    let skip = false;
    before(async () => {
      if (label === 'PostgreSQL' && !(await postgresAvailable())) {
        skip = true;
        return;
      }
      tokens.own = tokens.other = tokens.view = '';
      channelId = '';
      api = await apiInstance({}, undefined, openStore);
      routes = (await apiRoutes(api.app)).routes;
      await ensureFixtures();
    });
    after(async () => {
      if (skip) return;
      await api?.close();
      console.log(
        `# auth-matrix (${label}): routes=${tally.routes} cells=${tally.cells} allowed-2xx=${tally.allowed2xx} refused=${tally.refused} 5xx=${tally.fiveXx} view-reads-2xx=${tally.viewReads} view-writes-refused=${tally.viewWritesRefused}`,
      );
    });

    test('every route has a stated access rule', (t) => {
      if (skip) return t.skip('no PostgreSQL');
      assert.ok(routes.length >= 40);
      for (const r of routes) accessOf(r);
    });

    test('only the right principals pass', async (t) => {
      if (skip) return t.skip('no PostgreSQL');
      const failures: string[] = [];
      for (const route of routes) {
        const access = accessOf(route);
        const hasForeignIds = /\{(endpoint_id|sink_id|msg_id)\}/.test(route.path);
        tally.routes++;
        for (const who of WHO) {
          if (who.endsWith('+foreignIds') && !hasForeignIds) continue;
          await ensureFixtures();
          const res = await cell(route, who);
          tally.cells++;
          if (res.status >= 500) tally.fiveXx++;
          if (res.status === 401 || res.status === 403 || res.status === 404) tally.refused++;
          if (res.status < 300 && (who === 'admin' || who === 'own')) tally.allowed2xx++;
          const code = res.status >= 400 ? errorCode(res.body) : null;
          if (who === 'view' && access !== 'admin' && access !== 'public') {
            if (route.method === 'GET' && res.status < 300) tally.viewReads++;
            if (code === 'insufficient_capability') tally.viewWritesRefused++;
          }
          const wrong = verdict(route, access, who, res.status, code);
          if (wrong) failures.push(`${route.method} ${route.path} as ${who}: ${wrong} — ${res.body.slice(0, 160)}`);
          if (res.status >= 400) {
            const problem = errorBodyProblem(res.status, res.body);
            if (problem) failures.push(`${route.method} ${route.path} as ${who}: ${problem}`);
          }
        }
      }
      assert.deepEqual(failures, []);
      // The right principals really get through (not just "not refused"): most allowed cells succeed.
      assert.ok(tally.allowed2xx >= routes.length, `only ${tally.allowed2xx} 2xx answers for admin/own-app cells`);
      // And the ViewBase column is not passing by accident: it read for real and was refused for real.
      assert.ok(tally.viewReads >= 15, `only ${tally.viewReads} 2xx reads for the ViewBase session`);
      assert.ok(
        tally.viewWritesRefused >= 15,
        `only ${tally.viewWritesRefused} writes refused for the ViewBase session`,
      );
    });

    test('an app token cannot read another application, list applications, or mint tokens', async (t) => {
      if (skip) return t.skip('no PostgreSQL');
      for (const [method, url] of [
        ['GET', `/api/v1/app/${b.appId}`],
        ['GET', '/api/v1/app/tenant-b'],
        ['GET', `/api/v1/app/${b.appId}/endpoint`],
        ['GET', `/api/v1/app/${b.appId}/msg`],
        ['GET', '/api/v1/app'],
        ['POST', `/api/v1/auth/app-portal-access/${a.appId}`],
      ] as const) {
        const res = await api.call({ method, url, token: tokens.own, ...(method === 'POST' ? { payload: {} } : {}) });
        assert.ok(res.statusCode === 403 || res.statusCode === 404, `${method} ${url}: ${res.statusCode}`);
      }
    });
  });
}
