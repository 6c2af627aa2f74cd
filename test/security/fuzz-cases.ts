import fc from 'fast-check';
import type { ApiRoute } from '../support/openapi-routes.js';

/**
 * Generators of hostile requests for one route (fuzz-api.test.ts): path parameters (real IDs
 * and uids mixed with junk), query strings (the route's own parameters and strangers, boundary
 * numbers, bad iterators and dates, repeated keys, malformed percent-encoding, NUL and unpaired
 * surrogates — sent as %ED%A0%80 in URLs, as escapes in JSON, keys included), headers
 * (content types, idempotency keys, authorization forms, huge values) and bodies (mutations of a
 * valid body, arbitrary JSON, deep nesting, huge strings, invalid JSON, empty).
 */

export interface FuzzCase {
  path: Record<string, string>;
  /** Raw query string (already encoded, or deliberately malformed), without '?'. */
  query: string;
  headers: Record<string, string>;
  /** Body text; null = no body. */
  body: string | null;
}

/** Valid bodies to mutate, so that some cases get past validation into the handlers. */
export const BASE_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/app': { name: 'Fuzz' },
  'PUT /api/v1/app/{app_id}': { name: 'Fuzz' },
  'PATCH /api/v1/app/{app_id}': { name: 'Fuzz' },
  'POST /api/v1/event-type': { name: 'fuzz.created', description: 'd' },
  'PUT /api/v1/event-type/{event_type_name}': { description: 'd' },
  'PATCH /api/v1/event-type/{event_type_name}': { description: 'd' },
  'POST /api/v1/app/{app_id}/endpoint': { url: 'https://receiver.example/hook' },
  'PUT /api/v1/app/{app_id}/endpoint/{endpoint_id}': { url: 'https://receiver.example/hook' },
  'PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id}': { description: 'd' },
  'PUT /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers': { headers: { 'x-a': 'b' } },
  'PATCH /api/v1/app/{app_id}/endpoint/{endpoint_id}/headers': { headers: { 'x-a': 'b' } },
  'POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/secret/rotate': {},
  'POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/recover': { since: '2020-01-01T00:00:00Z' },
  'POST /api/v1/app/{app_id}/endpoint/{endpoint_id}/send-example': { eventType: 'fuzz.event' },
  'POST /api/v1/app/{app_id}/msg': { eventType: 'fuzz.event', payload: { a: 1 } },
  'POST /api/v1/auth/app-portal-access/{app_id}': {},
  'POST /api/v1/app/{app_id}/poller/{sink_id}/consumer/{consumer_id}/commit': { iterator: 'x' },
  'POST /api/v1/app/{app_id}/poller/{sink_id}/consumer/{consumer_id}/seek': { after: '2020-01-01T00:00:00Z' },
  'POST /api/v1/listen': {},
  'POST /api/v1/operational-webhook/endpoint': { url: 'https://receiver.example/ops' },
  'PUT /api/v1/operational-webhook/endpoint/{endpoint_id}': { url: 'https://receiver.example/ops' },
  'PUT /api/v1/operational-webhook/endpoint/{endpoint_id}/headers': { headers: { 'x-a': 'b' } },
  'POST /api/v1/operational-webhook/endpoint/{endpoint_id}/secret/rotate': {},
};

const HOSTILE_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\u202e',
  "' OR 1=1 --",
  '"; DROP TABLE messages; --',
  '${7*7}',
  '%s%n%x',
  '__proto__',
  'constructor',
  'app_',
  'msg_!!!',
  'ep_' + 'A'.repeat(40),
  '2024-13-45T99:99:99Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '-',
  '-msg_',
  'ascending',
  'descending',
  '💥🔥',
  '\ud800',
  'ＡＰＰ',
  'a\u0000b',
  '\udc00',
  'x\ud83d',
  '\udfff\ud800',
];

const boundaryNumber = fc.constantFrom(
  0,
  -0,
  -1,
  1,
  250,
  251,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  0.5,
  65535,
  65536,
);
const bigString = fc.constantFrom(300, 1025, 8193, 70_000).map((n) => 'x'.repeat(n));
const unicode = fc.string({ unit: 'binary', maxLength: 40 });
/** Strings no store can keep (NUL: PostgreSQL; unpaired surrogates: UTF-8) somewhere inside ordinary text. */
const unstorable = fc
  .tuple(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff'),
    fc.string({ maxLength: 10 }),
  )
  .map(([a, bad, b]) => a + bad + b);
const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: unstorable },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: unicode },
  { weight: 1, arbitrary: bigString },
);

