import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { components } from '../shared/api.js';
import {
  emptyEndpointForm,
  endpointFieldErrors,
  endpointFormFrom,
  headerRow,
  headersObject,
  parseChannels,
  toEndpointIn,
  toEndpointPatch,
  validateEndpointForm,
  type EndpointFormValues,
} from './endpoint-form-values.js';

type EndpointOut = components['schemas']['EndpointOut'];

const BAD_URL = 'Enter a full http:// or https:// URL, e.g. https://example.com/webhooks.';
const BAD_RATE = 'Enter a whole number from 1 to 65535, or leave it empty for no limit.';
const BAD_CHANNEL = 'Channels may contain letters, digits, "-", "_" and "." only (up to 128 characters each).';

function form(patch: Partial<EndpointFormValues>): EndpointFormValues {
  return { ...emptyEndpointForm(), url: 'https://example.com/hooks', ...patch };
}

function endpoint(patch: Partial<EndpointOut>): EndpointOut {
  return {
    id: 'ep_1',
    uid: null,
    url: 'https://example.com/hooks',
    description: 'Orders',
    version: 1,
    filterTypes: null,
    channels: null,
    rateLimit: null,
    throttleRate: null,
    disabled: false,
    metadata: {},
    kind: 'url',
    format: 'standard',
    cloudEventsHandshake: false,
    svixHeaders: null,
    ordered: false,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...patch,
  };
}

describe('validateEndpointForm', () => {
  test('a push endpoint needs a URL; a poll endpoint has none', () => {
    assert.deepEqual(validateEndpointForm(emptyEndpointForm()), {
      url: 'Enter the URL that should receive the webhooks.',
    });
    assert.deepEqual(validateEndpointForm({ ...emptyEndpointForm(), kind: 'poll' }), {});
  });

  test('the URL is a full http(s) URL', () => {
    assert.deepEqual(validateEndpointForm(form({ url: 'example.com/hooks' })), { url: BAD_URL });
    assert.deepEqual(validateEndpointForm(form({ url: 'ftp://example.com/hooks' })), { url: BAD_URL });
    assert.deepEqual(validateEndpointForm(form({ url: '  http://localhost:3000/in  ' })), {});
  });

  test('channels: the server pattern, 128 characters each, at most 10', () => {
    assert.deepEqual(validateEndpointForm(form({ channels: 'eu, project_1.beta' })), {});
    assert.deepEqual(validateEndpointForm(form({ channels: 'eu, has space' })), { channels: BAD_CHANNEL });
    assert.deepEqual(validateEndpointForm(form({ channels: 'x'.repeat(129) })), { channels: BAD_CHANNEL });
    const eleven = Array.from({ length: 11 }, (_, i) => `c${i}`).join(',');
    assert.deepEqual(validateEndpointForm(form({ channels: eleven })), { channels: 'At most 10 channels.' });
    // Repeats count once.
    assert.deepEqual(
      validateEndpointForm(form({ channels: `${Array.from({ length: 10 }, (_, i) => `c${i}`).join(',')},c0` })),
      {},
    );
  });

  test('rate limit: empty, or a whole number from 1 to 65535', () => {
    for (const ok of ['', ' ', '1', ' 20 ', '65535'])
      assert.deepEqual(validateEndpointForm(form({ rateLimit: ok })), {}, ok);
    for (const bad of ['0', '65536', '1.5', '-3', 'ten'])
      assert.deepEqual(validateEndpointForm(form({ rateLimit: bad })), { rateLimit: BAD_RATE }, bad);
  });

  test('headers: token names, each once whatever its case; blank rows are ignored', () => {
    assert.deepEqual(validateEndpointForm(form({ headers: [headerRow('X-Api-Key', 'k'), headerRow('', '')] })), {});
    assert.deepEqual(validateEndpointForm(form({ headers: [headerRow('Bad Name', 'v')] })), {
      headers: '"Bad Name" is not a valid header name: use letters, digits and "-" (e.g. X-Api-Key).',
    });
    assert.deepEqual(validateEndpointForm(form({ headers: [headerRow('', 'orphan value')] })), {
      headers: '"(empty)" is not a valid header name: use letters, digits and "-" (e.g. X-Api-Key).',
    });
    assert.deepEqual(validateEndpointForm(form({ headers: [headerRow('X-Key', '1'), headerRow('x-key', '2')] })), {
      headers: 'The header x-key is listed twice.',
    });
  });

  test('every field with a mistake is reported at once', () => {
    assert.deepEqual(validateEndpointForm(form({ url: '', channels: 'a b', rateLimit: '0' })), {
      url: 'Enter the URL that should receive the webhooks.',
      channels: BAD_CHANNEL,
      rateLimit: BAD_RATE,
    });
  });
});

