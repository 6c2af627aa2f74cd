import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildEventType, draftOf, eventTypeFieldOf, newDraft, type EventTypeOut } from './event-type-form-values.js';

function eventType(schemas: EventTypeOut['schemas']): EventTypeOut {
  return {
    name: 'invoice.paid',
    description: 'An invoice was paid.',
    schemas,
    archived: false,
    deprecated: false,
    featureFlag: null,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  };
}

const V1 = { type: 'object' };
const V2 = { type: 'object', required: ['id'], examples: [{ id: 'in_1' }, { id: 'in_2' }] };

test('draftOf edits the highest version, its first example apart, and keeps the rest', () => {
  const draft = draftOf(eventType({ '1': V1, '2': V2 }));
  assert.deepEqual(draft, {
    values: {
      name: 'invoice.paid',
      description: 'An invoice was paid.',
      schema: '{\n  "type": "object",\n  "required": [\n    "id"\n  ]\n}',
      example: '{\n  "id": "in_1"\n}',
    },
    version: '2',
    schemas: { '1': V1, '2': V2 },
    moreExamples: [{ id: 'in_2' }],
  });
  assert.deepEqual(draftOf(eventType(null)), {
    ...newDraft(),
    values: { ...newDraft().values, name: 'invoice.paid', description: 'An invoice was paid.' },
  });
});

describe('buildEventType', () => {
  test('writes the edited version back with the example first, and keeps the other versions', () => {
    const draft = draftOf(eventType({ '1': V1, '2': V2 }));
    const result = buildEventType(
      draft,
      { ...draft.values, schema: '{"type":"object","required":["id","amount"]}', example: '{"id":"in_9"}' },
      false,
    );
    assert.deepEqual(result, {
      errors: null,
      schemas: {
        '1': V1,
        '2': { type: 'object', required: ['id', 'amount'], examples: [{ id: 'in_9' }, { id: 'in_2' }] },
      },
    });
  });

  test('examples typed into the schema are kept when the example field is empty', () => {
    const result = buildEventType(
      newDraft(),
      { name: 'a.b', description: '', schema: '{"type":"object","examples":[{"x":1}]}', example: '' },
      true,
    );
    assert.deepEqual(result, { errors: null, schemas: { '1': { type: 'object', examples: [{ x: 1 }] } } });
  });

  test('an emptied schema and example remove the version; none left is null', () => {
    const draft = draftOf(eventType({ '1': V1 }));
    assert.deepEqual(buildEventType(draft, { ...draft.values, schema: '', example: '' }, false), {
      errors: null,
      schemas: null,
    });
  });

  test('the name is checked only for a new type', () => {
    const values = { name: 'bad name!', description: '', schema: '', example: '' };
    assert.deepEqual(buildEventType(newDraft(), values, true), {
      errors: { name: 'Letters, digits, "-", "_" and "." only.' },
    });
    assert.deepEqual(buildEventType(newDraft(), { ...values, name: ' ' }, true), {
      errors: { name: 'Enter a name, e.g. invoice.paid.' },
    });
    assert.deepEqual(buildEventType(newDraft(), { ...values, name: 'a'.repeat(257) }, true), {
      errors: { name: 'At most 256 characters.' },
    });
    assert.deepEqual(buildEventType(newDraft(), values, false), { errors: null, schemas: null });
  });

  test('schema and example must be JSON objects', () => {
    const result = buildEventType(
      newDraft(),
      { name: 'a.b', description: 'x'.repeat(8193), schema: '[1]', example: '"text"' },
      true,
    );
    assert.deepEqual(result, {
      errors: {
        description: 'At most 8,192 characters.',
        schema: 'A JSON Schema is an object, e.g. {"type": "object"}.',
        example: 'The example is a message payload: a JSON object.',
      },
    });
    const broken = buildEventType(newDraft(), { name: 'a.b', description: '', schema: '{"type":', example: '' }, true);
    assert.ok('errors' in broken && broken.errors?.schema?.startsWith('Not valid JSON: '), JSON.stringify(broken));
  });
});

test('eventTypeFieldOf: examples to the example field, the rest of schemas to the schema', () => {
  assert.equal(eventTypeFieldOf('schemas.1.examples.0'), 'example');
  assert.equal(eventTypeFieldOf('schemas.1.properties'), 'schema');
  assert.equal(eventTypeFieldOf('schemas'), 'schema');
  assert.equal(eventTypeFieldOf('name'), 'name');
  assert.equal(eventTypeFieldOf('description'), 'description');
  assert.equal(eventTypeFieldOf('featureFlag'), null);
});
