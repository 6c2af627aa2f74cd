import * as errors from '../errors.js';

/**
 * The messages between an ObjectThread (the caller's thread) and serveObject (the thread): a
 * call by method name with its arguments, answered by id; and the object's events, posted in
 * the order it fires them (before the answer to the call that caused them, as in-process
 * listeners would run).
 */

export interface CallMessage {
  id: number;
  method: string;
  args: unknown[];
}

export type ThreadMessage =
  /** The served object's method names: the caller forwards each. */
  | { kind: 'ready'; methods: string[] }
  | { kind: 'failed'; error: SerializedError }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'event'; name: string; args: unknown[] };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** HookrelayError: code, status and fields; other errors: their `code` property, if any. */
  code?: string;
  status?: number;
  fields?: Record<string, unknown>;
  issues?: unknown;
}

/** An error as plain data: structured clone keeps only message and stack of an Error. */
export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const out: SerializedError = { name: err.name, message: err.message, stack: err.stack };
  const e = err as Partial<errors.HookrelayError> & { code?: unknown; issues?: unknown };
  if (typeof e.code === 'string') out.code = e.code;
  if (err instanceof errors.HookrelayError) {
    out.status = err.status;
    out.fields = err.fields;
    if (err instanceof errors.ValidationError) out.issues = err.issues;
  }
  return out;
}

type ErrorClass = abstract new (...args: never[]) => errors.HookrelayError;
const HOOKRELAY_ERRORS = new Map<string, ErrorClass>();
for (const v of Object.values(errors) as unknown[]) {
  if (typeof v === 'function' && (v === errors.HookrelayError || v.prototype instanceof errors.HookrelayError))
    HOOKRELAY_ERRORS.set(v.name, v as ErrorClass);
}

/** The error again, of its own class when it is one of ours (so `instanceof StoreUnavailableError` still holds). */
export function deserializeError(s: SerializedError): Error {
  const cls = HOOKRELAY_ERRORS.get(s.name);
  const err: Error = cls ? Object.create(cls.prototype) : new Error(s.message);
  Object.assign(err, { name: s.name, message: s.message, stack: s.stack });
  if (s.code !== undefined) Object.assign(err, { code: s.code });
  if (cls) Object.assign(err, { status: s.status, fields: s.fields ?? {}, ...(s.issues ? { issues: s.issues } : {}) });
  return err;
}
