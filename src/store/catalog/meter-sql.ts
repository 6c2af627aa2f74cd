import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { parsePath, type Meter, type MeterQuery } from '../../domain/usage.js';
import type { CatalogContext } from './catalog-context.js';

/** SQL pieces every meter read shares: the events it counts, their window, their groups. */

/** The segments of a path a meter stores (checked when the meter was written). */
export const path = (p: string): string[] => {
  const segments = parsePath(p);
  if (!segments) throw new Error(`meter path ${p} was stored unchecked`);
  return segments;
};

/** The events a meter counts within the query's range and subjects. */
export function meterConditions(
  c: CatalogContext,
  m: Meter,
  q: Pick<MeterQuery, 'from' | 'to' | 'subject' | 'subjects'>,
): RawBuilder<SqlBool> {
  const conditions: Array<RawBuilder<unknown> | Expression<SqlBool>> = [
    sql`type = ${m.eventType}`,
    sql`time >= ${q.from}`,
    sql`time < ${q.to}`,
    ...(q.subject === null ? [] : [sql`subject = ${q.subject}`]),
    ...(q.subjects ? [c.isIn('subject', q.subjects)] : []),
    ...Object.entries(m.filter).map(([p, v]) => sql`${c.jsonText('data', path(p))} = ${String(v)}`),
  ];
  return sql<SqlBool>`${sql.join(conditions, sql` AND `)}`;
}

/** The window an event falls in: aligned on `from`, of `size` (null: one window). */
export function bucketOf(from: number, size: number | null): RawBuilder<number> {
  const start = sql<number>`CAST(${from} AS bigint)`;
  // Integer division on both dialects: every operand a bigint (PostgreSQL would infer numeric for a bare parameter).
  const width = sql<number>`CAST(${size} AS bigint)`;
  return size === null ? start : sql<number>`${start} + ((time - ${start}) / ${width}) * ${width}`;
}

/** The values of all the meter's groups (by name, in sorted order) as one JSON array text. */
export const groupsOf = (c: CatalogContext, m: Meter): RawBuilder<string> =>
  c.jsonArray(
    Object.keys(m.groupBy)
      .sort()
      .map((name) => c.jsonText('data', path(m.groupBy[name]))),
  );
