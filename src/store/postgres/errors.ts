import { BadRequestError, StoreUnavailableError } from '../../errors.js';
import { uniqueKeyConflict } from '../unique-keys.js';

/**
 * The one place where PostgreSQL / driver errors become Hookrelay errors:
 * - 23505 unique violation on a uid / name / eventId → ConflictError (409), its key read from the
 *   error's table and detail (`Key (app_id, uid)=(…) already exists.`);
 * - 22021 / 22P05, a string PostgreSQL cannot store (NUL in text, `\u0000` in jsonb) →
 *   BadRequestError `unstorable_string` (400). The API refuses such strings before they get
 *   here (src/api/storable-strings.ts); this keeps a path it missed from answering 500;
 * - anything that says "the database cannot be reached right now" → StoreUnavailableError (503):
 *   refused or reset sockets, admin shutdown (57P01..57P03), the whole connection-exception
 *   class 08xxx, too many connections (53300), the pool's connect timeout, and pg's
 *   "Connection terminated" errors, which carry no code.
 * Everything else is returned unchanged: it is a bug, not a condition the caller can handle.
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

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && (err as PgLikeError).code === '23505';
}

/** Map a caught error once; Hookrelay errors pass through untouched. */
export function mapPgError(err: unknown): unknown {
  if (isUniqueViolation(err)) {
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
