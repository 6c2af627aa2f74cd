/**
 * Nearest-rank percentile over a distribution given as (value, count) pairs: the least value
 * whose cumulative count reaches ⌈p · n⌉ — what PostgreSQL's `percentile_disc(p)` returns, so
 * an adapter that groups values in SQL answers as one that asks the database for the percentile.
 */
export function nearestRank(distribution: ReadonlyArray<{ value: number; count: number }>, p: number): number | null {
  const sorted = [...distribution].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((n, d) => n + d.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const d of sorted) {
    seen += d.count;
    if (seen >= rank) return d.value;
  }
  return sorted[sorted.length - 1].value;
}
