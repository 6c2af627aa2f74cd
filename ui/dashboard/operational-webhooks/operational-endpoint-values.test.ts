import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OperationalWebhookEndpointOut } from '../operator-types.js';
import { buildOperationalEndpoint, operationalFieldOf, valuesOf } from './operational-endpoint-values.js';

const STORED: OperationalWebhookEndpointOut = {
  id: 'ep_op',
  url: 'https://ops.example.com/in',
  description: 'Pager',
  throttleRate: 10,
  rateLimit: 10,
  uid: null,
  disabled: true,
  eventTypes: ['message.attempt.exhausted', 'endpoint.disabled', 'no.longer.offered'],
  filterTypes: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  metadata: {},
};

test("valuesOf: a new endpoint is blank; a stored one keeps the offered event types in the form's order", () => {
  assert.deepEqual(valuesOf(null), { url: '', description: '', eventTypes: [], rateLimit: '', disabled: false });
  assert.deepEqual(valuesOf(STORED), {
    url: 'https://ops.example.com/in',
    description: 'Pager',
    eventTypes: ['endpoint.disabled', 'message.attempt.exhausted'],
    rateLimit: '10',
    disabled: true,
  });
});

describe('buildOperationalEndpoint', () => {
  test('the body: URL trimmed, no event types = every event, no rate = null', () => {
    assert.deepEqual(
      buildOperationalEndpoint({
        url: ' https://ops.example.com/in ',
        description: '',
        eventTypes: [],
        rateLimit: '',
        disabled: false,
      }),
      {
        errors: null,
        body: {
          url: 'https://ops.example.com/in',
          description: '',
          eventTypes: null,
          throttleRate: null,
          disabled: false,
        },
      },
    );
    assert.deepEqual(buildOperationalEndpoint(valuesOf(STORED)), {
      errors: null,
      body: {
        url: 'https://ops.example.com/in',
        description: 'Pager',
        eventTypes: ['endpoint.disabled', 'message.attempt.exhausted'],
        throttleRate: 10,
        disabled: true,
      },
    });
  });

  test('URL and rate are checked', () => {
    const values = valuesOf(null);
    assert.deepEqual(buildOperationalEndpoint(values), { errors: { url: 'Enter the URL that receives the events.' } });
    assert.deepEqual(buildOperationalEndpoint({ ...values, url: 'mailto:ops@example.com', rateLimit: '0' }), {
      errors: {
        url: 'Enter an http:// or https:// URL.',
        rateLimit: 'A whole number from 1 to 65535, or empty for no limit.',
      },
    });
    for (const rate of ['65536', '2.5', 'x']) {
      assert.deepEqual(
        buildOperationalEndpoint({ ...values, url: 'https://a.example', rateLimit: rate }).errors,
        { rateLimit: 'A whole number from 1 to 65535, or empty for no limit.' },
        rate,
      );
    }
  });
});

test("operationalFieldOf: a 422 loc to its field, Svix's throttleRate included", () => {
  assert.equal(operationalFieldOf('url'), 'url');
  assert.equal(operationalFieldOf('eventTypes.1'), 'eventTypes');
  assert.equal(operationalFieldOf('throttleRate'), 'rateLimit');
  assert.equal(operationalFieldOf('rateLimit'), 'rateLimit');
  assert.equal(operationalFieldOf('metadata.x'), null);
});
