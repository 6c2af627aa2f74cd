import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { Listeners } from '../listeners.js';
import { sourceBundle, withoutTsLoader } from '../source-bundle.js';
import { deserializeError, type CallMessage, type ThreadMessage } from './thread-protocol.js';

/**
 * An object that lives on a thread of its own (serveObject runs it there), called from here by
 * method name: work that blocks the thread that runs it (better-sqlite3's statements) leaves
 * this event loop free, and the two run on two cores.
 *
 * A call's arguments and result are structured-cloned; errors come back as our own classes.
 * The thread keeps the process alive only while a call is pending, like a socket would.
 *
 * A thread that dies (a bug, running out of memory) is started again with the same data: the calls
 * it had in flight fail with `unavailable`'s error, later calls wait for the new thread.
 */

/** A thread that dies again this soon after its start waits out the rest before the next start. */
const RESTART_GAP_MS = 1000;

export interface ThreadSpec {
  /** The thread's entry, a module that calls serveObject: .ts run from source (bundled, source-bundle.ts), .js built. */
  entry: URL;
  /** Packages the source bundle leaves as imports (native modules). */
  external: string[];
  workerData: unknown;
  /** What the thread is, for messages ("The SQLite store thread"). */
  name: string;
  /** The error a call gets while the thread cannot answer. */
  unavailable: (message: string, options?: { cause?: unknown }) => Error;
}

interface Started {
  worker: Worker;
  methods: string[];
}

/** A started thread, its object built, and that object's methods. Rejects with the error its build threw. */
async function spawn(spec: ThreadSpec): Promise<Started> {
  const worker = spec.entry.pathname.endsWith('.ts')
    ? new Worker(await sourceBundle(spec.entry, spec.external), {
        workerData: spec.workerData,
        execArgv: withoutTsLoader(process.execArgv),
      })
    : new Worker(spec.entry, { workerData: spec.workerData });
  return new Promise((resolve, reject) => {
    const first = (m: ThreadMessage) => {
      worker.off('message', first);
      worker.off('error', early);
      if (m.kind === 'ready') resolve({ worker, methods: m.methods });
      else
        reject(
          m.kind === 'failed'
            ? deserializeError(m.error)
            : new Error(`unexpected first message from ${spec.name}: ${m.kind}`),
        );
    };
    const early = (err: Error) =>
      reject(spec.unavailable(`${spec.name} failed to start: ${err.message}`, { cause: err }));
    worker.on('message', first);
    worker.once('error', early);
    // Settled already once it is ready; otherwise a thread gone without a word must not leave us waiting.
    worker.once('exit', (code) => reject(spec.unavailable(`${spec.name} exited (code ${code}) before it was ready.`)));
  });
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class ObjectThread {
  private readonly pending = new Map<number, Pending>();
  private readonly events = new Map<string, Listeners<unknown[]>>();
  private nextId = 1;
  /** Set once closed (or the thread cannot start again): every later call fails with it. */
  private gone: Error | null = null;
  private worker: Worker;
  private lastError: Error | null = null;
  private restarting: Promise<void> | null = null;
  private startedAt = Date.now();
  /** The methods of the object on the thread. */
  readonly methods: readonly string[];

  private constructor(
    private readonly spec: ThreadSpec,
    started: Started,
  ) {
    this.worker = started.worker;
    this.methods = started.methods;
    this.attach(started.worker);
  }

  /** Start the thread and build its object; rejects with the error the build threw. */
  static async start(spec: ThreadSpec): Promise<ObjectThread> {
    return new ObjectThread(spec, await spawn(spec));
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
    const err = this.spec.unavailable(`${this.spec.name} exited (code ${code})${why}; starting it again.`, {
      cause: this.lastError ?? undefined,
    });
    this.lastError = null;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.restarting = (async () => {
      await sleep(Math.max(0, this.startedAt + RESTART_GAP_MS - Date.now()));
      try {
        const { worker: next } = await spawn(this.spec);
        this.startedAt = Date.now();
        if (this.gone) {
          await next.terminate();
          return;
        }
        this.worker = next;
        this.attach(next);
      } catch (cause) {
        this.gone ??= this.spec.unavailable(`${this.spec.name} could not start again: ${(cause as Error).message}`, {
          cause,
        });
      } finally {
        this.restarting = null;
      }
    })();
  }

  async call(method: string, args: unknown[]): Promise<never> {
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
    if (m.kind === 'event') return this.events.get(m.name)?.fire(...m.args);
    if (m.kind !== 'result' && m.kind !== 'error') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker.unref();
    if (m.kind === 'result') p.resolve(m.value);
    else p.reject(deserializeError(m.error));
  }

  /** Listen to an event the object's thread emits (serveObject's `events`). */
  on<A extends unknown[]>(event: string, listener: (...args: A) => void): () => void {
    let set = this.events.get(event);
    if (!set) this.events.set(event, (set = new Listeners<unknown[]>()));
    return set.add(listener as (...args: unknown[]) => void);
  }

  /** Call `method` (the object's own close, say), then end the thread; later calls fail with `reason`. */
  async close(method: string | null, reason: Error): Promise<void> {
    if (this.gone) return;
    if (method) await this.call(method, []);
    this.gone = reason;
    await this.worker.terminate();
  }

  /**
   * Every method of the object on the thread that `proto` does not define itself becomes a call to
   * the thread, through the ObjectThread that `thread(self)` gives.
   */
  forwardOnto(proto: object, thread: (self: never) => ObjectThread): void {
    for (const method of this.methods) {
      if (method in proto) continue;
      Object.defineProperty(proto, method, {
        value(this: never, ...args: unknown[]) {
          return thread(this).call(method, args);
        },
        writable: true,
        configurable: true,
      });
    }
  }
}
