import { parentPort } from 'node:worker_threads';
import { serializeError, type CallMessage, type ThreadMessage } from './thread-protocol.js';

/**
 * The thread side of an ObjectThread: builds the object (a throw is reported as the start's
 * failure, and the thread ends), tells the caller its method names, then runs each call and
 * posts its result or error. `events` lets the object's notifications reach the caller's listeners.
 */
export function serveObject<T extends object>(
  build: () => T,
  events: (obj: T, emit: (name: string, ...args: unknown[]) => void) => void = () => {},
): void {
  const port = parentPort!;
  const post = (m: ThreadMessage) => port.postMessage(m);
  let obj: T;
  try {
    obj = build();
  } catch (err) {
    post({ kind: 'failed', error: serializeError(err) });
    process.exit(0);
  }
  post({ kind: 'ready', methods: methodsOf(obj) });
  events(obj, (name, ...args) => post({ kind: 'event', name, args }));
  port.on('message', (call: CallMessage) => {
    const method = (obj as Record<string, (...args: unknown[]) => unknown>)[call.method];
    // The call runs now, in message order; a throw becomes its error.
    new Promise((resolve) => resolve(method.apply(obj, call.args))).then(
      (value) => post({ kind: 'result', id: call.id, value }),
      (err: unknown) => post({ kind: 'error', id: call.id, error: serializeError(err) }),
    );
  });
}

/** The names of the methods `obj` has, its own and inherited (not Object's; getters are not called). */
function methodsOf(obj: object): string[] {
  const names = new Set<string>();
  for (let p = obj; p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const name of Object.getOwnPropertyNames(p))
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(p, name)?.value === 'function')
        names.add(name);
  return [...names];
}
