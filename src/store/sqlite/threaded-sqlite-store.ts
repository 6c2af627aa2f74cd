import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { SecretBox } from '../../domain/secret-box.js';
import { StoreUnavailableError } from '../../errors.js';
import type { Store } from '../store.js';
import { Listeners } from '../listeners.js';
import { sourceBundle, withoutTsLoader } from '../../source-bundle.js';
import type { SqliteStoreOptions } from './sqlite-store.js';
import {
  deserializeError,
  type CallMessage,
  type StoreMethod,
  type StoreThreadData,
  type ThreadMessage,
} from './store-thread-protocol.js';
import type { AppId } from '../../ids.js';

/**
 * The SQLite store on a thread of its own: the same SqliteStore, one connection, run by
 * sqlite-store-thread.ts, and this class forwarding each Store call to it. better-sqlite3 blocks
 * the thread that calls it; here that is not the event loop that parses API requests and sends
 * deliveries, so the two run on two cores.
 * Still one connection and one writer: group commits stay group commits, and no
 * two connections of one process ever wait for each other's write lock.
 *
 * A call's arguments and result are structured-cloned; errors come back as our own classes.
 * The thread keeps the process alive only while a call is pending, like a socket would.
 *
 * A thread that dies (a bug, running out of memory) is started again on the same file: the calls
 * it had in flight fail as StoreUnavailableError (the API answers 503, the outcome writer
 * retries), later calls wait for the new thread. SQLite's transactions make the file whole again.
 */

/** A thread that dies again this soon after its start waits out the rest before the next start. */
const RESTART_GAP_MS = 1000;

const FROM_SOURCE = import.meta.url.endsWith('.ts');
/**
 * The thread's entry, next to this file: .ts when run from source (bundled: source-bundle.ts), .js
 * when built. A thread starts faster from one file: only the native module stays an import.
 */
const THREAD_EXTERNAL = ['better-sqlite3'];
const THREAD_ENTRY = new URL(`./sqlite-store-thread${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);

/** A started store thread, its database open, and the methods its store has. Rejects as SqliteStore's constructor would throw. */
async function spawn(workerData: StoreThreadData): Promise<{ worker: Worker; methods: string[] }> {
  const worker = FROM_SOURCE
    ? new Worker(await sourceBundle(THREAD_ENTRY, THREAD_EXTERNAL), {
        workerData,
        execArgv: withoutTsLoader(process.execArgv),
      })
    : new Worker(THREAD_ENTRY, { workerData });
  return new Promise((resolve, reject) => {
    const first = (m: ThreadMessage) => {
      worker.off('message', first);
      worker.off('error', early);
      if (m.kind === 'ready') resolve({ worker, methods: m.methods });
      else
        reject(
          m.kind === 'failed'
            ? deserializeError(m.error)
            : new Error(`unexpected first message from the store thread: ${m.kind}`),
        );
    };
    const early = (err: Error) =>
      reject(new StoreUnavailableError(`The SQLite store thread failed to start: ${err.message}`, { cause: err }));
    worker.on('message', first);
    worker.once('error', early);
    // Settled already once it is ready; otherwise a thread gone without a word must not leave us waiting.
    worker.once('exit', (code) =>
      reject(new StoreUnavailableError(`The SQLite store thread exited (code ${code}) before it was ready.`)),
    );
  });
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
  private readonly committed = new Listeners<[AppId]>();
  private nextId = 1;
  /** Set once the store is closed (or its thread cannot start again): every later call fails with it. */
  private gone: StoreUnavailableError | null = null;
  private worker: Worker;
  private lastError: Error | null = null;
  private restarting: Promise<void> | null = null;
  private startedAt = Date.now();

  private constructor(
    private readonly data: StoreThreadData,
    started: { worker: Worker; methods: string[] },
  ) {
    this.worker = started.worker;
    this.attach(started.worker);
    forward(started.methods);
  }

  /** Start the thread and open the database in it; rejects as SqliteStore's constructor would throw. */
  static async open(options: SqliteStoreOptions & { secretBox: SecretBox }): Promise<ThreadedSqliteStore> {
    const data: StoreThreadData = {
      file: options.file,
      key: new Uint8Array(options.secretBox.exportKey()),
      synchronous: options.synchronous ?? 'FULL',
    };
    return new ThreadedSqliteStore(data, await spawn(data));
  }

  private attach(worker: Worker): void {
    worker.unref();
    worker.on('message', (m: ThreadMessage) => this.receive(m));
    // Without an 'error' listener an uncaught exception in the thread would be thrown here.
    worker.on('error', (err) => {
      this.lastError = err;
    });
    worker.on('exit', (code) => this.lost(worker, code));
  }

  /** The thread ended without close(): fail what was in flight and start a new one. */
  private lost(worker: Worker, code: number): void {
    if (worker !== this.worker || this.gone) return;
    const why = this.lastError ? `: ${this.lastError.message}` : '';
    const err = new StoreUnavailableError(`The SQLite store thread exited (code ${code})${why}; starting it again.`, {
      cause: this.lastError ?? undefined,
    });
    this.lastError = null;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.restarting = (async () => {
      await sleep(Math.max(0, this.startedAt + RESTART_GAP_MS - Date.now()));
      try {
        const { worker: next } = await spawn(this.data);
        this.startedAt = Date.now();
        if (this.gone) {
          await next.terminate();
          return;
        }
        this.worker = next;
        this.attach(next);
      } catch (cause) {
        this.gone ??= new StoreUnavailableError(
          `The SQLite store thread could not start again: ${(cause as Error).message}`,
          { cause },
        );
      } finally {
        this.restarting = null;
      }
    })();
  }

  private async call(method: StoreMethod, args: unknown[]): Promise<never> {
    if (this.restarting) await this.restarting;
    if (this.gone) throw this.gone;
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies CallMessage);
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

  onWork(listener: () => void): () => void {
    return this.work.add(listener);
  }

  onMessages(listener: (appId: AppId) => void): () => void {
    return this.committed.add(listener);
  }

  async close(): Promise<void> {
    if (this.gone) return;
    await this.call('close', []);
    this.gone = new StoreUnavailableError('The SQLite database is closed.');
    await this.worker.terminate();
  }
}

/**
 * Every method of the thread's store that this class does not define itself becomes a call to the
 * thread. SqliteStore implements Store, so the list the thread sends holds every Store method.
 */
function forward(methods: string[]): void {
  const proto = ThreadedSqliteStore.prototype as unknown as Record<string, unknown>;
  for (const method of methods) {
    if (method in proto) continue;
    Object.defineProperty(proto, method, {
      value(this: { call(m: string, args: unknown[]): Promise<unknown> }, ...args: unknown[]) {
        return this.call(method, args);
      },
      writable: true,
      configurable: true,
    });
  }
}
