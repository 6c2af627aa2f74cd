import type { AppId, MessageId } from '../../src/ids.js';
import { after, afterEach, before } from 'node:test';
import { testConfig, type Config } from '../../src/config.js';
import type { Application, Attempt, Endpoint } from '../../src/domain/model.js';
import { OperationalWebhooks } from '../../src/domain/operational-webhooks.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { generateSecret } from '../../src/domain/endpoint-secret.js';
import { newId } from '../../src/ids.js';
import { DeliveryWorker, type Clock } from '../../src/delivery/worker.js';
import type { NewEndpoint, Store } from '../../src/store/store.js';
import { startReceiver, type ReceivedRequest, type Receiver } from './receiver.js';

/**
 * What the worker acceptance suite needs around a real store: apps, endpoints and messages
 * written through the Store interface, a worker with a compressed schedule, and a logger that
 * remembers errors (a test fails if the loop logged one it did not expect).
 */

export interface StoreHandle {
  store: Store;
  cleanup: () => Promise<void>;
}

export type OpenStore = () => Promise<StoreHandle>;

export interface LogLine {
  level: string;
  obj: object;
  msg: string;
}

export function memoryLogger() {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object, msg: string) => void lines.push({ level, obj, msg });
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    errors: () => lines.filter((l) => l.level === 'error'),
  };
}

/** Fast settings for tests: loopback allowed, compressed schedule, short polls. */
export function workerConfig(over: Partial<Config> = {}): Config {
  return testConfig({
    allowNetworks: ['127.0.0.0/8'],
    retrySchedule: [0, 0.2, 0.4, 0.6],
    pollIntervalMs: 50,
    requestTimeoutMs: 2000,
    leaseMs: 10_000,
    ...over,
  });
}

export async function mkApp(store: Store, uid: string | null = null): Promise<Application> {
  return store.createApplication({
    id: newId('application'),
    uid,
    name: 'App',
    rateLimit: null,
    metadata: {},
    now: Date.now(),
  });
}

export async function mkEndpoint(
  store: Store,
  appId: AppId,
  url: string,
  over: Partial<NewEndpoint> = {},
): Promise<Endpoint> {
  return store.createEndpoint({
    id: newId('endpoint'),
    appId,
    uid: null,
    kind: 'url',
    url,
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
    secret: generateSecret(),
    now: Date.now(),
    ...over,
  });
}

export async function sendMessage(
  store: Store,
  appId: AppId,
  payload: unknown = { hello: 'world' },
  over: { deliverAt?: number; eventType?: string } = {},
) {
  const now = Date.now();
  const [r] = await store.createMessages([
    {
      id: newId('message', now),
      appId,
      eventType: over.eventType ?? 'user.created',
      eventId: null,
      channels: null,
      tags: null,
      payload: JSON.stringify(payload),
      now,
      deliverAt: over.deliverAt ?? now,
      payloadExpiresAt: now + 86_400_000,
    },
  ]);
  if (!r.ok) throw new Error(`createMessages refused: ${r.reason}`);
  return r.message;
}

export function startWorker(
  store: Store,
  config: Config,
  extra: { operational?: boolean; shutdownTimeoutMs?: number; clock?: Clock } = {},
) {
  const logger = memoryLogger();
  const operational = extra.operational ? new OperationalWebhooks(store, new Outbox(store), config, logger) : undefined;
  const worker = new DeliveryWorker({
    store,
    config,
    logger,
    operational,
    random: () => 0.5,
    shutdownTimeoutMs: extra.shutdownTimeoutMs,
    clock: extra.clock,
  });
  worker.start();
  return { worker, logger };
}

export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A delivery suite's shared state, with its hooks registered in the calling describe(): the
 * store, opened once (`skip` when `available` says no); the workers and receivers (`receiver()`)
 * a test started, stopped after it.
 */
export function suiteFixture(open: OpenStore, available: () => Promise<boolean>) {
  const fx = {
    skip: false,
    store: undefined as unknown as Store,
    workers: [] as DeliveryWorker[],
    receivers: [] as Receiver[],
  };
  let cleanup: () => Promise<void> = async () => {};
  before(async () => {
    fx.skip = !(await available());
    if (fx.skip) return;
    ({ store: fx.store, cleanup } = await open());
  });
  after(async () => {
    if (!fx.skip) await cleanup();
  });
  afterEach(async () => {
    for (const w of fx.workers.splice(0)) await w.stop();
    for (const r of fx.receivers.splice(0)) await r.close();
  });
  const receiver = async (...args: Parameters<typeof startReceiver>): Promise<Receiver> => {
    const r = await startReceiver(...args);
    fx.receivers.push(r);
    return r;
  };
  return Object.assign(fx, { receiver });
}

export const page = { limit: 250, iterator: null, order: 'ascending' as const };

export function headersOf(r: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
}

export async function attemptsOf(store: Store, appId: AppId, msgId: MessageId): Promise<Attempt[]> {
  const p = await store.listAttemptsByMessage(appId, msgId, page, {});
  return [...p.data].sort((a, b) => a.createdAt - b.createdAt);
}
