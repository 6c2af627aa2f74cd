import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { pct } from '../security/fuzz-cases.js';
import { postgresAvailable } from '../support/postgres.js';
import { harness, openSqliteStore, type Harness, type StoreOpener } from './api-harness.js';
import { openPostgresStore } from './postgres-harness.js';

/** Any character, with NUL and unpaired surrogates (which no store can keep) often among them. */
const hostileUnit = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff') },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const hostileString = fc.string({ unit: hostileUnit, maxLength: 40 });

const STORES: Array<[string, StoreOpener]> = [
  ['SQLite', openSqliteStore],
  ['PostgreSQL', openPostgresStore],
];

/** Property: on both stores, no body, query or path a client can send makes the API answer 5xx. */
for (const [label, openStore] of STORES)
  describe(`arbitrary input never causes a 5xx (${label})`, () => {
    let h: Harness | undefined;
    let epId: string;
    let msgId: string;
    before(async () => {
      if (label === 'PostgreSQL' && !(await postgresAvailable())) return;
      h = await harness({}, {}, openStore);
      await h.call({ method: 'POST', url: '/api/v1/app', payload: { name: 'Acme', uid: 'acme' } });
      await h.call({ method: 'POST', url: '/api/v1/event-type', payload: { name: 'e.x', description: 'd' } });
      epId = (
        await h.call({ method: 'POST', url: '/api/v1/app/acme/endpoint', payload: { url: 'https://example.com/x' } })
      ).json().id;
      msgId = (
        await h.call({ method: 'POST', url: '/api/v1/app/acme/msg', payload: { eventType: 'e.x', payload: {} } })
      ).json().id;
    });
    after(async () => {
      await h?.close();
    });

    const routes = (): Array<[string, string]> => [
      ['POST', '/api/v1/app'],
      ['PUT', '/api/v1/app/acme'],
      ['PATCH', '/api/v1/app/acme'],
      ['POST', '/api/v1/event-type'],
      ['PUT', '/api/v1/event-type/e.x'],
      ['PATCH', '/api/v1/event-type/e.x'],
      ['POST', '/api/v1/app/acme/endpoint'],
      ['PUT', `/api/v1/app/acme/endpoint/${epId}`],
      ['PATCH', `/api/v1/app/acme/endpoint/${epId}`],
      ['PUT', `/api/v1/app/acme/endpoint/${epId}/headers`],
      ['PATCH', `/api/v1/app/acme/endpoint/${epId}/headers`],
      ['POST', `/api/v1/app/acme/endpoint/${epId}/secret/rotate`],
      ['POST', `/api/v1/app/acme/endpoint/${epId}/recover`],
      ['POST', `/api/v1/app/acme/endpoint/${epId}/send-example`],
      ['POST', '/api/v1/app/acme/msg'],
      ['POST', '/api/v1/auth/app-portal-access/acme'],
      ['POST', `/api/v1/app/acme/msg/${msgId}/endpoint/${epId}/resend`],
    ];

    const FIELDS = [
      'name',
      'uid',
      'url',
      'eventType',
      'payload',
      'eventId',
      'channels',
      'tags',
      'deliverAt',
      'secret',
      'key',
      'headers',
      'since',
      'until',
      'filterTypes',
      'rateLimit',
      'version',
      'kind',
      'format',
      'metadata',
      'schemas',
      'description',
      'application',
      'gracePeriodSeconds',
      'payloadRetentionPeriod',
      'expiry',
      'exampleIndex',
    ];
    const json = fc.jsonValue({ stringUnit: hostileUnit });
    const body = fc.oneof(json, fc.dictionary(fc.constantFrom(...FIELDS), json, { maxKeys: 6 }));

    it('JSON bodies of any shape on every write route', async (t) => {
      if (!h) return t.skip('no PostgreSQL');
      const call = h.call.bind(h);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes()), body, async ([method, url], payload) => {
          const res = await call({
            method: method as 'POST',
            url,
            payload: JSON.stringify(payload),
            headers: { 'content-type': 'application/json' },
          });
          assert.ok(
            res.statusCode < 500,
            `${method} ${url} ${JSON.stringify(payload).slice(0, 200)} → ${res.statusCode} ${res.body}`,
          );
        }),
        { numRuns: 400 },
      );
    });

    it('raw bytes and odd content types', async (t) => {
      if (!h) return t.skip('no PostgreSQL');
      const call = h.call.bind(h);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes()),
          fc.string({ unit: hostileUnit, maxLength: 200 }),
          fc.constantFrom(
            'application/json',
            'text/plain',
            'application/json; charset=latin1',
            'multipart/form-data',
            '',
          ),
          async ([method, url], raw, type) => {
            const res = await call({
              method: method as 'POST',
              url,
              payload: raw,
              headers: type ? { 'content-type': type } : {},
            });
            assert.ok(
              res.statusCode < 500,
              `${method} ${url} ${type} ${JSON.stringify(raw)} → ${res.statusCode} ${res.body}`,
            );
          },
        ),
        { numRuns: 300 },
      );
    });

    it('query strings and path segments', async (t) => {
      if (!h) return t.skip('no PostgreSQL');
      const call = h.call.bind(h);
      const lists = [
        '/api/v1/app',
        '/api/v1/event-type',
        '/api/v1/app/acme/endpoint',
        '/api/v1/app/acme/msg',
        `/api/v1/app/acme/attempt/endpoint/${epId}`,
        `/api/v1/app/acme/attempt/msg/${msgId}`,
        `/api/v1/app/acme/endpoint/${epId}/msg`,
        `/api/v1/app/acme/endpoint/${epId}/stats`,
        `/api/v1/app/acme/msg/${msgId}/endpoint`,
      ];
      const params = [
        'limit',
        'iterator',
        'order',
        'event_types',
        'channel',
        'before',
        'after',
        'with_content',
        'status',
        'status_code_class',
        'endpoint_id',
        'since',
        'until',
        'include_archived',
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...lists),
          fc.dictionary(fc.constantFrom(...params), hostileString, { maxKeys: 4 }),
          hostileString,
          async (path, query, segment) => {
            const qs = Object.entries(query)
              .map(([k, v]) => `${k}=${pct(v)}`)
              .join('&');
            const res = await call({ method: 'GET', url: `${path}?${qs}` });
            assert.ok(res.statusCode < 500, `${path}?${qs} → ${res.statusCode} ${res.body}`);
            const seg = await call({ method: 'GET', url: `/api/v1/app/acme/msg/${pct(segment)}` });
            assert.ok(seg.statusCode < 500, `segment ${JSON.stringify(segment)} → ${seg.statusCode} ${seg.body}`);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
