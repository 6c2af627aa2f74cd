import type { Steps } from '../catalog/steps.js';
import type { Db, Queryable } from './db.js';

/**
 * Runs a catalog operation's steps on `client` when inside a transaction, otherwise each on the
 * pool; a keyset page runs in a transaction of its own that rules out sorting (Db.tx's keyOrder).
 */
export async function runSteps<T>(db: Db, op: Steps<T>, client: Queryable | null): Promise<T> {
  let step = op.next();
  while (!step.done) {
    const { query, returns, keyOrder } = step.value;
    const params = query.parameters as unknown[];
    const result = client
      ? await client.query(query.sql, params)
      : keyOrder
        ? await db.tx((c) => c.query(query.sql, params), { keyOrder: true })
        : await db.query(query.sql, params);
    step = op.next(returns === 'count' ? (result.rowCount ?? 0) : result.rows);
  }
  return step.value;
}
