import { parentPort, workerData } from 'node:worker_threads';
import { SecretBox } from '../../domain/secret-box.js';
import { SqliteStore } from './sqlite-store.js';
import { serializeError, type CallMessage, type StoreThreadData, type ThreadMessage } from './store-thread-protocol.js';

/**
 * The store thread: one SqliteStore (one connection) serving the calls of a ThreadedSqliteStore.
 * better-sqlite3 runs every statement synchronously, so here it blocks this thread instead of
 * the event loop that serves HTTP and sends deliveries.
 */

const port = parentPort!;
const data = workerData as StoreThreadData;
const post = (m: ThreadMessage) => port.postMessage(m);

let store: SqliteStore;
try {
  store = new SqliteStore({
    file: data.file,
    secretBox: new SecretBox(Buffer.from(data.key)),
    synchronous: data.synchronous,
  });
} catch (err) {
  post({ kind: 'failed', error: serializeError(err) });
  process.exit(0);
}
post({ kind: 'ready', methods: methodsOf(store) });

/** The names of the methods `obj` has, its own and inherited (not Object's; getters are not called). */
function methodsOf(obj: object): string[] {
  const names = new Set<string>();
  for (let p = obj; p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const name of Object.getOwnPropertyNames(p))
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, name)?.value === 'function')
        names.add(name);
  return [...names];
}

store.onWork(() => post({ kind: 'work' }));
store.onMessages((appId) => post({ kind: 'messages', appId }));

port.on('message', (call: CallMessage) => {
  const method = store[call.method] as (...args: unknown[]) => Promise<unknown>;
  method.apply(store, call.args).then(
    (value) => post({ kind: 'result', id: call.id, value }),
    (err: unknown) => post({ kind: 'error', id: call.id, error: serializeError(err) }),
  );
});
