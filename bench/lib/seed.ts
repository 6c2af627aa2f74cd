import type { Config } from '../../src/config.js';
import { generateSecret } from '../../src/domain/endpoint-secret.js';
import type { Application, Endpoint } from '../../src/domain/model.js';
import { newId, type AppId } from '../../src/ids.js';
import { loadSecretBox } from '../../src/server/encryption-key.js';
import { openStore } from '../../src/store/open-store.js';
import type { NewEndpoint, NewMessage, Store } from '../../src/store/store.js';
import { benchPayload } from './payload.js';
import { preciseNow } from './ipc.js';

/**
 * Writes a scenario's starting state straight through the Store interface (the same
 * `createMessages` outbox transaction the API uses, in big batches), before the server under
 * test starts: apps, endpoints, and "already accepted" messages.
 */

export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  // Seeding is not under test: no fsync per commit. The server under test opens the file with its own setting.
  const store = await openStore({ ...config, sqliteSynchronous: 'NORMAL' }, loadSecretBox(config));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function createApp(store: Store, name = 'bench'): Promise<Application> {
  return store.createApplication({
    id: newId('application'),
    uid: null,
    name,
    rateLimit: null,
    metadata: {},
    now: Date.now(),
  });
}

export function createEndpoint(
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

/**
 * `count` messages for `appId` in batches of `batch` (one transaction each), the i-th of type
 * `eventTypeOf(i)` (Default: all `invoice.paid`) with ordering key `orderingKeyOf(i)` (Default:
 * none); returns how long it took.
 */
export async function seedMessages(
  store: Store,
  appId: AppId,
  count: number,
  batch = 5000,
  onProgress?: (done: number) => void,
  eventTypeOf: (i: number) => string = () => 'invoice.paid',
  orderingKeyOf?: (i: number) => string,
): Promise<number> {
  const started = Date.now();
  let done = 0;
  let lastReport = Date.now();
  while (done < count) {
    const now = Date.now();
    const n = Math.min(batch, count - done);
    const inputs: NewMessage[] = [];
    for (let i = 0; i < n; i++) {
      inputs.push({
        id: newId('message', now),
        appId,
        eventType: eventTypeOf(done + i),
        eventId: null,
        channels: null,
        tags: null,
        payload: benchPayload(preciseNow(), done + i),
        now,
        deliverAt: now,
        payloadExpiresAt: now + 30 * 86_400_000,
        ...(orderingKeyOf ? { orderingKey: orderingKeyOf(done + i) } : {}),
      });
    }
    const results = await store.createMessages(inputs);
    const refused = results.find((r) => !r.ok);
    if (refused) throw new Error(`seeding refused a message: ${JSON.stringify(refused)}`);
    done += n;
    if (onProgress && Date.now() - lastReport > 5000) {
      onProgress(done);
      lastReport = Date.now();
    }
  }
  return Date.now() - started;
}
