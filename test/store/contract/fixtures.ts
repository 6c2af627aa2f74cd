import type { AppId, EndpointId, MessageId } from '../../../src/ids.js';
import assert from 'node:assert/strict';
import type { SecretBox } from '../../../src/domain/secret-box.js';
import type { Application, Delivery, Endpoint } from '../../../src/domain/model.js';
import { newId } from '../../../src/ids.js';
import { ConflictError } from '../../../src/errors.js';
import type {
  ClaimedDelivery,
  ClaimRequest,
  NewApplication,
  NewEndpoint,
  NewMessage,
  Order,
  Page,
  PageQuery,
  Store,
} from '../../../src/store/store.js';

/** What an adapter's test file hands to the contract suite: a fresh, migrated, empty store per test. */
export interface StoreHarness {
  store: Store;
  cleanup: () => Promise<void>;
  /** The box the store seals secrets with; lets the suite show the stored form opens only with it. */
  secretBox?: SecretBox;
  /** The endpoint's secrets exactly as stored (store-specific read); without it the at-rest test is skipped. */
  rawEndpointSecrets?: (endpointId: EndpointId) => Promise<string>;
}

export type OpenStore = () => Promise<StoreHarness>;

/** A fixed clock for store calls: 2027-01-15. Store times are whatever the caller passes. */
export const T0 = 1_800_000_000_000;

/** Status numbers (Svix's MessageStatus), spelled out so the suite does not depend on const-enum inlining. */
export const SUCCESS = 0;
export const PENDING = 1;
export const FAIL = 2;
export const SENDING = 3;

export function pq(limit = 50, iterator: string | null = null, order: Order = 'ascending'): PageQuery {
  return { limit, iterator, order };
}

export async function mkApp(store: Store, over: Partial<NewApplication> = {}): Promise<Application> {
  return store.createApplication({
    id: newId('application'),
    uid: null,
    name: 'App',
    rateLimit: null,
    metadata: {},
    now: T0,
    ...over,
  });
}

export async function mkEndpoint(store: Store, appId: AppId, over: Partial<NewEndpoint> = {}): Promise<Endpoint> {
  return store.createEndpoint({
    id: newId('endpoint'),
    appId,
    uid: null,
    kind: 'url',
    url: 'https://example.test/hook',
    description: '',
    version: 1,
    filterTypes: null,
    channels: null,
    rateLimit: null,
    disabled: false,
    metadata: {},
    headers: {},
    format: 'standard',
    cloudEventsHandshake: false,
    svixHeaders: null,
    secret: 'whsec_' + Buffer.from(newId('token')).toString('base64').slice(0, 32),
    now: T0,
    ...over,
  });
}

export function msgIn(appId: AppId, over: Partial<NewMessage> = {}): NewMessage {
  const now = over.now ?? T0;
  return {
    id: newId('message', now),
    appId,
    eventType: 'user.created',
    eventId: null,
    channels: null,
    tags: null,
    payload: JSON.stringify({ hello: 'world' }),
    now,
    deliverAt: now,
    payloadExpiresAt: now + 86_400_000,
    ...over,
  };
}

/** Create messages and return them (asserting each was accepted). */
export async function mkMessages(store: Store, inputs: NewMessage[]) {
  const results = await store.createMessages(inputs);
  return results.map((r, i) => {
    if (!r.ok) throw new Error(`message ${i} refused: ${r.reason}`);
    return r.message;
  });
}

/** Claim with sensible defaults. */
export function claim(store: Store, over: Partial<ClaimRequest> = {}): Promise<ClaimedDelivery[]> {
  return store.claimDeliveries({
    owner: 'worker-1',
    limit: 100,
    leaseMs: 60_000,
    now: T0,
    perEndpointLimit: 100,
    ...over,
  });
}

export function attemptIn(
  status: 0 | 2,
  now = T0,
  over: { responseStatusCode?: number; response?: string; triggerType?: 0 | 1 } = {},
) {
  return {
    id: newId('attempt', now),
    url: 'https://example.test/hook',
    status,
    responseStatusCode: over.responseStatusCode ?? (status === 0 ? 200 : 500),
    response: over.response ?? (status === 0 ? 'ok' : 'boom'),
    responseDurationMs: 12,
    triggerType: over.triggerType ?? 0,
    now,
  } as const;
}

/** Walk every page forwards; returns the keys seen and the number of pages. */
export async function walk<T>(
  fetch: (q: PageQuery) => Promise<Page<T>>,
  key: (t: T) => string,
  limit: number,
  order: Order,
) {
  const seen: string[] = [];
  let iterator: string | null = null;
  for (let pages = 1; pages < 1000; pages++) {
    const page: Page<T> = await fetch(pq(limit, iterator, order));
    seen.push(...page.data.map(key));
    if (page.done) return { seen, pages };
    iterator = page.iterator;
  }
  throw new Error('pagination did not finish');
}

/** For assert.rejects: a ConflictError with exactly this detail (both stores say the same). */
export const conflict =
  (detail: string) =>
  (err: unknown): boolean => {
    assert.ok(err instanceof ConflictError, `expected ConflictError, got ${String(err)}`);
    assert.equal(err.message, detail);
    return true;
  };

export const ids = <T extends { id: string }>(xs: T[]): string[] => xs.map((x) => x.id);
export const sorted = (xs: string[]): string[] => [...xs].sort();

/** A delivery row of (message, endpoint), read through the delivery views. */
export async function deliveryOf(
  store: Store,
  appId: AppId,
  msgId: MessageId,
  endpointId: EndpointId,
): Promise<Delivery> {
  const dest = await store.listMessageDestinations(appId, msgId, pq());
  const d = dest.data.find((x) => x.endpoint.id === endpointId);
  assert.ok(d, 'delivery row exists');
  return d.delivery;
}

export async function setupDeliveries(store: Store, endpoints = 1, messages = 1) {
  const app = await mkApp(store);
  const eps = [];
  for (let i = 0; i < endpoints; i++) eps.push(await mkEndpoint(store, app.id));
  const msgs = await mkMessages(
    store,
    Array.from({ length: messages }, (_, i) => msgIn(app.id, { now: T0 + i, deliverAt: T0 + i })),
  );
  return { app, eps, msgs };
}
