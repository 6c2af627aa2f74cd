import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Capability } from '../../src/domain/capabilities.js';
import { portalSession } from '../support/portal-login.js';
import { harness, type Harness } from './api-harness.js';

/**
 * What each portal capability opens, route by route (the table in docs/api.md). Every session
 * below belongs to the route's own application, so a refusal can only be the capability's.
 */
describe('capabilities of app tokens and portal sessions', () => {
  let h: Harness;
  let ep: string;
  let sink: string;
  let msg: string;
  const sessions = new Map<string, string>();

  /** A session with these capabilities (ViewBase added), or every one (`null`). */
  async function as(caps: Capability[] | null): Promise<string> {
    const name = caps === null ? 'all' : caps.join(',');
    if (!sessions.has(name)) {
      const body = caps === null ? {} : { capabilities: ['ViewBase', ...caps.filter((c) => c !== 'ViewBase')] };
      sessions.set(name, await portalSession(h.call, 'acme', body));
    }
    return sessions.get(name)!;
  }

  const routes = {
    getEndpoint: () => ({ method: 'GET' as const, url: `/api/v1/app/acme/endpoint/${ep}` }),
    createEndpoint: () => ({
      method: 'POST' as const,
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://receiver.example/new' },
    }),
    patchEndpoint: () => ({
      method: 'PATCH' as const,
      url: `/api/v1/app/acme/endpoint/${ep}`,
      payload: { description: 'changed' },
    }),
    putHeaders: () => ({
      method: 'PUT' as const,
      url: `/api/v1/app/acme/endpoint/${ep}/headers`,
      payload: { headers: { 'x-a': 'b' } },
    }),
    getSecret: () => ({ method: 'GET' as const, url: `/api/v1/app/acme/endpoint/${ep}/secret` }),
    rotateSecret: () => ({
      method: 'POST' as const,
      url: `/api/v1/app/acme/endpoint/${ep}/secret/rotate`,
      payload: {},
    }),
    resend: () => ({ method: 'POST' as const, url: `/api/v1/app/acme/msg/${msg}/endpoint/${ep}/resend`, payload: {} }),
    recover: () => ({
      method: 'POST' as const,
      url: `/api/v1/app/acme/endpoint/${ep}/recover`,
      payload: { since: new Date(Date.now() - 60_000).toISOString() },
    }),
    sendExample: () => ({
      method: 'POST' as const,
      url: `/api/v1/app/acme/endpoint/${ep}/send-example`,
      payload: { eventType: 'user.signup' },
    }),
    commit: () => ({
      method: 'POST' as const,
      url: `/api/v1/app/acme/poller/${sink}/consumer/c1/seek`,
      payload: { after: new Date(0).toISOString() },
    }),
    createMessage: () => ({
      method: 'POST' as const,
      url: '/api/v1/app/acme/msg',
      payload: { eventType: 'user.signup', payload: { a: 1 } },
    }),
    expungeMessage: () => ({ method: 'DELETE' as const, url: `/api/v1/app/acme/msg/${msg}/content` }),
    patchApp: () => ({ method: 'PATCH' as const, url: '/api/v1/app/acme', payload: { name: 'Acme' } }),
    listMessages: () => ({ method: 'GET' as const, url: '/api/v1/app/acme/msg' }),
    poll: () => ({ method: 'GET' as const, url: `/api/v1/app/acme/poller/${sink}` }),
    eventTypes: () => ({ method: 'GET' as const, url: '/api/v1/event-type' }),
  };
  type RouteName = keyof typeof routes;

  async function status(route: RouteName, token: string): Promise<{ status: number; code?: string; detail?: string }> {
    const res = await h.call({ ...routes[route](), token });
    const body = res.body ? res.json() : {};
    return { status: res.statusCode, code: body.code, detail: body.detail };
  }

  async function allowed(caps: Capability[] | null, route: RouteName) {
    const res = await status(route, await as(caps));
    assert.ok(res.status < 300, `${route} with ${caps?.join(',') ?? 'all'}: ${res.status} ${res.code} ${res.detail}`);
  }

  async function refused(caps: Capability[] | null, route: RouteName, needs: string) {
    const res = await status(route, await as(caps));
    assert.equal(res.status, 403, `${route} with ${caps?.join(',') ?? 'all'}: ${res.status}`);
    assert.equal(res.code, 'insufficient_capability');
    assert.match(
      res.detail!,
      needs === 'all' ? /minted without a capabilities list/ : new RegExp(`lacks the ${needs} capability`),
    );
  }

  before(async () => {
    h = await harness();
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
    await h.call({
      method: 'POST',
      url: '/api/v1/event-type',
      payload: { name: 'user.signup', description: 'd', schemas: { 1: { type: 'object', examples: [{ a: 1 }] } } },
    });
    ep = (
      await h.call({
        method: 'POST',
        url: '/api/v1/app/acme/endpoint',
        payload: { url: 'https://receiver.example/hook' },
      })
    ).json().id;
    sink = (await h.call({ method: 'POST', url: '/api/v1/app/acme/endpoint', payload: { kind: 'poll' } })).json().id;
    msg = (
      await h.call({
        method: 'POST',
        url: '/api/v1/app/acme/msg',
        payload: { eventType: 'user.signup', payload: { a: 1 } },
      })
    ).json().id;
  });
  after(async () => {
    await h.close();
  });

  it("ViewBase reads the app's endpoints, messages, pollers and event types, and changes nothing", async () => {
    for (const r of ['getEndpoint', 'listMessages', 'poll', 'eventTypes'] as const) await allowed(['ViewBase'], r);
    await refused(['ViewBase'], 'getSecret', 'ViewEndpointSecret');
    await refused(['ViewBase'], 'createEndpoint', 'ManageEndpoint');
    await refused(['ViewBase'], 'patchEndpoint', 'ManageEndpoint');
    await refused(['ViewBase'], 'putHeaders', 'ManageEndpoint');
    await refused(['ViewBase'], 'rotateSecret', 'ManageEndpointSecret');
    await refused(['ViewBase'], 'resend', 'CreateAttempts');
    await refused(['ViewBase'], 'commit', 'ManageEndpoint');
    await refused(['ViewBase'], 'createMessage', 'all');
  });

  it('ViewEndpointSecret shows the secret; ManageEndpointSecret also rotates it', async () => {
    await allowed(['ViewEndpointSecret'], 'getSecret');
    await refused(['ViewEndpointSecret'], 'rotateSecret', 'ManageEndpointSecret');
    await allowed(['ManageEndpointSecret'], 'getSecret');
    await allowed(['ManageEndpointSecret'], 'rotateSecret');
    await refused(['ManageEndpointSecret'], 'patchEndpoint', 'ManageEndpoint');
  });

  it('ManageEndpoint manages endpoints, their headers, secrets and poller consumers', async () => {
    for (const r of ['createEndpoint', 'patchEndpoint', 'putHeaders', 'getSecret', 'rotateSecret', 'commit'] as const)
      await allowed(['ManageEndpoint'], r);
    await refused(['ManageEndpoint'], 'resend', 'CreateAttempts');
  });

  it('CreateAttempts resends, recovers and sends examples, and nothing else', async () => {
    for (const r of ['resend', 'recover', 'sendExample'] as const) await allowed(['CreateAttempts'], r);
    await refused(['CreateAttempts'], 'createEndpoint', 'ManageEndpoint');
  });

  it('message create, content expunge and app update need a token minted without a list, even one naming every capability', async () => {
    const every: Capability[] = [
      'ViewBase',
      'ViewEndpointSecret',
      'ManageEndpointSecret',
      'ManageTransformations',
      'CreateAttempts',
      'ManageEndpoint',
    ];
    for (const r of ['createMessage', 'expungeMessage', 'patchApp'] as const) {
      await refused(every, r, 'all');
      await allowed(null, r);
    }
  });

  it('admin tokens pass every capability check', async () => {
    for (const r of Object.keys(routes) as RouteName[]) {
      const res = await h.call({ ...routes[r]() });
      assert.ok(res.statusCode < 300, `${r}: ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
  });
});
