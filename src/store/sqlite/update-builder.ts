/** Maps a partial update's fields to columns and their encoders. */
export type ColumnMap<U> = {
  [K in keyof Required<U>]: [column: string, encode: (value: NonNullable<U[K]> | null) => unknown];
};

/** `SET a = ?, b = ?` for the fields present in `update` (undefined = leave unchanged). */
export function buildSet<U extends object>(columns: ColumnMap<U>, update: U): { sets: string[]; params: unknown[] } {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const field of Object.keys(columns) as Array<keyof U>) {
    const value = update[field];
    if (value === undefined) continue;
    const [column, encode] = columns[field];
    sets.push(`${column} = ?`);
    params.push(encode(value as never));
  }
  return { sets, params };
}

export const same = <T>(v: T): T => v;
