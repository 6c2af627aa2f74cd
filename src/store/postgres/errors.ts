import { BadRequestError, StoreUnavailableError } from '../../errors.js';
import { uniqueKeyConflict } from '../unique-keys.js';

/**
 * Where PostgreSQL and driver errors become Hookrelay's: a unique violation → ConflictError; a
 * string it cannot store (NUL), which the API refuses earlier, → BadRequestError; an unreachable
 * database (sockets, shutdown, 08xxx, too many connections, pg's code-less messages) →
 * StoreUnavailableError. Anything else is a bug and passes unchanged.
 */

const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const UNAVAILABLE_PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'connection timeout',
  // pg's client-side query_timeout (db.ts): no answer in time, the link is presumed dead.
  'Query read timeout',
];

interface PgLikeError {
  code?: string;
  constraint?: string;
  table?: string;
  detail?: string;
  message?: string;
}

/** True when the error means "the database is unreachable" rather than "this statement is wrong". */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & PgLikeError;
  if (e.code && (UNAVAILABLE_NODE_CODES.has(e.code) || UNAVAILABLE_PG_CODES.has(e.code) || e.code.startsWith('08')))
    return true;
  if (e instanceof AggregateError) return e.errors.some(isConnectionError);
  return UNAVAILABLE_MESSAGES.some((m) => e.message.includes(m));
}

/** 22021 character_not_in_repertoire (NUL in text), 22P05 untranslatable_character (jsonb `\u0000`). */
const UNSTORABLE_PG_CODES = new Set(['22021', '22P05']);

/** Map a caught error once; Hookrelay errors pass through untouched. */
export function mapPgError(err: unknown): unknown {
  if (err instanceof Error && (err as PgLikeError).code === '23505') {
    const { table, detail, constraint } = err as PgLikeError;
    const columns = /^Key \((.*?)\)=/.exec(detail ?? '')?.[1];
    return uniqueKeyConflict(table && columns ? `${table} (${columns})` : (constraint ?? 'unknown'), err);
  }
  if (err instanceof Error && UNSTORABLE_PG_CODES.has((err as PgLikeError).code ?? '')) {
    return new BadRequestError(
      'A value contains a NUL character, which PostgreSQL cannot store.',
      'unstorable_string',
      { cause: err },
    );
  }
  if (isConnectionError(err)) {
    return new StoreUnavailableError(`PostgreSQL is unavailable: ${(err as Error).message}`, { cause: err });
  }
  return err;
}
