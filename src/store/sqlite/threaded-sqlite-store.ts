import { Worker } from 'node:worker_threads';
import type { SecretBox } from '../../domain/secret-box.js';
import { StoreUnavailableError } from '../../errors.js';
import type { Store } from '../store.js';
import { Listeners } from './listeners.js';
import type { SqliteStoreOptions } from './sqlite-store.js';
import { deserializeError, type StoreMethod, type StoreThreadData, type ThreadMessage } from './store-thread-protocol.js';

/**
 * The SQLite store on a thread of its own: the same SqliteStore, one connection, run by
 * sqlite-store-thread.ts, and this class forwarding each Store call to it. better-sqlite3 blocks
 * the thread that calls it; here that is not the event loop that parses API requests and sends
 * deliveries, so the two run on two cores (measured in BENCHMARKS.md: the drain and end-to-end
 * scenarios). Still one connection and one writer: group commits stay group commits, and no
 * two connections of one process ever wait for each other's write lock.
 *
 * A call's arguments and result are structured-cloned; errors come back as our own classes.
 * The thread keeps the process alive only while a call is pending, like a socket would.
 */

/** Every method forwarded as is; the type check below fails to compile when the Store interface gains one. */
const FORWARDED = [
  'migrate', 'ping', 'getSetting', 'setSettingIfAbsent',
  'createApplication', 'getApplication', 'listApplications', 'updateApplication', 'deleteApplication',
  'createEventType', 'getEventType', 'listEventTypes', 'updateEventType', 'deleteEventType',
  'createEndpoint', 'getEndpoint', 'listEndpoints', 'updateEndpoint', 'deleteEndpoint', 'rotateEndpointSecret',
  'createMessages', 'getMessage', 'listMessages', 'expungeMessageContent',
  'listAttemptsByEndpoint', 'listAttemptsByMessage', 'getAttempt', 'expungeAttemptContent',
  'listMessageDestinations', 'listEndpointMessages', 'endpointStats',
  'claimDeliveries', 'completeDeliveries', 'completeAndClaim', 'releaseDeliveries', 'nextDueAt', 'resendDelivery',
  'recoverEndpoint', 'queueDepth',
  'listMessagesAfter', 'getConsumerOffset', 'commitConsumerOffset',
  'createToken', 'findToken', 'getIdempotentResponse', 'putIdempotentResponse', 'putIdempotentResponses',
  'expireContent',
] as const satisfies readonly StoreMethod[];
type Unforwarded = Exclude<StoreMethod, (typeof FORWARDED)[number] | 'close'>;
const everyMethodForwarded: [Unforwarded] extends [never] ? true : Unforwarded = true;
void everyMethodForwarded;

const FROM_SOURCE = import.meta.url.endsWith('.ts');
/** The thread's entry, next to this file: .ts when run from source (tsx), .js when built. */
const THREAD_ENTRY = new URL(`./sqlite-store-thread${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);

/** A worker for the entry. From source, tsx registers itself in the thread first: Node 20 does not run `--import` hooks in workers. */
function startThread(workerData: StoreThreadData): Worker {
  if (!FROM_SOURCE) return new Worker(THREAD_ENTRY, { workerData });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const code = `import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD_ENTRY.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export interface ThreadedSqliteStore extends Omit<Store, 'dialect' | 'close' | 'onWork' | 'onMessages'> {}

export class ThreadedSqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly pending = new Map<number, Pending>();
  private readonly work = new Listeners<[]>();
  private readonly committed = new Listeners<[string]>();
  private nextId = 1;
  /** Set once the thread is gone: every later call fails with it. */
  private gone: StoreUnavailableError | null = null;

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (m: ThreadMessage) => this.receive(m));
    worker.on('error', (err) => this.fail(new StoreUnavailableError(`The SQLite store thread failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => this.fail(new StoreUnavailableError(`The SQLite store thread exited (code ${code}).`)));
  }

  /** Start the thread and open the database in it; rejects as SqliteStore's constructor would throw. */
  static open(options: SqliteStoreOptions & { secretBox: SecretBox }): Promise<ThreadedSqliteStore> {
    const data: StoreThreadData = { file: options.file, key: new Uint8Array(options.secretBox.exportKey()), synchronous: options.synchronous ?? 'FULL' };
    const worker = startThread(data);
    return new Promise((resolve, reject) => {
      const first = (m: ThreadMessage) => {
        worker.off('message', first);
        worker.off('error', early);
        if (m.kind === 'ready') resolve(new ThreadedSqliteStore(worker));
        else reject(m.kind === 'failed' ? deserializeError(m.error) : new Error(`unexpected first message from the store thread: ${m.kind}`));
      };
      const early = (err: Error) => reject(new StoreUnavailableError(`The SQLite store thread failed to start: ${err.message}`, { cause: err }));
      worker.on('message', first);
      worker.once('error', early);
    });
  }

  private call(method: StoreMethod | 'close', args: unknown[]): Promise<never> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  private receive(m: ThreadMessage): void {
    switch (m.kind) {
      case 'work':
        return this.work.fire();
      case 'messages':
        return this.committed.fire(m.appId);
      case 'result':
      case 'error': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.worker.unref();
        if (m.kind === 'result') p.resolve(m.value);
        else p.reject(deserializeError(m.error));
        return;
      }
      default:
        return;
    }
  }

  private fail(err: StoreUnavailableError): void {
    this.gone ??= err;
    for (const p of this.pending.values()) p.reject(this.gone);
    this.pending.clear();
  }

  onWork(listener: () => void): () => void {
    return this.work.add(listener);
  }

  onMessages(listener: (appId: string) => void): () => void {
    return this.committed.add(listener);
  }

  async close(): Promise<void> {
    if (this.gone) return;
    await this.call('close', []);
    this.gone = new StoreUnavailableError('The SQLite database is closed.');
    await this.worker.terminate();
  }
}

for (const method of FORWARDED) {
  Object.defineProperty(ThreadedSqliteStore.prototype, method, {
    value(this: { call(m: StoreMethod, args: unknown[]): Promise<unknown> }, ...args: unknown[]) {
      return this.call(method, args);
    },
    writable: true,
    configurable: true,
  });
}
