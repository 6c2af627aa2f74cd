import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, type Harness } from './api-harness.js';

describe('event types API', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.close();
  });

  const schemas = { 1: { type: 'object', properties: { id: { type: 'string' } }, examples: [{ id: 'u1' }] } };

  it('creates (201, 409 on a taken name), gets, and keeps the versioned schemas', async () => {
    const res = await h.call({
      method: 'POST',
      url: '/api/v1/event-type',
      payload: { name: 'user.signup', description: 'Signed up', schemas },
    });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json().schemas, schemas);
    assert.equal(res.json().archived, false);
    const dup = await h.call({
      method: 'POST',
      url: '/api/v1/event-type',
      payload: { name: 'user.signup', description: 'again' },
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'conflict');
    const got = await h.call({ method: 'GET', url: '/api/v1/event-type/user.signup' });
    assert.equal(got.json().description, 'Signed up');
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/event-type/nope' })).statusCode, 404);
  });

  it('lists without schemas unless with_content, hides archived unless include_archived', async () => {
    await h.call({ method: 'POST', url: '/api/v1/event-type', payload: { name: 'old.thing', description: 'old' } });
    assert.equal((await h.call({ method: 'DELETE', url: '/api/v1/event-type/old.thing' })).statusCode, 204);
    const plain = (await h.call({ method: 'GET', url: '/api/v1/event-type' })).json();
    assert.deepEqual(
      plain.data.map((e: { name: string }) => e.name),
      ['user.signup'],
    );
    assert.equal(plain.data[0].schemas, null);
    const full = (
      await h.call({ method: 'GET', url: '/api/v1/event-type?with_content=true&include_archived=true' })
    ).json();
    assert.deepEqual(full.data.map((e: { name: string }) => e.name).sort(), ['old.thing', 'user.signup']);
    assert.deepEqual(full.data.find((e: { name: string }) => e.name === 'user.signup').schemas, schemas);
    assert.equal(full.data.find((e: { name: string }) => e.name === 'old.thing').archived, true);
  });

  it('PUT updates or creates (201), PATCH changes given fields, DELETE ?expunge=true deletes', async () => {
    const created = await h.call({
      method: 'PUT',
      url: '/api/v1/event-type/invoice.paid',
      payload: { description: 'Paid' },
    });
    assert.equal(created.statusCode, 201);
    const updated = await h.call({
      method: 'PUT',
      url: '/api/v1/event-type/invoice.paid',
      payload: { description: 'Paid!', deprecated: true },
    });
    assert.equal(updated.statusCode, 200);
    assert.equal(updated.json().deprecated, true);
    const patched = await h.call({
      method: 'PATCH',
      url: '/api/v1/event-type/invoice.paid',
      payload: { featureFlag: 'beta' },
    });
    assert.equal(patched.json().featureFlag, 'beta');
    assert.equal(patched.json().description, 'Paid!');
    assert.equal(
      (await h.call({ method: 'DELETE', url: '/api/v1/event-type/invoice.paid?expunge=true' })).statusCode,
      204,
    );
    assert.equal((await h.call({ method: 'GET', url: '/api/v1/event-type/invoice.paid' })).statusCode, 404);
    assert.equal((await h.call({ method: 'DELETE', url: '/api/v1/event-type/invoice.paid' })).statusCode, 404);
  });

  it('rejects a bad name (422) and a bad iterator (400)', async () => {
    const bad = await h.call({
      method: 'POST',
      url: '/api/v1/event-type',
      payload: { name: 'has space', description: 'x' },
    });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().detail[0].loc, ['body', 'name']);
    const it = await h.call({ method: 'GET', url: '/api/v1/event-type?iterator=%20%27drop' });
    assert.equal(it.statusCode, 400);
    assert.equal(it.json().code, 'invalid_iterator');
  });
});