test('parseChannels trims, drops empties and repeats, keeps the order', () => {
  assert.deepEqual(parseChannels(' eu , us,, eu ,apac '), ['eu', 'us', 'apac']);
  assert.deepEqual(parseChannels(''), []);
});

test('headersObject keeps named rows, names trimmed and values as typed', () => {
  assert.deepEqual(headersObject([headerRow(' X-A ', ' 1 '), headerRow('  ', 'dropped'), headerRow('X-B', '')]), {
    'X-A': ' 1 ',
    'X-B': '',
  });
});

describe('toEndpointIn', () => {
  test('a filled push form', () => {
    const values = form({
      url: ' https://example.com/in ',
      description: ' Orders ',
      filterTypes: ['invoice.paid'],
      channels: 'eu, us',
      rateLimit: ' 5 ',
      headers: [headerRow('X-A', '1')],
    });
    assert.deepEqual(toEndpointIn(values), {
      url: 'https://example.com/in',
      description: 'Orders',
      filterTypes: ['invoice.paid'],
      channels: ['eu', 'us'],
      rateLimit: 5,
      headers: { 'X-A': '1' },
      disabled: false,
    });
  });

  test('empty choices are null (every event type, every channel, no limit, no headers)', () => {
    assert.deepEqual(toEndpointIn(form({})), {
      url: 'https://example.com/hooks',
      description: '',
      filterTypes: null,
      channels: null,
      rateLimit: null,
      headers: null,
      disabled: false,
    });
  });

  test('a poll endpoint sends its kind and no URL', () => {
    assert.deepEqual(toEndpointIn({ ...emptyEndpointForm(), kind: 'poll', url: 'ignored' }), {
      kind: 'poll',
      description: '',
      filterTypes: null,
      channels: null,
      rateLimit: null,
      headers: null,
      disabled: false,
    });
  });
});

describe('toEndpointPatch', () => {
  test('keeps the endpoint disabled or enabled as it is, and sends no headers', () => {
    const values = form({ url: 'https://example.com/new', channels: 'eu', rateLimit: '' });
    assert.deepEqual(toEndpointPatch(values, endpoint({ disabled: true })), {
      url: 'https://example.com/new',
      description: '',
      filterTypes: null,
      channels: ['eu'],
      rateLimit: null,
      disabled: true,
    });
  });

  test('a poll endpoint has no URL to patch', () => {
    assert.deepEqual(toEndpointPatch(form({ kind: 'poll' }), endpoint({ kind: 'poll', url: '' })), {
      description: '',
      filterTypes: null,
      channels: null,
      rateLimit: null,
      disabled: false,
    });
  });
});

test('endpointFormFrom turns a stored endpoint and its headers back into the form', () => {
  const values = endpointFormFrom(endpoint({ filterTypes: ['a.b', 'c.d'], channels: ['eu', 'us'], rateLimit: 7 }), {
    'X-A': '1',
    'X-B': '2',
  });
  assert.deepEqual(
    { ...values, headers: values.headers.map(({ name, value }) => ({ name, value })) },
    {
      kind: 'url',
      url: 'https://example.com/hooks',
      description: 'Orders',
      filterTypes: ['a.b', 'c.d'],
      channels: 'eu, us',
      rateLimit: '7',
      headers: [
        { name: 'X-A', value: '1' },
        { name: 'X-B', value: '2' },
      ],
    },
  );
  const blank = endpointFormFrom(endpoint({}), {});
  assert.equal(blank.rateLimit, '');
  assert.equal(blank.channels, '');
  assert.deepEqual(blank.filterTypes, []);
  assert.notEqual(values.headers[0].key, values.headers[1].key);
});

test('endpointFieldErrors puts each 422 message at its field, Svix names included', () => {
  assert.deepEqual(
    endpointFieldErrors([
      { field: 'url', message: 'Not a URL.' },
      { field: 'eventTypes.0', message: 'Unknown event type.' },
      { field: 'filterTypes.1', message: 'Also unknown.' },
      { field: 'throttleRate', message: 'Too high.' },
      { field: 'headers.X-A', message: 'Reserved.' },
      { field: 'metadata.k', message: 'Too long.' },
      { field: '', message: 'Body invalid.' },
    ]),
    {
      url: 'Not a URL.',
      filterTypes: 'Unknown event type. Also unknown.',
      rateLimit: 'Too high.',
      headers: 'Reserved.',
      form: 'metadata.k: Too long. Body invalid.',
    },
  );
});
