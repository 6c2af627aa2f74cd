import { StoreUnavailableError } from '../errors.js';

/**
 * A database migrated by a newer Hookrelay has tables and rows this one would misread: both
 * dialects refuse it before migrating, with the same words.
 */
export function refuseNewerSchema(applied: Iterable<number>, migrations: ReadonlyArray<{ version: number }>): void {
  const latest = Math.max(0, ...applied);
  const known = migrations[migrations.length - 1]?.version ?? 0;
  if (latest > known)
    throw new StoreUnavailableError(
      `The database schema is at version ${latest}, newer than this Hookrelay knows (${known}); upgrade Hookrelay.`,
    );
}
