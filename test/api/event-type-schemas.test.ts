import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

/** Event type schemas must compile as JSON Schema, and their examples must validate (POST, PUT, PATCH). */
describe('event type schema validation', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.close();
  });

  const create = (name: string, schemas: unknown) =>
    h.call({ method: 'POST', url: '/api/v1/event-type', payload: { name, description: 'd', schemas } });
  const issues = (res: {
    statusCode: number;
    json(): { detail: Array<{ loc: unknown[]; msg: string; type: string }> };
  }) => {
    assert.equal(res.statusCode, 422);
    return res.json().detail;
  };

  it('accepts draft-07 (the default), 2019-09 and 2020-12 schemas whose examples match', async () => {
    const draft07 = {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', format: 'uuid' } },
      examples: [{ id: '0c5b9a3e-6f0e-4a59-8a44-8f1cb3c6f1aa' }],
    };
    const v2019 = {
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      type: 'object',
      dependentRequired: { a: ['b'] },
      examples: [{ a: 1, b: 2 }, {}],
    };
    const v2020 = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { n: { type: 'number' } },
      type: 'array',
      prefixItems: [{ $ref: '#/$defs/n' }],
      items: false,
      examples: [[1]],
    };
    const res = await create('schema.ok', { 1: draft07, 2: v2019, 3: v2020 });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json().schemas, { 1: draft07, 2: v2019, 3: v2020 });
    assert.equal((await create('schema.none', null)).statusCode, 201);
    assert.equal((await create('schema.bare', { 1: { type: 'object' } })).statusCode, 201);
  });

  it('refuses a schema that does not compile, pointing at its version', async () => {
    const [issue] = issues(await create('schema.bad', { 1: { type: 'strng' } }));
    assert.deepEqual(issue.loc, ['body', 'schemas', '1']);
    assert.equal(issue.type, 'value_error.jsonschema');
    assert.match(issue.msg, /not a valid JSON Schema/);
    const [ref] = issues(await create('schema.ref', { 1: { $ref: 'https://example.com/elsewhere.json' } }));
    assert.deepEqual(ref.loc, ['body', 'schemas', '1']);
    const [notArray] = issues(await create('schema.examples', { 1: { type: 'object', examples: { a: 1 } } }));
    assert.deepEqual(notArray.loc, ['body', 'schemas', '1']);
    const [dialect] = issues(
      await create('schema.draft4', { 1: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' } }),
    );
    assert.deepEqual(dialect.loc, ['body', 'schemas', '1', '$schema']);
    assert.equal(
      (await h.call({ method: 'GET', url: '/api/v1/event-type/schema.bad' })).statusCode,
      404,
      'nothing stored',
    );
  });

  it("refuses each example that does not validate, pointing at it, and reports every version's problems", async () => {
    const detail = issues(
      await create('schema.examples2', {
        1: { type: 'object', properties: { id: { type: 'string' } }, examples: [{ id: 'ok' }, { id: 5 }] },
        2: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'array',
          prefixItems: [{ type: 'number' }],
          items: false,
          examples: [[1, 2]],
        },
      }),
    );
    assert.deepEqual(
      detail.map((i) => i.loc),
      [
        ['body', 'schemas', '1', 'examples', 1],
        ['body', 'schemas', '2', 'examples', 0],
      ],
    );
    assert.match(detail[0].msg, /example\/id must be string/);
    assert.equal(detail[0].type, 'value_error.example');
  });

  it('checks PUT and PATCH the same way, leaving the stored schemas as they were on refusal', async () => {
    const good = { 1: { type: 'object', properties: { n: { type: 'integer' } }, examples: [{ n: 1 }] } };
    assert.equal(
      (
        await h.call({
          method: 'PUT',
          url: '/api/v1/event-type/schema.put',
          payload: { description: 'd', schemas: good },
        })
      ).statusCode,
      201,
    );
    const put = issues(
      await h.call({
        method: 'PUT',
        url: '/api/v1/event-type/schema.put',
        payload: { description: 'd', schemas: { 1: { ...good[1], examples: [{ n: 'one' }] } } },
      }),
    );
    assert.deepEqual(put[0].loc, ['body', 'schemas', '1', 'examples', 0]);
    const patch = issues(
      await h.call({
        method: 'PATCH',
        url: '/api/v1/event-type/schema.put',
        payload: { schemas: { 2: { type: 'nothing' } } },
      }),
    );
    assert.deepEqual(patch[0].loc, ['body', 'schemas', '2']);
    assert.deepEqual((await h.call({ method: 'GET', url: '/api/v1/event-type/schema.put' })).json().schemas, good);
    assert.equal(
      (
        await h.call({
          method: 'PATCH',
          url: '/api/v1/event-type/schema.put',
          payload: { description: 'only the description' },
        })
      ).statusCode,
      200,
    );
  });

  it("keeps working after a schema that reuses an $id, or claims the meta-schema's", async () => {
    const withId = { $id: 'https://example.com/order.json', type: 'object', examples: [{}] };
    assert.equal((await create('schema.id1', { 1: withId, 2: withId })).statusCode, 201, 'two versions, one $id');
    assert.equal((await create('schema.id2', { 1: withId })).statusCode, 201, 'the same $id in a later request');
    const [meta] = issues(
      await create('schema.meta', { 1: { $id: 'http://json-schema.org/draft-07/schema', type: 'object' } }),
    );
    assert.deepEqual(meta.loc, ['body', 'schemas', '1']);
    assert.equal((await create('schema.after', { 1: { type: 'object', examples: [{}] } })).statusCode, 201);
    assert.equal(
      issues(await create('schema.after2', { 1: { type: 'strng' } })).length,
      1,
      'the meta-schema still checks',
    );
  });

  it('send-example sends a validated example to the endpoint it names', async () => {
    await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
    await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint',
      payload: { url: 'https://example.com/hook', uid: 'ep' },
    });
    assert.equal(
      (await create('schema.sent', { 1: { type: 'object', examples: [{ first: true }, { second: true }] } }))
        .statusCode,
      201,
    );
    const res = await h.call({
      method: 'POST',
      url: '/api/v1/app/acme/endpoint/ep/send-example',
      payload: { eventType: 'schema.sent', exampleIndex: 1 },
    });
    assert.equal(res.statusCode, 202);
    assert.deepEqual(res.json().payload, { second: true });
  });
});