/** Any JSON value, with the hostile strings and boundary numbers mixed in. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: boundaryNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 4 }) },
);

function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

function bodyArb(route: ApiRoute): fc.Arbitrary<string | null> {
  const base = BASE_BODIES[`${route.method} ${route.path}`] ?? {};
  const keys = [...new Set([...(route.bodyProperties ?? []), ...Object.keys(base), 'payload', 'metadata', 'uid'])];
  const mutated = fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => JSON.stringify({ ...base, [k]: v }));
  const mutatedTwice = fc
    .tuple(fc.constantFrom(...keys), hostileValue, fc.constantFrom(...keys), hostileValue)
    .map(([k1, v1, k2, v2]) => JSON.stringify({ ...base, [k1]: v1, [k2]: v2 }));
  const deepIn = fc
    .tuple(
      fc.constantFrom(...keys),
      fc.constantFrom(64, 1000, 20_000),
      fc.constantFrom('array' as const, 'object' as const),
    )
    .map(([k, d, kind]) => {
      // The deep value replaces the base's own value of that key (a duplicate key would let the base win).
      const rest = JSON.stringify(Object.fromEntries(Object.entries(base).filter(([key]) => key !== k)));
      return `{${JSON.stringify(k)}:${deepJson(d, kind)}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
    });
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 3, arbitrary: mutatedTwice },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: deepIn },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(64, 5000, 200_000)
        .chain((d) => fc.constantFrom(deepJson(d, 'array'), deepJson(d, 'object'))),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(2 * 1024 * 1024).map((n) => JSON.stringify({ ...base, payload: 'x'.repeat(n) })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '{"a":',
        'nul',
        '[1,]',
        '{"a":1}}',
        '\u0000',
        '\ufeff{}',
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{}}}',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(null, '') },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
}

const headerChars = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

function headersArb(streaming: boolean): fc.Arbitrary<Record<string, string>> {
  const contentType = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'Application/JSON',
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        '*/*',
        'application/json, text/plain',
        ';;;',
        '',
      ),
    },
  );
  const auth = fc.oneof(
    { weight: 12, arbitrary: fc.constant('admin') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        'bearer ADMIN',
        'Basic YWRtaW46YWRtaW4=',
        'Bearer a b',
        'Bearer ' + 'x'.repeat(8000),
      ),
    },
    { weight: 1, arbitrary: headerChars.map((s) => 'Bearer ' + s) },
  );
  const accept = streaming
    ? fc.constantFrom('application/json', '*/*')
    : fc.constantFrom('application/json', '*/*', 'text/html', 'text/event-stream;q=0');
  return fc
    .record(
      {
        'content-type': contentType,
        authorization: auth,
        'idempotency-key': fc.option(fc.oneof(headerChars, fc.constantFrom('x'.repeat(5000), ' ', 'key')), {
          nil: undefined,
        }),
        accept: fc.option(accept, { nil: undefined }),
        'x-fuzz': fc.option(fc.oneof(headerChars, fc.constant('y'.repeat(12_000))), { nil: undefined }),
      },
      { requiredKeys: ['content-type', 'authorization'] },
    )
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

function queryArb(route: ApiRoute): fc.Arbitrary<string> {
  const names = [
    ...route.params.filter((p) => p.in === 'query').map((p) => p.name),
    'limit',
    'iterator',
    'order',
    'zz',
  ];
  const value = fc.oneof(
    { weight: 4, arbitrary: hostileString },
    { weight: 2, arbitrary: boundaryNumber.map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'msg_2aaaaaaaaaaaaaaaaaaaaaaaaaa',
        '-msg_2aaaaaaaaaaaaaaaaaaaaaaaaaa',
        'eyJzZXEiOjF9',
        'bad$$iterator',
        '-',
      ),
    },
  );
  const pair = fc.tuple(fc.constantFrom(...names), value).map(([k, v]) => `${pct(k)}=${pct(v)}`);
  const malformed = fc.constantFrom(
    'limit=%',
    'limit=%zz',
    'iterator=%C0%AF',
    'a[b][c][d]=1',
    'limit=1&limit=2',
    '=&&=',
    'order=ascending&order=descending',
  );
  return fc
    .array(fc.oneof({ weight: 5, arbitrary: pair }, { weight: 1, arbitrary: malformed }), { maxLength: 4 })
    .map((parts) => parts.join('&'));
}

export interface Fixtures {
  /** Real values per path parameter name (ids and uids). */
  real: Record<string, string[]>;
}

function pathArb(route: ApiRoute, fixtures: Fixtures, realAllowed: boolean): fc.Arbitrary<Record<string, string>> {
  const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const entries = names.map((name) => {
    const real = realAllowed ? (fixtures.real[name] ?? []) : [];
    const junk = fc.oneof(
      hostileString,
      fc.constantFrom('app_', 'msg_', 'ep_', 'atmpt_').chain((p) => fc.string({ maxLength: 30 }).map((s) => p + s)),
      fc.constantFrom(513, 600, 5000).map((n) => 'a'.repeat(n)),
    );
    const arb =
      real.length > 0
        ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 2, arbitrary: junk })
        : junk;
    return [name, arb] as const;
  });
  return fc.record(Object.fromEntries(entries) as Record<string, fc.Arbitrary<string>>);
}

export function caseArb(route: ApiRoute, fixtures: Fixtures): fc.Arbitrary<FuzzCase> {
  // SSE streams never end: only their error paths are fuzzed (no real sink, no stream Accept/format).
  const streaming = route.path.endsWith('/stream') || (route.method === 'GET' && route.path.startsWith('/in/'));
  const withBody = route.method !== 'GET' && route.method !== 'DELETE';
  return fc.record({
    path: pathArb(route, fixtures, !route.path.endsWith('/stream')),
    query: queryArb(route).map((q) => noLongPoll(streaming ? q.replace(/(^|&)format=[^&]*/g, '') : q)),
    headers: headersArb(streaming),
    body: withBody ? bodyArb(route) : fc.constant(null),
  });
}

/** A long-poll `wait` that would be valid (1–30 s) becomes 0: the fuzzer tests input, not patience. */
function noLongPoll(query: string): string {
  return query.replace(/(^|&)wait=([^&]*)/g, (m, sep: string, v: string) => {
    let n: number;
    try {
      n = Number(decodeURIComponent(v));
    } catch {
      return m;
    }
    return Number.isFinite(n) && n > 0 && n <= 30.999 ? `${sep}wait=0` : m;
  });
}

/** encodeURIComponent that also takes lone surrogates, sending them as the invalid UTF-8 bytes %ED%A0%80. */
export function pct(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s]
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          return '%ED%A0%80';
        }
      })
      .join('');
  }
}
