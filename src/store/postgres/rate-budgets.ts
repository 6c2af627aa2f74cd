import { RATE_BUDGET_IDLE_MS } from '../rate-budget.js';
import type { RateBudgetGrant, RateBudgetTake } from '../store.js';
import type { Db, NamedStatement } from './db.js';

/**
 * src/store/rate-budget.ts in SQL: a take is one UPDATE of the key's row, whose lock orders every
 * process's takes; a key's first take (or one after a prune) inserts the row first.
 */

const TAKE: NamedStatement = {
  name: 'hr_rate_budget_take',
  text: `
WITH p AS (
  SELECT $1::text AS key, $2::float8 AS rate, $3::float8 AS burst, $4::int AS want, $5::int AS extra, $6::boolean AS spread, $7::float8 AS now
)
UPDATE rate_budgets AS b
SET (tokens, updated_at, deferred_until, rate, burst, granted, retry_at) = (
  SELECT s.avail - s.granted - s.extra,
         greatest(b.updated_at, p.now),
         CASE WHEN s.refused > 0 AND p.spread THEN s.first + (s.refused * 1000) / p.rate ELSE s.horizon END,
         p.rate,
         p.burst,
         (s.granted + s.extra)::int,
         CASE WHEN s.refused > 0 THEN s.first END
  FROM (
    SELECT g.*, greatest(CASE WHEN p.spread THEN g.horizon ELSE 0 END, p.now + ((1 - (g.avail - g.granted - g.extra)) * 1000) / p.rate) AS first
    FROM (
      SELECT a.avail, a.granted, least(p.extra, floor(a.avail - a.granted)) AS extra, p.want - a.granted AS refused,
             CASE WHEN a.avail >= p.burst THEN 0 ELSE b.deferred_until END AS horizon
      FROM (
        SELECT x.avail, least(p.want, floor(x.avail)) AS granted
        FROM (SELECT least(p.burst, b.tokens + (greatest(0, p.now - b.updated_at) * p.rate) / 1000) AS avail) x
      ) a
    ) g
  ) s
)
FROM p
WHERE b.key = p.key
RETURNING b.granted, b.retry_at`,
};

const CREATE: NamedStatement = {
  name: 'hr_rate_budget_create',
  text: `INSERT INTO rate_budgets (key, tokens, updated_at, rate, burst) VALUES ($1, $3, $4, $2, $3) ON CONFLICT (key) DO NOTHING`,
};

export async function takeRateBudget(db: Db, t: RateBudgetTake): Promise<RateBudgetGrant> {
  const values = [t.key, t.rate, t.burst, t.want, t.extra, t.spread, t.now];
  let { rows } = await db.query<{ granted: number; retry_at: number | null }>(TAKE, values);
  if (rows.length === 0) {
    await db.query(CREATE, [t.key, t.rate, t.burst, t.now]);
    ({ rows } = await db.query<{ granted: number; retry_at: number | null }>(TAKE, values));
  }
  return { granted: rows[0].granted, retryAt: rows[0].retry_at };
}

export async function pruneRateBudgets(db: Db, now: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM rate_budgets
     WHERE updated_at < $1::float8 - $2::float8 AND tokens + (($1::float8 - updated_at) * rate) / 1000 >= burst`,
    [now, RATE_BUDGET_IDLE_MS],
  );
  return rowCount ?? 0;
}
