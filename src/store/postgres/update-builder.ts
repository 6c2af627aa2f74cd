/**
 * `SET a = $n, b = $m` from a partial update: only the keys present (not undefined) are set.
 * Each entry maps a record key to its column and an encoder for the value.
 */
export type ColumnMap<U> = { [K in keyof U]-?: [column: string, encode: (v: unknown) => unknown] };

export const same = (v: unknown): unknown => v;
/** jsonb parameters are sent as JSON text (pg would turn a JS array into a PostgreSQL array). */
export const jsonb = (v: unknown): unknown => (v === null || v === undefined ? null : JSON.stringify(v));

export function buildSet<U extends object>(columns: ColumnMap<U>, update: U, params: unknown[]): string[] {
  const sets: string[] = [];
  for (const key of Object.keys(columns) as Array<keyof U>) {
    const value = update[key];
    if (value === undefined) continue;
    const [column, encode] = columns[key];
    params.push(encode(value));
    sets.push(`${column} = $${params.length}`);
  }
  return sets;
}
