import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentSchema, firstExample, hasExample } from './event-type-schema.js';

test('the current schema is the highest version by number, without its examples', () => {
  const type = {
    schemas: {
      '2': { type: 'object', examples: [{ v: 2 }] },
      '10': { type: 'object', required: ['id'], examples: [{ id: 'a' }, { id: 'b' }] },
      '9': { type: 'string' },
    },
  };
  assert.deepEqual(currentSchema(type), {
    version: '10',
    schema: { type: 'object', required: ['id'] },
    examples: [{ id: 'a' }, { id: 'b' }],
  });
  assert.deepEqual(firstExample(type), { id: 'a' });
  assert.equal(hasExample(type), true);
});

test('a schema without a list of examples has none', () => {
  const type = { schemas: { '1': { type: 'object', examples: 'not a list' } } };
  assert.deepEqual(currentSchema(type), { version: '1', schema: { type: 'object' }, examples: [] });
  assert.equal(firstExample(type), undefined);
  assert.equal(hasExample(type), false);
});

test('no schemas: nothing current', () => {
  assert.equal(currentSchema({ schemas: null }), null);
  assert.equal(currentSchema({ schemas: {} }), null);
  assert.equal(hasExample({ schemas: null }), false);
});
