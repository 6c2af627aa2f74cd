import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { generateOpenapi, OPENAPI_FILE } from '../../src/api/write-openapi.js';
import { harness, type Harness } from './api-harness.js';

interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<string, { operationId?: string; tags?: string[]; responses: Record<string, unknown>; security?: unknown[] }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe('OpenAPI document', () => {
  let h: Harness;
  let doc: Doc;
  before(async () => {
    h = await harness();
    doc = (await h.call({ method: 'GET', url: '/api/v1/openapi.json', token: null })).json();
  });
  after(async () => {
    await h.close();
  });

  it('is OpenAPI 3.1 with a bearer scheme, tags and named components', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.components.securitySchemes.HTTPBearer, {
      type: 'http',
      scheme: 'bearer',
      description:
        doc.components.securitySchemes.HTTPBearer &&
        (doc.components.securitySchemes.HTTPBearer as { description: string }).description,
    });
    for (const name of [
      'ApplicationIn',
      'ApplicationOut',
      'EndpointIn',
      'EndpointOut',
      'MessageIn',
      'MessageOut',
      'MessageAttemptOut',
      'HttpErrorOut',
      'HTTPValidationError',
      'ListResponse_MessageOut_',
    ]) {
      assert.ok(doc.components.schemas[name], name);
    }
    const text = JSON.stringify(doc);
    for (const m of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      assert.ok(doc.components.schemas[m[1]], `dangling $ref ${m[1]}`);
  });

  it("documents every Svix route with Svix's operationIds", () => {
    const ops = new Map<string, string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods))
        if (op.operationId) ops.set(op.operationId, `${method.toUpperCase()} ${path}`);
    }
    const expected: Record<string, string> = {
      'v1.application.list': 'GET /api/v1/app',
      'v1.application.create': 'POST /api/v1/app',
      'v1.application.get': 'GET /api/v1/app/{app_id}',
      'v1.endpoint.create': 'POST /api/v1/app/{app_id}/endpoint',
      'v1.endpoint.rotate-secret': 'POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate',
      'v1.endpoint.patch-headers': 'PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers',
      'v1.endpoint.recover': 'POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/recover',
      'v1.endpoint.send-example': 'POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example',
      'v1.message.create': 'POST /api/v1/app/{app_id}/msg',
      'v1.message.expunge-content': 'DELETE /api/v1/app/{app_id}/msg/{msg_id}/content',
      'v1.message-attempt.list-by-endpoint': 'GET /api/v1/app/{app_id}/attempt/endpoint/{endpoint_id}',
      'v1.message-attempt.list-by-msg': 'GET /api/v1/app/{app_id}/attempt/msg/{msg_id}',
      'v1.message-attempt.resend': 'POST /api/v1/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend',
      'v1.event-type.delete': 'DELETE /api/v1/event-type/{event_type_name}',
      'v1.authentication.app-portal-access': 'POST /api/v1/auth/app-portal-access/{app_id}',
      'v1.authentication.exchange-one-time-token': 'POST /api/v1/auth/one-time-token',
      'v1.authentication.logout': 'POST /api/v1/auth/logout',
      'v1.authentication.expire-all': 'POST /api/v1/auth/app/{app_id}/expire-all',
      'v1.authentication.whoami': 'GET /api/v1/auth/whoami',
      'v1.environment.get-settings': 'GET /api/v1/environment/settings',
      'v1.management.environment-settings.patch': 'PATCH /api/v1/management/environment-settings',
      'v1.health.get': 'GET /api/v1/health',
    };
    for (const [id, route] of Object.entries(expected)) assert.equal(ops.get(id), route, id);
    assert.ok(ops.size >= 35, `${ops.size} operations`);
    const create = doc.paths['/api/v1/app/{app_id}/msg'].post;
    assert.ok(create.responses['202'] && create.responses['422'] && create.responses['409']);
    assert.deepEqual(doc.paths['/api/v1/health'].get.security, []);
    assert.deepEqual(doc.paths['/api/v1/auth/one-time-token'].post.security, [], 'the key is the credential');
  });

  it('docs/openapi.json is the generated document (regenerate: node --import tsx src/api/write-openapi.ts)', async () => {
    assert.equal(readFileSync(OPENAPI_FILE, 'utf8'), await generateOpenapi());
  });
});
