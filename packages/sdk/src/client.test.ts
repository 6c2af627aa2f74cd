import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHookrelayClient, type components } from './client.js';

// A stand-in server that records each request and answers from `reply`. No server code is
// imported: the SDK must stand alone. The integrator's test runs the client against the real server.
interface Seen {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  body: string;
}

let server: Server;
let serverUrl: string;
const seen: Seen[] = [];
let reply: (request: IncomingMessage) => { status: number; json: unknown } = () => ({ status: 500, json: {} });

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
        body: Buffer.concat(chunks).toString(),
      });
      const { status, json } = reply(request);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

// Typed by the generated schema, so a canned answer that drifts from docs/openapi.json fails the type-check.
const application: components['schemas']['ApplicationOut'] = {
  id: 'app_2Z8cK1',
  name: 'Acme',
  uid: 'acme',
  rateLimit: null,
  throttleRate: null,
  metadata: {},
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

test('client: GET /api/v1/app sends the bearer token and query, and returns the typed list', async () => {
  const list: components['schemas']['ListResponse_ApplicationOut_'] = {
    data: [application],
    iterator: 'app_2Z8cK1',
    prevIterator: null,
    done: true,
  };
  reply = () => ({ status: 200, json: list });
  const client = createHookrelayClient({ serverUrl: `${serverUrl}/`, token: 'sk_test_123' });

  const { data, error, response } = await client.GET('/api/v1/app', { params: { query: { limit: 10 } } });

  assert.equal(error, undefined);
  assert.equal(response.status, 200);
  assert.deepEqual(data, list);
  assert.equal(data?.data[0]?.id, 'app_2Z8cK1');
  const request = seen.at(-1)!;
  assert.equal(request.method, 'GET');
  assert.equal(request.url, '/api/v1/app?limit=10');
  assert.equal(request.authorization, 'Bearer sk_test_123');
});

test('client: path parameters and JSON bodies are sent as typed', async () => {
  const message: components['schemas']['MessageOut'] = {
    id: 'msg_1',
    eventType: 'user.created',
    eventId: null,
    channels: null,
    tags: null,
    payload: { id: 'u_1' },
    timestamp: '2026-01-01T00:00:00Z',
    deliverAt: null,
  };
  reply = () => ({ status: 202, json: message });
  const client = createHookrelayClient({ serverUrl, token: 'sk_test_123', headers: { 'x-extra': 'yes' } });

  const { data, response } = await client.POST('/api/v1/app/{app_id}/msg', {
    params: { path: { app_id: 'acme' } },
    body: { eventType: 'user.created', payload: { id: 'u_1' } },
  });

  assert.equal(response.status, 202);
  assert.deepEqual(data, message);
  const request = seen.at(-1)!;
  assert.equal(request.method, 'POST');
  assert.equal(request.url, '/api/v1/app/acme/msg');
  assert.equal(request.authorization, 'Bearer sk_test_123');
  assert.deepEqual(JSON.parse(request.body), { eventType: 'user.created', payload: { id: 'u_1' } });
});

test('client: an API error comes back as `error` with its {code, detail}', async () => {
  reply = () => ({ status: 404, json: { code: 'not_found', detail: 'Entity not found' } });
  const client = createHookrelayClient({ serverUrl, token: 'sk_test_123' });

  const { data, error, response } = await client.GET('/api/v1/app/{app_id}', { params: { path: { app_id: 'nope' } } });

  assert.equal(response.status, 404);
  assert.equal(data, undefined);
  assert.deepEqual(error, { code: 'not_found', detail: 'Entity not found' });
  assert.equal(seen.at(-1)!.url, '/api/v1/app/nope');
});
