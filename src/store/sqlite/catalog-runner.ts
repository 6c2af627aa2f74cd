import type { Steps } from '../catalog/steps.js';
import type { SqliteContext } from './sqlite-context.js';

/** Runs a catalog operation's steps synchronously on the store's connection (statements cached by their text). */
export function runSteps<T>(ctx: SqliteContext, op: Steps<T>): T {
  let step = op.next();
  while (!step.done) {
    const { query, returns } = step.value;
    const stmt = ctx.stmt(query.sql);
    const params = query.parameters as unknown[];
    let result: unknown;
    if (returns === 'count') result = stmt.run(...params).changes;
    else if (stmt.reader) result = stmt.all(...params);
    else result = (stmt.run(...params), []);
    step = op.next(result);
  }
  return step.value;
}
