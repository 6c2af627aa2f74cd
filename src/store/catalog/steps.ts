import type { Compilable, CompiledQuery, QueryExecutorProvider, RawBuilder } from 'kysely';

/**
 * A catalog operation is a generator of SQL steps: it yields each statement and receives its
 * result. The SQLite runner drives it synchronously (inside one better-sqlite3 transaction when
 * asked), the PostgreSQL runner asynchronously on one client: one definition, both dialects,
 * and SQLite keeps its one-call-one-transaction atomicity because nothing awaits between steps.
 */
export interface SqlStep {
  query: CompiledQuery;
  /** `rows`: the result rows (none for a statement that returns no data); `count`: rows changed. */
  returns: 'rows' | 'count';
  /** Read in the ORDER BY key's order from an index, never sorting (PostgreSQL: see Db.tx). */
  keyOrder?: boolean;
}

export type Steps<T> = Generator<SqlStep, T, unknown>;

/** A raw statement (kysely's `sql`) as a step's query, compiled by the catalog's builder `qb`. */
export const raw = <R>(qb: QueryExecutorProvider, query: RawBuilder<R>): Compilable<R> => ({
  compile: () => query.compile(qb),
});

export function* all<R>(query: Compilable<R>, options: { keyOrder?: boolean } = {}): Steps<R[]> {
  return (yield { query: query.compile(), returns: 'rows', keyOrder: options.keyOrder }) as R[];
}

export function* first<R>(query: Compilable<R>): Steps<R | undefined> {
  return (yield* all(query))[0];
}

/** Runs a write and answers how many rows it changed. */
export function* changed(query: Compilable<unknown>): Steps<number> {
  return (yield { query: query.compile(), returns: 'count' }) as number;
}
