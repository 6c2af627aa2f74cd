import { ConflictError } from '../errors.js';

/**
 * What each unique key means to a caller, by table and columns as the schema names them, so both
 * stores refuse a taken key with the same detail; each dialect only reads which key it was.
 */
const DETAILS: Record<string, string> = {
  'applications (id)': 'An application with this id already exists.',
  'applications (uid)': 'An application with this uid already exists.',
  'endpoints (id)': 'An endpoint with this id already exists.',
  'endpoints (app_id, uid)': 'An endpoint with this uid already exists in this application.',
  'event_types (name)': 'An event type with this name already exists.',
  'messages (app_id, event_id)': 'A message with this eventId already exists in this application.',
  'tokens (id)': 'A token with this id already exists.',
  'tokens (hash)': 'A token with this hash already exists.',
};

/** ConflictError (409) for a taken unique key: `table (col, col)`, or whatever names it when that is unknown. */
export function uniqueKeyConflict(key: string, cause: unknown): ConflictError {
  return new ConflictError(DETAILS[key] ?? `A record with this key already exists: ${key}.`, 'conflict', { cause });
}
